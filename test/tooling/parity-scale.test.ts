import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointOf } from '../../parity/manifest.ts';
import { advertiserOf, scaleRequests, scaleRequestsAtOnce } from '../../parity/scale/requests.ts';
import { StreamedComparison } from '../../parity/scale/streamed-compare.ts';

// `npm run parity:scale` calls two bodies of hundreds of megabytes identical on the word of
// StreamedComparison: a comparison that let a difference through would make the run prove nothing.
const dir = mkdtempSync(join(tmpdir(), 'parity-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reference = Buffer.from('0123456789'.repeat(10_000));
const referencePath = join(dir, 'reference.body');
writeFileSync(referencePath, reference);

/** The verdict on `body` streamed in chunks of `chunk` bytes. */
function compare(body: Buffer, chunk: number) {
  const comparison = new StreamedComparison(referencePath, reference.length);
  for (let at = 0; at < body.length; at += chunk) comparison.update(body.subarray(at, at + chunk));
  return comparison.finish();
}

describe('StreamedComparison', () => {
  it.each([1, 7, 4096, 65_536, reference.length])('finds the same bytes the same (chunks of %i)', (chunk) => {
    expect(compare(reference, chunk)).toEqual({
      same: true,
      size: reference.length,
      referenceSize: reference.length,
    });
  });

  it.each([0, 4095, 4096, 65_535, 98_765, reference.length - 1])(
    'finds one changed byte at %i, with the bytes around it',
    (offset) => {
      for (const chunk of [3, 4096, 10_000]) {
        const body = Buffer.from(reference);
        body[offset] = 0x58; // 'X'
        const verdict = compare(body, chunk);
        expect(verdict.same).toBe(false);
        expect(verdict.offset).toBe(offset);
        expect(verdict.reference?.toString('latin1')).toContain(
          reference.subarray(offset, offset + 1).toString(),
        );
        expect(verdict.streamed?.includes(0x58)).toBe(true);
      }
    },
  );

  it('finds a body that ends early at its end', () => {
    const verdict = compare(reference.subarray(0, 70_000), 4096);
    expect(verdict).toMatchObject({ same: false, offset: 70_000, size: 70_000 });
  });

  it('finds a body that goes on after the reference at the reference’s end', () => {
    const verdict = compare(Buffer.concat([reference, Buffer.from('+')]), 4096);
    expect(verdict).toMatchObject({ same: false, offset: reference.length, size: reference.length + 1 });
  });

  it('finds an empty body against a full one', () => {
    expect(compare(Buffer.alloc(0), 1)).toMatchObject({ same: false, offset: 0, size: 0 });
  });
});

describe('the requests of parity:scale', () => {
  const requests = scaleRequests();
  const targets = requests.map((r) => r.target);
  const formatOf = (target: string) =>
    /\.xml(\?|$)|format=xml/.test(target) ? 'xml' : /\.csv(\?|$)/.test(target) ? 'csv' : 'json';

  it('ask every endpoint in JSON, XML and CSV', () => {
    const seen = new Map<string, Set<string>>();
    for (const target of targets) {
      const endpoint = endpointOf(target.split('?')[0]!);
      seen.set(endpoint, (seen.get(endpoint) ?? new Set()).add(formatOf(target)));
    }
    const endpoints = [
      '/credentialscheck',
      '/advertisers',
      '/advertisers/{id}',
      '/campaigns',
      '/campaigns/{id}',
      '/analytics/{id}',
      '/clickthroughs',
      '/connector',
      '/dataconnector',
    ];
    expect([...seen.keys()].sort()).toEqual([...endpoints].sort());
    for (const endpoint of endpoints.filter((e) => e !== '/credentialscheck')) {
      expect([endpoint, [...seen.get(endpoint)!].sort()]).toEqual([endpoint, ['csv', 'json', 'xml']]);
    }
  });

  it('ask both versions of the connectors, and a year of /dataconnector', () => {
    for (const endpoint of ['/connector', '/dataconnector']) {
      expect(targets.some((t) => t.startsWith(`/v2.0${endpoint}`))).toBe(true);
      expect(targets.some((t) => t.startsWith(endpoint))).toBe(true);
    }
    expect(requests.filter((r) => r.large).map((r) => r.target.split('?')[0])).toContain('/dataconnector');
  });

  it('send at once no more streams than one key pair may hold (STREAM_MAX_PER_KEY, 5)', () => {
    const streams = scaleRequestsAtOnce().filter((r) => /connector|clickthroughs/.test(r.target));
    expect(streams.length).toBeGreaterThan(1);
    expect(streams.length).toBeLessThanOrEqual(5);
  });

  it('name advertisers and campaigns of the bench dataset that belong together', () => {
    expect([advertiserOf(1), advertiserOf(10), advertiserOf(11), advertiserOf(400)]).toEqual([1, 1, 2, 40]);
  });
});
