import { describe, expect, it } from 'vitest';
import { call } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';
import { withPhpQuery } from './query';

const urlOf = (query: string) => withPhpQuery(new Request(`http://api.test/x?${query}`)).url;

describe('the query as PHP $_GET held it', () => {
  it.each([
    // A repeated name keeps its first place and its last value.
    ['a=1&a=2', 'a=2'],
    ['a=1&b=2&a=3', 'a=3&b=2'],
    ['format=x&%66ormat=json', 'format=json'],
    ['a=%ZZ&a=%E9', 'a=%E9'],
    ['a&a=1', 'a=1'],
    // Names: dots and spaces become `_`, an unclosed `[` too; leading spaces and empty names go.
    ['advertiser.id=1', 'advertiser_id=1'],
    ['advertiser+id=1', 'advertiser_id=1'],
    ['advertiser%5Bid=1', 'advertiser_id=1'],
    ['%20to=x', 'to=x'],
    ['=1&%5Bx=2&b=3', 'b=3'],
    // A list is given twice and empty: no single-valued parameter accepts it.
    ['to%5B%5D=2024-01-01', 'to=&to='],
    ['a[x]=1&a=2', 'a=2'],
    ['a=2&a[]=1', 'a=&a='],
  ])('%s → %s', (query, kept) => {
    expect(urlOf(query)).toBe(`http://api.test/x?${kept}`);
  });

  it("reads only PHP's first 1000 pairs (max_input_vars): empty pairs do not count, empty names do", () => {
    const pairs = (n: number, pair: (i: number) => string) => Array.from({ length: n }, (_, i) => pair(i));
    const kept = pairs(999, (i) => `p${i}=1`);
    expect(urlOf([...kept, 'format=xml'].join('&'))).toContain('&format=xml');
    expect(urlOf([...kept, '', '', 'format=xml'].join('&'))).toContain('&format=xml');
    expect(urlOf([...kept, '=1', 'format=xml'].join('&'))).not.toContain('format=');
    expect(urlOf([...pairs(1000, () => 'a=1'), 'format=xml'].join('&'))).toBe('http://api.test/x?a=1');
  });

  it("drops a name nested past PHP's 64 levels (max_input_nesting_level), and what its base name held", () => {
    const levels = (n: number) => '[x]'.repeat(n);
    expect(urlOf(`a=1&a${levels(64)}=1&b=2`)).toBe('http://api.test/x?a=&a=&b=2');
    expect(urlOf(`a=1&a${levels(65)}=1&b=2`)).toBe('http://api.test/x?b=2');
    // The 65th level counts before PHP reads it: an unclosed one too.
    expect(urlOf(`a=1&a${levels(64)}[y=1&b=2`)).toBe('http://api.test/x?b=2');
    expect(urlOf(`a=1&a${levels(64)}y[y]=1&b=2`)).toBe('http://api.test/x?a=&a=&b=2');
    expect(urlOf(`a${levels(65)}=1&a=1`)).toBe('http://api.test/x?a=1');
  });

  it('leaves a request without repeats untouched (same object)', () => {
    const request = new Request('http://api.test/x?a=1&b=%2B5');
    expect(withPhpQuery(request)).toBe(request);
  });

  it.each([
    ['/advertisers.json?format=x&format=y', 200],
    ['/advertisers?callback=a&callback=b', 200],
    ['/campaigns?status=Active&status=active', 200],
    ['/campaigns?status=active&status=Active', 400],
    ['/v2.0/connector?advertiser_id=11&removeZeros=1&removeZeros=0', 200],
  ])('%s → %i through the Worker', async (path, status) => {
    expect((await call(path, { headers: keyHeaders('main') })).status).toBe(status);
  });
});
