// Reads the (key, value) leaves of a success body in any of the legacy formats, and finds in them
// what belongs to another account: the tenant-isolation checks of the fuzz and matrix tests.
import { htmlEntityDecode } from '../../src/legacy';
import type { Tenants } from './tenants';

/** One leaf of a body: the member (JSON), element (XML) or column (CSV) name, and its text. */
export type Leaf = readonly [name: string, value: string];

function jsonLeaves(value: unknown, name: string, out: Leaf[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) for (const item of value) jsonLeaves(item, name, out);
  else if (typeof value === 'object')
    for (const [key, member] of Object.entries(value as Record<string, unknown>))
      jsonLeaves(member, key, out);
  else out.push([name, String(value)]);
}

const XML_ESCAPES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

function xmlLeaves(text: string, out: Leaf[]): void {
  for (const [, name, inner] of text.matchAll(/<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g))
    out.push([name!, inner!.replace(/&(?:amp|lt|gt|quot|apos);/g, (e) => XML_ESCAPES[e]!)]);
}

/** Records of PHP fputcsv output (`"` enclosure, doubled inside quotes; LF line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

function csvLeaves(text: string, out: Leaf[]): void {
  const [heading, ...records] = parseCsv(text);
  if (!heading) return;
  for (const record of records)
    record.forEach((value, i) => {
      out.push([heading[i] ?? '', value]);
    });
}

/** The text of a body: CSV is UTF-16LE (labelled utf-8, CONTRACT §3.4), everything else UTF-8. */
export function bodyText(bytes: Uint8Array, contentType: string | null): string {
  const csv = contentType?.startsWith('application/csv');
  return new TextDecoder(csv ? 'utf-16le' : 'utf-8').decode(bytes);
}

/**
 * Every leaf of a success body. JSONP (`cb(<json>);`) is unwrapped; a body that cannot be read
 * in its declared format throws, so the caller reports it.
 */
export function leavesOf(bytes: Uint8Array, contentType: string | null): Leaf[] {
  const text = bodyText(bytes, contentType);
  const out: Leaf[] = [];
  const type = contentType ?? '';
  if (type.startsWith('application/xml')) xmlLeaves(text, out);
  else if (type.startsWith('application/csv')) csvLeaves(text, out);
  else if (type.startsWith('application/json') || type.startsWith('application/javascript')) {
    const json =
      text.startsWith('{') || text.startsWith('[') ? text : text.replace(/^[^(]*\(([\s\S]*)\);$/, '$1');
    jsonLeaves(JSON.parse(json), '', out);
  }
  return out;
}

/** What a viewer of `accountId` must never see: the other accounts' ids and names. */
export interface Foreign {
  advertiserIds: Set<string>;
  campaignIds: Set<string>;
  placementIds: Set<string>;
  /** The viewer's own contact, site, ad unit and delivery group ids: an `id` member may be one. */
  nestedIds: Set<string>;
  /** Names of other accounts' advertisers and campaigns that no row of the viewer's account has. */
  names: Set<string>;
}

export function foreignTo(tenants: Tenants, accountId: string): Foreign {
  const mine = (row: { accountId: string }) => row.accountId === accountId;
  const ownNames = new Set(
    [...tenants.advertisers.filter(mine), ...tenants.campaigns.filter(mine)].flatMap((r) => [
      r.name,
      htmlEntityDecode(r.name),
    ]),
  );
  const names = new Set(
    [...tenants.advertisers, ...tenants.campaigns]
      .filter((r) => !mine(r))
      .flatMap((r) => [r.name, htmlEntityDecode(r.name)])
      .filter((name) => !ownNames.has(name)),
  );
  const ids = (rows: { id: string; accountId: string }[]) =>
    new Set(rows.filter((r) => !mine(r)).map((r) => r.id));
  return {
    advertiserIds: ids(tenants.advertisers),
    campaignIds: ids(tenants.campaigns),
    placementIds: ids(tenants.placements),
    nestedIds: tenants.nestedIds.get(accountId) ?? new Set(),
    names,
  };
}

/** Leaves that show another account's row: an id under an id member, or a name. */
export function leaksIn(leaves: readonly Leaf[], foreign: Foreign): string[] {
  const found: string[] = [];
  for (const [name, value] of leaves) {
    const leak =
      (name === 'advertiser_id' && foreign.advertiserIds.has(value)) ||
      (name === 'campaign_id' && foreign.campaignIds.has(value)) ||
      (name === 'placement_id' && foreign.placementIds.has(value)) ||
      (name === 'id' &&
        !foreign.nestedIds.has(value) &&
        (foreign.advertiserIds.has(value) ||
          foreign.campaignIds.has(value) ||
          foreign.placementIds.has(value))) ||
      foreign.names.has(value);
    if (leak) found.push(`${name}=${JSON.stringify(value)}`);
  }
  return found;
}
