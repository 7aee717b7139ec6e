import { describe, expect, it } from 'vitest';
import { call } from '../../test/workers/http';
import { keyHeaders } from '../../test/workers/keys';
import { lastValueWins } from './query';

const urlOf = (query: string) => lastValueWins(new Request(`http://api.test/x?${query}`)).url;

describe('repeated query parameters: the last one wins, as in PHP $_GET', () => {
  it.each([
    ['a=1&a=2', 'a=2'],
    ['a=1&b=2&a=3', 'b=2&a=3'],
    ['format=x&%66ormat=json', '%66ormat=json'],
    ['a=%ZZ&a=%E9', 'a=%E9'],
    ['a&a=1', 'a=1'],
  ])('%s → %s', (query, kept) => {
    expect(urlOf(query)).toBe(`http://api.test/x?${kept}`);
  });

  it('leaves a request without repeats untouched (same object)', () => {
    const request = new Request('http://api.test/x?a=1&b=%2B5');
    expect(lastValueWins(request)).toBe(request);
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
