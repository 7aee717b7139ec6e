import { describe, expect, it } from 'vitest';
import { compareCase, type Observed } from '../../parity/compare.ts';
import type { CaptureCase } from '../../parity/manifest.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const captured = (status: number, body: string | null, extra: Partial<CaptureCase> = {}): CaptureCase => ({
  id: 'c1',
  method: 'GET',
  path: '/advertisers',
  query: {},
  key: 'main',
  headers: {},
  clock: '2026-11-22 10:30:00',
  status,
  content_type: body === null ? null : 'application/json; charset=utf-8',
  body: body === null ? null : 'c1.json',
  ...extra,
});
const answer = (status: number, body: string, extra: Partial<Observed> = {}): Observed => ({
  status,
  contentType: 'application/json; charset=utf-8',
  retryAfter: null,
  body: bytes(body),
  ...extra,
});

describe('compareCase: what a replay compares (CONTRACT §4)', () => {
  it('passes the same status, type and bytes, and names the first differing byte otherwise', () => {
    expect(compareCase(captured(200, 'x'), bytes('{"data":[]}'), answer(200, '{"data":[]}')).ok).toBe(true);
    const verdict = compareCase(captured(200, 'x'), bytes('{"data":[1]}'), answer(200, '{"data":[2]}'));
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/first differing byte 9 /);
  });

  it('fails on the status, on Retry-After of a 429, and on the Content-Type of a success', () => {
    expect(compareCase(captured(404, null), undefined, answer(400, '')).ok).toBe(false);
    expect(
      compareCase(captured(429, null, { retry_after: 30 }), undefined, answer(429, '', { retryAfter: '31' }))
        .ok,
    ).toBe(false);
    expect(
      compareCase(
        captured(200, 'x'),
        bytes('a'),
        answer(200, 'a', { contentType: 'application/xml; charset=utf-8' }),
      ).ok,
    ).toBe(false);
  });

  it("compares an error on its status only, even where the capture kept the legacy's body", () => {
    const legacyProblem = bytes(
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"legacy words"}',
    );
    const verdict = compareCase(
      captured(404, 'x', { content_type: 'application/problem+json' }),
      legacyProblem,
      answer(404, '{"type":"about:blank","title":"Not Found","status":404,"detail":"other words"}', {
        contentType: 'application/problem+json',
      }),
    );
    expect(verdict).toEqual({ ok: true });
  });
});
