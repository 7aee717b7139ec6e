import { describe, expect, it } from 'vitest';
import { encodeJson, JSON_CONTENT_TYPE } from './php-json';
import {
  JSONP_CONTENT_TYPE,
  JSONP_TYPE_BOUND,
  jsonpAround,
  jsonpContentType,
  jsonpContentTypeReach,
  jsonpResponse,
  jsonpUnencodableContentType,
} from './php-jsonp';
import cases from './php-preg/cases.json';
import type { LegacyObject } from './types';

describe('JSONP (CONTRACT §3.2)', () => {
  const value: LegacyObject = { data: { id: '12', url: 'https://x/' } };
  const json = '{"data":{"id":"12","url":"https:\\/\\/x\\/"}}';
  const warn = (cb: string) =>
    `{"data":{"id":"12","url":"https:\\/\\/x\\/"},"warning":"INVALID JSONP CALLBACK: ${cb}"}`;
  const CASES: [string, string | undefined, string, string][] = [
    ['absent', undefined, json, JSON_CONTENT_TYPE],
    ['empty: plain JSON, yet `^` matches → JavaScript type', '', json, JSONP_CONTENT_TYPE],
    ['"0" is empty() for PHP', '0', json, JSON_CONTENT_TYPE],
    ['valid', 'cb', `cb(${json});`, JSONP_CONTENT_TYPE],
    ['valid dotted', 'a.b_c.$d0', `a.b_c.$d0(${json});`, JSON_CONTENT_TYPE],
    ['valid, `$` anchors the type regex', 'My.ns_1.$fn', `My.ns_1.$fn(${json});`, JSON_CONTENT_TYPE],
    ['valid, `$` alone', '$', `$(${json});`, JSON_CONTENT_TYPE],
    ['valid, case-insensitive', 'jQuery_12', `jQuery_12(${json});`, JSONP_CONTENT_TYPE],
    ['leading digit', '1bad', warn('1bad'), JSON_CONTENT_TYPE],
    ['parentheses', 'alert(1)', warn('alert(1)'), JSON_CONTENT_TYPE],
    ['trailing newline', 'cb\n', warn('cb\\n'), JSON_CONTENT_TYPE],
    ['empty segment', 'a..b', warn('a..b'), JSON_CONTENT_TYPE],
    ['a slash ends the PCRE pattern', '{/', warn('{\\/'), JSON_CONTENT_TYPE],
    ['invalid, but `^{` matches the body', '{', warn('{'), JSONP_CONTENT_TYPE],
    ['invalid, `^.` matches the body', '.', warn('.'), JSONP_CONTENT_TYPE],
    ['invalid, broken regex', '[', warn('['), JSON_CONTENT_TYPE],
    ['invalid, `^.*` matches any body', '.*', warn('.*'), JSONP_CONTENT_TYPE],
    ['invalid, `^.+`', '.+', warn('.+'), JSONP_CONTENT_TYPE],
    ['invalid, an escaped brace', '\\{', warn('\\\\{'), JSONP_CONTENT_TYPE],
    ['invalid, a repeated class', '[{a]+', warn('[{a]+'), JSONP_CONTENT_TYPE],
    ['invalid, back reference to no group', '\\1', warn('\\\\1'), JSON_CONTENT_TYPE],
    ['invalid, `\\/` is an escaped slash', '\\/', warn('\\\\\\/'), JSON_CONTENT_TYPE],
    ['invalid, `$` before a final newline only', '.*\\}$', warn('.*\\\\}$'), JSONP_CONTENT_TYPE],
  ];
  it.each(CASES)('%s', (_name, callback, body, contentType) => {
    expect(jsonpResponse(callback, value)).toEqual({ body, contentType });
  });

  it('overwrites an existing warning member in place, as PHP array assignment does', () => {
    expect(jsonpResponse('1', { warning: 'x', data: [] }).body).toBe(
      '{"warning":"INVALID JSONP CALLBACK: 1","data":[]}',
    );
  });
});

describe('jsonpUnencodableContentType: a callback whose bytes are not UTF-8 (the legacy answered an empty body)', () => {
  // Recorded from the runnable legacy: the empty body's type is its regex over ''.
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it.each([
    ['a lone 0xFF: `/^\xFF/` does not match the empty body', bytes(0xff), JSON_CONTENT_TYPE],
    ['`\xFF?` matches the empty body', bytes(0xff, 0x3f), JSONP_CONTENT_TYPE],
    ['`(\xFF)?` matches the empty body', bytes(0x28, 0xff, 0x29, 0x3f), JSONP_CONTENT_TYPE],
    ['`\xFF|` matches the empty body', bytes(0xff, 0x7c), JSONP_CONTENT_TYPE],
    ['a surrogate in UTF-8 (ED A0 80)', bytes(0xed, 0xa0, 0x80), JSON_CONTENT_TYPE],
    ['a slash ends the pattern: no regex, JSON', bytes(0x61, 0xff, 0x2f), JSON_CONTENT_TYPE],
    ['a cut UTF-8 sequence then `*`', bytes(0xc3, 0x2a), JSONP_CONTENT_TYPE],
  ])('%s', (_name, callback, contentType) => {
    expect(jsonpUnencodableContentType(callback)).toBe(contentType);
  });
});

describe('jsonpAround: the body split around its list, for a streamed renderer', () => {
  const rows: LegacyObject[] = [
    { id: '1', url: 'https://x/' },
    { id: '2', name: 'é 😀' },
  ];

  it.each([undefined, '', '0', 'cb', '1bad', '{'])(
    'jsonpAround(%j) gives jsonpResponse’s body',
    (callback) => {
      const list: LegacyObject[] = [];
      for (const data of [[], rows]) {
        const { body, contentType } = jsonpResponse(callback, { data });
        const { head, tail } = jsonpAround(callback, { data: list }, list);
        const streamed = head + data.map(encodeJson).join(',') + tail;
        expect(streamed).toBe(body);
        const reach = jsonpContentTypeReach(callback);
        expect(jsonpContentType(callback, streamed.slice(0, reach))).toBe(contentType);
      }
    },
  );
});

// PHP's own answers (scripts/php-preg-record.mjs): the legacy's render_json
// (../shared/legacy/oracle/lib/format.php) for each callback and payload: the Content-Type (1:
// JavaScript) and the FNV-1a 32 of the body.
const recorded = cases as unknown as { payloads: LegacyObject[]; callbacks: [string, string, string][] };

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

describe('JSONP against the legacy, recorded (preg_match of the callback as a regex)', () => {
  it('gives the legacy’s body and Content-Type for every callback and payload', () => {
    const wrong: string[] = [];
    for (const [callback, types, hashes] of recorded.callbacks) {
      const bodyHashes = hashes.split(' ');
      recorded.payloads.forEach((payload, k) => {
        const { body, contentType } = jsonpResponse(callback, payload);
        const type = contentType === JSONP_CONTENT_TYPE ? '1' : '0';
        if (type !== types[k] || fnv1a(body) !== bodyHashes[k]) {
          wrong.push(`${JSON.stringify(callback)} × payload ${k}: legacy ${types[k]} ${bodyHashes[k]}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(recorded.callbacks.length * recorded.payloads.length).toBeGreaterThan(4000);
  });

  // A streamed body is typed from its opening: the first `reach` bytes decide as the whole body does,
  // including bodies longer than the bound.
  it('decides from the first jsonpContentTypeReach bytes as from the whole body', () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({ id: String(i), name: `row ${i} é {x}` }));
    const payloads = [...recorded.payloads, { data: rows }];
    const wrong: string[] = [];
    for (const [callback] of recorded.callbacks) {
      for (const payload of payloads) {
        const { body, contentType } = jsonpResponse(callback, payload);
        const reach = jsonpContentTypeReach(callback);
        expect(reach).toBeLessThanOrEqual(JSONP_TYPE_BOUND + 2);
        // reach code units are at least reach bytes.
        if (jsonpContentType(callback, body.slice(0, reach)) !== contentType)
          wrong.push(JSON.stringify(callback));
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the type regex reads a bounded prefix of the body', () => {
  const long = {
    data: Array.from({ length: 4000 }, (_, i) => ({ id: String(i), name: 'aaaaaaaaaaaaaaaa' })),
  };
  const body = jsonpResponse('x', long).body;

  it('needs a few bytes for a callback that reads a few, the bound for one that may read on', () => {
    expect(jsonpContentTypeReach(undefined)).toBe(0);
    expect(jsonpContentTypeReach('cb')).toBe(4);
    expect(jsonpContentTypeReach('a.b')).toBe(5);
    expect(jsonpContentTypeReach('é')).toBe(4);
    expect(jsonpContentTypeReach('a/b')).toBe(0); // never matches
    expect(jsonpContentTypeReach('.*')).toBe(JSONP_TYPE_BOUND + 2);
    expect(jsonpContentTypeReach('x|y')).toBe(JSONP_TYPE_BOUND + 2); // `y` may match anywhere
    expect(jsonpContentTypeReach('(?m)x|^y')).toBe(JSONP_TYPE_BOUND + 2);
  });

  it('matches within the first 64 KiB, not beyond (PCRE answered there, at best, within its limits)', () => {
    expect(new TextEncoder().encode(body).length).toBeGreaterThan(2 * JSONP_TYPE_BOUND);
    expect(jsonpContentType('.{65535}.', body)).toBe(JSONP_CONTENT_TYPE); // 64 KiB
    expect(jsonpContentType('.{65535}..', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*"3999"', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*"29"', body)).toBe(JSONP_CONTENT_TYPE);
    // `$` and \z hold at the body's end only: not where the prefix stops.
    expect(jsonpContentType('.*$', body)).toBe(JSON_CONTENT_TYPE);
    expect(jsonpContentType('.*$', jsonpResponse('.*$', { data: [] }).body)).toBe(JSONP_CONTENT_TYPE);
  });
});
