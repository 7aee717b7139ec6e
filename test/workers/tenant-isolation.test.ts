// Tenant isolation matrix (issue 8): every advertiser and campaign id of the seed (read from the
// test database at run time) × every endpoint that takes an id × both tenants' keys × version
// prefixes. A key gets 200 for its own account's live rows and 404 for everything else — another
// account's rows answer exactly as a missing id does — and no list ever shows another account's row.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowanceBudget } from '../support/allowance';
import { type Foreign, foreignTo, leaksIn, leavesOf } from '../support/bodies';
import { loadTenants, type Tenants } from '../support/tenants';
import { call } from './http';
import { keyHeaders } from './keys';

const VIEWERS = ['main', 'other'] as const;
type Viewer = (typeof VIEWERS)[number];
const VERSIONS = ['', '/v1.3', '/v2.0'];
/** An id no account has: its 404 is what every other account's id must look like. */
const MISSING = '4294967295';
/** A range holding every metric row of the seed. */
const ALL_DATES = 'from=2000-01-01&to=2030-12-31';

interface Cell {
  path: string;
  /** The id under test, replaced by MISSING to get the answer for a row that does not exist. */
  id: string;
  expected: 200 | 404;
}

let tenants: Tenants;
const accountOf = (viewer: Viewer) => tenants.keyAccount[viewer]!;
const budget = new AllowanceBudget(450);
const cellsRun = { 200: 0, 404: 0 };

// The Worker logs one info line per request (some 2,000 here): counted, not printed (nor kept for
// test/global-setup.ts's scan of the output). Warnings and errors go to console as in other tests.
const consoleLog = console.log;
let infoLines = 0;

beforeAll(async () => {
  tenants = await loadTenants(env);
  console.log = () => {
    infoLines += 1;
  };
}, 120_000);

afterAll(() => {
  console.log = consoleLog;
  // 3 version prefixes × 2 keys × (advertisers × 5 endpoints + campaigns × 4 request forms).
  console.log(
    `tenant isolation matrix: ${cellsRun[200] + cellsRun[404]} cells (${cellsRun[200]} × 200, ${cellsRun[404]} × 404; ${VIEWERS.length} keys × ${VERSIONS.length} version prefixes); ${infoLines} request log lines`,
  );
});

const liveOf = (viewer: Viewer, row: { accountId: string; live: boolean }) =>
  row.accountId === accountOf(viewer) && row.live;

/** Every endpoint that takes an id, as cells for one viewer. */
const ENDPOINTS: { name: string; cells(viewer: Viewer): Cell[] }[] = [
  ...[
    '/advertisers/{id}',
    '/campaigns?advertiser_id={id}',
    '/clickthroughs?advertiser_id={id}',
    '/connector?advertiser_id={id}',
    '/dataconnector?advertiser_id={id}',
  ].map((template) => ({
    name: template,
    cells: (viewer: Viewer) =>
      tenants.advertisers.map((a) => ({
        path: template.replace('{id}', a.id),
        id: a.id,
        expected: liveOf(viewer, a) ? (200 as const) : (404 as const),
      })),
  })),
  ...['/campaigns/{id}', '/analytics/{id}'].map((template) => ({
    name: template,
    cells: (viewer: Viewer) =>
      tenants.campaigns.map((c) => ({
        path: template.replace('{id}', c.id),
        id: c.id,
        expected: liveOf(viewer, c) ? (200 as const) : (404 as const),
      })),
  })),
  {
    // campaign_id is looked up under advertiser_id: once with the campaign's own advertiser, once
    // with a live advertiser of the viewer's account (so only the campaign check can refuse).
    name: '/clickthroughs?advertiser_id=&campaign_id={id}',
    cells: (viewer: Viewer) => {
      const ownAdvertiser = tenants.advertisers.find((a) => liveOf(viewer, a))!;
      return tenants.campaigns.flatMap((c) => {
        const advertiser = tenants.advertisers.find((a) => a.id === c.advertiserId)!;
        return [
          {
            path: `/clickthroughs?advertiser_id=${c.advertiserId}&campaign_id=${c.id}`,
            id: c.id,
            expected: liveOf(viewer, c) && liveOf(viewer, advertiser) ? (200 as const) : (404 as const),
          },
          {
            path: `/clickthroughs?advertiser_id=${ownAdvertiser.id}&campaign_id=${c.id}`,
            id: c.id,
            expected:
              liveOf(viewer, c) && c.advertiserId === ownAdvertiser.id ? (200 as const) : (404 as const),
          },
        ];
      });
    },
  },
];

async function get(viewer: Viewer, path: string): Promise<Response> {
  await budget.spend(viewer);
  return call(path, { headers: keyHeaders(viewer) });
}

/** The detail of a 404 with its id (and MISSING) masked, to compare a foreign id with a missing one. */
function masked(detail: unknown, id: string): string {
  return String(detail).split(id).join('<id>').split(MISSING).join('<id>');
}

describe.each(VERSIONS)('version prefix "%s"', (prefix) => {
  describe.each(ENDPOINTS)('$name', (endpoint) => {
    it.each(VIEWERS)(
      'key %s: 200 for its live rows, 404 for every other id, exactly like a missing id',
      async (viewer) => {
        const foreign = foreignTo(tenants, accountOf(viewer));
        const cells = endpoint.cells(viewer);
        const expected: Record<string, number> = {};
        const actual: Record<string, number> = {};
        const problems: string[] = [];
        for (const cell of cells) {
          const path = prefix + cell.path;
          const response = await get(viewer, path);
          expected[path] = cell.expected;
          actual[path] = response.status;
          cellsRun[cell.expected] += 1;
          if (response.status === 200) {
            const leaks = leaksIn(
              leavesOf(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type')),
              foreign,
            );
            if (leaks.length) problems.push(`${path}: ${leaks.join(', ')}`);
          } else if (response.status === 404) {
            // Indistinguishable from a row that does not exist: same status, same detail.
            const detail = ((await response.json()) as { detail: unknown }).detail;
            const twin = await get(viewer, path.replace(new RegExp(`(?<=[/=])${cell.id}(?=$|&)`), MISSING));
            const twinDetail = ((await twin.json()) as { detail: unknown }).detail;
            if (twin.status !== 404 || masked(detail, cell.id) !== masked(twinDetail, cell.id))
              problems.push(
                `${path}: ${JSON.stringify(detail)} vs missing: ${twin.status} ${JSON.stringify(twinDetail)}`,
              );
          } else await response.body?.cancel();
        }
        expect(actual).toEqual(expected);
        expect(problems).toEqual([]);
        // Both outcomes occur for both keys: the table is not trivially all-404.
        expect(new Set(Object.values(expected))).toEqual(new Set([200, 404]));
      },
    );
  });
});

describe('lists never include another account’s rows', () => {
  const FORMATS = ['json', 'xml', 'csv'] as const;

  /** Every list of the viewer's account over the whole seed, by format. */
  const lists = (viewer: Viewer): string[] => {
    const own = tenants.advertisers.filter((a) => liveOf(viewer, a)).map((a) => a.id);
    return [
      '/advertisers',
      '/campaigns',
      `/campaigns?${ALL_DATES}`,
      `/dataconnector?${ALL_DATES}`,
      `/v2.0/dataconnector?${ALL_DATES}`,
      ...own.flatMap((id) => [
        `/campaigns?advertiser_id=${id}`,
        `/clickthroughs?advertiser_id=${id}&${ALL_DATES}`,
        `/connector?advertiser_id=${id}&${ALL_DATES}`,
        `/v2.0/connector?advertiser_id=${id}&${ALL_DATES}`,
        `/dataconnector?advertiser_id=${id}&${ALL_DATES}`,
      ]),
    ];
  };

  async function leavesFor(viewer: Viewer, path: string, format: string) {
    const response = await get(viewer, `${path}${path.includes('?') ? '&' : '?'}format=${format}`);
    expect(response.status, path).toBe(200);
    return leavesOf(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type'));
  }

  describe.each(FORMATS)('%s', (format) => {
    it.each(VIEWERS)('key %s', async (viewer) => {
      const foreign: Foreign = foreignTo(tenants, accountOf(viewer));
      const problems: string[] = [];
      let rows = 0;
      for (const path of lists(viewer)) {
        const leaves = await leavesFor(viewer, path, format);
        rows += leaves.filter(([name]) => name === 'id' || name === 'campaign_id').length;
        const leaks = leaksIn(leaves, foreign);
        if (leaks.length) problems.push(`${path}: ${leaks.slice(0, 5).join(', ')}`);
      }
      expect(problems).toEqual([]);
      expect(rows).toBeGreaterThan(0);
    });
  });

  it.each(VIEWERS)('key %s: /advertisers and /campaigns list exactly its live rows', async (viewer) => {
    const ids = (leaves: readonly (readonly [string, string])[]) =>
      leaves
        .filter(([name]) => name === 'id')
        .map(([, value]) => value)
        .sort();
    expect(ids(await leavesFor(viewer, '/advertisers', 'json'))).toEqual(
      tenants.advertisers
        .filter((a) => liveOf(viewer, a))
        .map((a) => a.id)
        .sort(),
    );
    expect(ids(await leavesFor(viewer, '/campaigns', 'json'))).toEqual(
      tenants.campaigns
        .filter((c) => liveOf(viewer, c))
        .map((c) => c.id)
        .sort(),
    );
  });

  it.each(FORMATS)(
    'the leak detector sees account 2’s rows when judged as account 1 (%s)',
    async (format) => {
      // A control: the detector is not vacuous in any format.
      const foreign = foreignTo(tenants, accountOf('main'));
      for (const path of ['/advertisers', '/campaigns', `/dataconnector?${ALL_DATES}`]) {
        expect(leaksIn(await leavesFor('other', path, format), foreign), path).not.toEqual([]);
      }
    },
  );
});
