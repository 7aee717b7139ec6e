import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env';
import type { OutputFormat } from '../../request/format';
import { type BodyFormat, bodyFormat } from '.';
import { csv } from './csv';
import { json } from './json';
import { xml } from './xml';

/** The format object chosen for a request negotiated as `format`, with the query `query`. */
async function chosen(format: OutputFormat, query: string): Promise<BodyFormat> {
  let picked: BodyFormat | undefined;
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    c.set('format', format);
    picked = bodyFormat(c);
    return c.body(null, 204);
  });
  await app.request(`/?${query}`);
  return picked!;
}

describe('bodyFormat: one object per output format', () => {
  it('takes the negotiated format; a callback changes nothing in XML or CSV', async () => {
    expect(await chosen('xml', '')).toBe(xml);
    expect(await chosen('csv', '')).toBe(csv);
    expect(await chosen('json', '')).toBe(json);
    expect(await chosen('xml', 'callback=cb')).toBe(xml);
    expect(await chosen('csv', 'callback=cb')).toBe(csv);
  });

  it('JSON with a `callback` parameter is JSONP, even empty; a list of them is not', async () => {
    // Typed by the legacy's preg_match('/^' . $callback . '/', $body): `/^0/` does not match.
    for (const [query, type] of [
      ['callback=cb', 'application/javascript; charset=utf-8'],
      ['callback=', 'application/javascript; charset=utf-8'],
      ['callback=0', 'application/json; charset=utf-8'],
    ]) {
      const format = await chosen('json', query!);
      expect(format).not.toBe(json);
      expect(format.render({ data: [] }).contentType).toBe(type);
    }
    expect(await chosen('json', 'callback[]=cb')).toBe(json);
  });

  it('a callback whose bytes are not UTF-8 gives the empty body the legacy answered, rows or not', async () => {
    // json_encode refused the warning member quoting the callback: PHP sent false, an empty body.
    for (const [query, type] of [
      ['callback=%FF', 'application/json; charset=utf-8'],
      ['callback=cb%C3', 'application/json; charset=utf-8'],
      ['callback=%FF%3F', 'application/javascript; charset=utf-8'],
    ]) {
      const format = await chosen('json', query!);
      expect(format.render({ data: [{ id: '1' }] })).toEqual({ bytes: new Uint8Array(0), contentType: type });
      expect(format.contentType('{"data":[')).toBe(type);
      expect(format.rows.opening({ id: '1' }) + format.rows.between + format.rows.closing).toBe('');
    }
    // Valid UTF-8, noncharacters included, is text: the warning quotes it.
    const nonCharacter = await chosen('json', 'callback=%EF%BF%BF');
    expect(new TextDecoder().decode(nonCharacter.render({ data: [] }).bytes)).toBe(
      '{"data":[],"warning":"INVALID JSONP CALLBACK: \uFFFF"}',
    );
  });
});
