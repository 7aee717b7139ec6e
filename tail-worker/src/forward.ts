// The tail invocation's work: events → redacted records → payloads → New Relic, and one counted log
// line for whatever could not be delivered. Never throws: an exception here would only be one more
// event nobody consumes (this Worker has no tail of its own).
import { logEvent } from '../../src/shared/observability/logger';
import { batches } from './batch';
import { shipSettingsOf, type TailEnv } from './env';
import { type LogRecord, recordsOf } from './records';
import { deliver } from './ship';

export interface ForwardResult {
  records: number;
  posts: number;
  delivered: number;
  dropped: number;
}

/** `producer`: the producing Worker's name when the events do not carry it (see recordsOf). */
export async function forward(
  events: readonly TraceItem[],
  env: TailEnv,
  producer?: string,
): Promise<ForwardResult> {
  const records: LogRecord[] = [];
  let unreadable = 0;
  for (const event of events) {
    try {
      records.push(...recordsOf(event, producer));
    } catch {
      unreadable++;
    }
  }
  const result: ForwardResult = { records: records.length, posts: 0, delivered: 0, dropped: 0 };
  if (records.length === 0 && unreadable === 0) return result;

  const settings = shipSettingsOf(env);
  if (!settings) {
    result.dropped = records.length;
    logEvent('error', 'newrelic.dropped', { reason: 'not_configured', records: records.length, unreadable });
    return result;
  }

  const common = { environment: env.ENVIRONMENT, logtype: 'cloudflare-workers' };
  const { batches: payloads, oversized } = batches(records, common);
  result.dropped = oversized;
  let failure: { status: number | null; error: string | null; attempts: number } | null = null;
  let failedPosts = 0;
  for (const payload of payloads) {
    // After one payload has used up its attempts the rest are not tried: the sink is down, and
    // trying each would stretch this invocation by a full backoff per payload.
    if (failure) {
      failedPosts++;
      result.dropped += payload.records;
      continue;
    }
    result.posts++;
    const delivery = await deliver(payload.body, settings);
    if (delivery.ok) {
      result.delivered += payload.records;
    } else {
      failure = delivery;
      failedPosts++;
      result.dropped += payload.records;
    }
  }
  if (result.dropped > 0 || unreadable > 0) {
    logEvent('error', 'newrelic.dropped', {
      reason: failure ? 'delivery_failed' : oversized > 0 ? 'oversized' : 'unreadable',
      records: result.dropped,
      payloads: failedPosts,
      attempts: failure?.attempts ?? 0,
      status: failure?.status ?? null,
      error: failure?.error ?? null,
      oversized,
      unreadable,
    });
  }
  return result;
}
