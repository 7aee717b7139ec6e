// Regression cases: a shrunk difference kept as a capture of its own, made from the oracle
// (never hand-written), in parity/regressions/<name>/: the dataset as SQL, the request, and the
// legacy's answer. Every differential run replays them first, against both origins: the Worker
// must give the captured answer, and the oracle must still give it too (or the capture is stale).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observed } from '../compare.ts';
import type { DatasetLoader } from './load.ts';
import { datasetSql } from './load.ts';
import { type Difference, differenceOf, type Origins, sendBoth } from './origins.ts';
import type { DiffCase } from './requests.ts';
import type { Shrunk } from './shrink.ts';

interface Capture {
  found: string;
  seed: number;
  /** What the Worker answered differently when the case was found (for the reader). */
  difference: string;
  request: DiffCase;
  legacy: { status: number; content_type: string | null; retry_after: string | null; body: string | null };
}

export function keepRegression(dir: string, name: string, seed: number, shrunk: Shrunk): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const sql = datasetSql(shrunk.dataset);
  writeFileSync(join(folder, 'console.sql'), sql.console);
  writeFileSync(join(folder, 'aggregate.sql'), sql.aggregate);
  const legacy = shrunk.pair.legacy;
  const capture: Capture = {
    found: new Date().toISOString().slice(0, 10),
    seed,
    difference: shrunk.difference.detail.split('\n')[0]!,
    request: shrunk.request,
    legacy: {
      status: legacy.status,
      content_type: legacy.contentType,
      retry_after: legacy.retryAfter,
      body: legacy.status < 300 ? 'body' : null,
    },
  };
  if (capture.legacy.body) writeFileSync(join(folder, 'body'), legacy.body);
  writeFileSync(join(folder, 'case.json'), `${JSON.stringify(capture, null, 2)}\n`);
  return folder;
}

export interface RegressionResult {
  name: string;
  /** The Worker against the capture. */
  worker: Difference | null;
  /** The oracle against the capture (a stale capture). */
  legacy: Difference | null;
}

export async function replayRegressions(
  dir: string,
  loader: DatasetLoader,
  origins: Origins,
): Promise<RegressionResult[]> {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
  const results: RegressionResult[] = [];
  for (const name of names) {
    const folder = join(dir, name);
    const capture = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as Capture;
    await loader.load({
      console: readFileSync(join(folder, 'console.sql'), 'utf8'),
      aggregate: readFileSync(join(folder, 'aggregate.sql'), 'utf8'),
    });
    const captured: Observed = {
      status: capture.legacy.status,
      contentType: capture.legacy.content_type,
      retryAfter: capture.legacy.retry_after,
      body: capture.legacy.body
        ? new Uint8Array(readFileSync(join(folder, capture.legacy.body)))
        : new Uint8Array(),
    };
    const pair = await sendBoth(origins, capture.request);
    results.push({
      name,
      worker: differenceOf({ legacy: captured, worker: pair.worker }),
      legacy: differenceOf({ legacy: captured, worker: pair.legacy }),
    });
  }
  return results;
}
