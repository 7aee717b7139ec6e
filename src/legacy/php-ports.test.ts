import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { htmlEntityDecode } from './html-entities';
import { phpIntval, phpRatio, phpRatio2 } from './php-int';
import { encodeJson } from './php-json';
import recorded from './php-ports.cases.json';
import { PHP_ARRAY, phpParseQuery } from './php-query';
import { phpStrval } from './php-string';
import { toXml } from './xml';

// PHP 8.2's own answers (scripts/php-ports-record.mjs) for inputs built to reach every branch,
// far beyond what the fixtures and generated datasets hold.
const table = recorded as unknown as {
  recordedWith: string;
  rates: [string, string, string, number, string][];
  entities: [string, string][];
  render: [string, string, string][];
  queries: [string, string][];
};

function fnv1a32(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The rate as the Worker computes it for the legacy's expression of that kind. */
function rate(kind: string, a: string, b: string, places: number): ReturnType<typeof phpRatio> {
  const [x, y] = [phpIntval(a), phpIntval(b)];
  if (kind === 'ratio') return phpRatio(x, y, 100, places);
  if (kind === 'engagement') return y > 0 ? phpRatio2(x, 1000, y, places) : 0;
  return phpRatio(x, 1000, 1, places);
}

describe(`PHP's functions against its recorded answers (${table.recordedWith})`, () => {
  it('round() of the rates, written by json_encode and as a string (XML, CSV)', () => {
    // Through the renderers' own rules, which tell a PHP float from an int by the value alone.
    const wrong = table.rates
      .filter(([kind, a, b, places, answer]) => {
        const value = rate(kind, a, b, places);
        return `${encodeJson(value)} ${phpStrval(value)}` !== answer;
      })
      .map(([kind, a, b, places, answer]) => `${kind} ${a} ${b} ${places}: PHP ${answer}`);
    expect(wrong).toEqual([]);
    expect(table.rates.length).toBeGreaterThan(2000);
  });

  it('html_entity_decode(…, ENT_QUOTES, "UTF-8")', () => {
    const wrong = table.entities.filter(([text, answer]) => htmlEntityDecode(text) !== answer);
    expect(wrong).toEqual([]);
    expect(table.entities.length).toBeGreaterThan(2000);
  });

  it("the XML and CSV bodies of the oracle's renderers, for strings of every class they escape", () => {
    const wrong = table.render
      .filter(([text, xml, csv]) => {
        const rows = [
          { id: '7', name: text, n: null },
          { id: '8', name: text, n: 1.5 },
        ];
        return (
          fnv1a32(new TextEncoder().encode(toXml({ data: rows }))) !== xml || fnv1a32(toCsv(rows)) !== csv
        );
      })
      .map(([text]) => JSON.stringify(text));
    expect(wrong).toEqual([]);
    expect(table.render.length).toBeGreaterThan(1500);
  });

  it('$_GET of a query string (names, values and lists as parse_str builds them)', () => {
    const hex = (bytes: string) => Buffer.from(bytes, 'latin1').toString('hex');
    const wrong = table.queries
      .filter(([query, answer]) => {
        const pairs = [...phpParseQuery(query)].map(
          ([name, value]) => `${hex(name)}:${value === PHP_ARRAY ? 'A' : hex(value as string)}`,
        );
        return pairs.join(',') !== answer;
      })
      .map(([query, answer]) => `${JSON.stringify(query)}: PHP ${answer}`);
    expect(wrong).toEqual([]);
    expect(table.queries.length).toBeGreaterThan(2000);
  });
});
