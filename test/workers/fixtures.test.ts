import { describe, expect, it } from 'vitest';
import { fixtureBytes, manifest } from '../support/fixtures';

describe('captured fixtures inside workerd', () => {
  it('reads the S1 manifest and every body it names', () => {
    expect(manifest.dataset).toBe('S1');
    expect(manifest.cases.length).toBeGreaterThan(300);
    for (const c of manifest.cases)
      if (c.body) expect(fixtureBytes(c.body).length, c.body).toBeGreaterThan(0);
  });

  it('keeps the CSV bodies as raw UTF-16LE bytes', () => {
    const bytes = fixtureBytes('advertisers-csv.csv');
    expect(bytes[1]).toBe(0); // 'i' of the `id,name` heading, little-endian
    expect(new TextDecoder('utf-16le').decode(bytes)).toMatch(/^id,name\n/);
  });
});
