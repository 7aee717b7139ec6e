import { describe, expect, it } from 'vitest';
import { phpParseUrlPath } from './php-parse-url';
import recorded from './php-parse-url.cases.json';
import { phpUrlPath } from './php-query';

// PHP 8.2's own answers (scripts/php-ports-record.mjs): parse_url($target, PHP_URL_PATH) for targets
// built to reach every branch (hosts, user info, ports valid and not, IPv6, queries, fragments).
const table = recorded as unknown as { recordedWith: string; cases: [string, string][] };
const encoded = (path: string | null | false) => (path === false ? 'F' : path === null ? 'N' : `S${path}`);

describe(`parse_url(…, PHP_URL_PATH) against PHP's recorded answers (${table.recordedWith})`, () => {
  it('gives the path, null or false exactly where PHP did', () => {
    const wrong = table.cases
      .filter(([target, answer]) => encoded(phpParseUrlPath(target)) !== answer)
      .map(([target, answer]) => `${JSON.stringify(target)}: PHP ${answer}`);
    expect(wrong).toEqual([]);
    const answers = table.cases.map(([, answer]) => answer[0]);
    // Every kind of answer is in the table, each many times.
    for (const kind of ['S', 'N', 'F']) expect(answers.filter((a) => a === kind).length).toBeGreaterThan(50);
  });
});

describe('the path the legacy routed', () => {
  it.each([
    ['/v2.0/analytics/1?x=1:2', '/v2.0/analytics/1'],
    ['//host/advertisers', '/advertisers'],
    ['//host', '/'],
    // Not a URL for PHP: false, which rawurldecode made '' (a 404 for every method).
    ['//:1/advertisers', ''],
    ['/advertisers/1:2', ''],
    ['//h:99999/advertisers', ''],
    ['//@/advertisers', ''],
    ['///advertisers', ''],
  ])('%s → %j', (target, path) => {
    expect(phpUrlPath(target)).toBe(path);
  });
});
