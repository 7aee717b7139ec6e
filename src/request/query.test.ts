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
