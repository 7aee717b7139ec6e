// The Looker Studio connector and the Google Sheets script (integrations/), run in Node through
// the Apps Script stand-in (./apps-script.ts) against the real Worker under wrangler dev. Google's
// own services (Looker Studio, Sheets, the Apps Script runtime) cannot be reached from here: what
// is tested is that the scripts call the API as documented and turn its answers into what those
// services expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';
import { type AppsScriptProject, type BuiltField, loadAppsScript, UserError } from './apps-script';

const LOOKER = join(projectRoot, 'integrations/looker-studio');
const SHEETS = join(projectRoot, 'integrations/google-sheets');

const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')) as {
  keys: Record<'main' | 'tight' | 'revoked', { int_key: string; api_key: string }>;
};
const keysOf = (alias: 'main' | 'tight' | 'revoked') => ({
  integrationKey: manifest.keys[alias].int_key,
  apiKey: manifest.keys[alias].api_key,
});

/** The v2 connector row of the contract, its properties in order. */
const spec = parse(readFileSync(join(projectRoot, 'openapi.yaml'), 'utf8'));
const v2Row = spec.components.schemas.ConnectorRowV2 as {
  properties: Record<string, { type: string; pattern?: string }>;
};
const v2Columns = Object.keys(v2Row.properties);

const baseUrl = inject('integrationsBaseUrl');

/** Takes the `aggregate` database away (its proxy refuses connections) or gives it back. */
async function aggregate(state: 'down' | 'up') {
  const response = await fetch(`${inject('integrationsControlUrl')}/aggregate/${state}`, { method: 'POST' });
  expect(response.status).toBe(204);
}

/** What the API itself answers for a JSON GET with a key pair. */
async function api(path: string, alias: 'main' | 'tight' = 'main') {
  const keys = keysOf(alias);
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { 'X-Integration-Key': keys.integrationKey, 'X-Api-Key': keys.apiKey },
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: Array<Record<string, unknown>> },
  };
}

function project(dir: string): AppsScriptProject {
  const script = loadAppsScript(dir);
  script.scriptProperties.setProperty('ADVENTIVE_API_BASE_URL', baseUrl);
  return script;
}

/** A Looker Studio project whose user has entered `alias`'s keys (through setCredentials). */
function lookerWith(alias: 'main' | 'tight' | 'revoked'): AppsScriptProject {
  const looker = project(LOOKER);
  const keys = keysOf(alias);
  looker.userProperties.setProperty('adventive.integration_key', keys.integrationKey);
  looker.userProperties.setProperty('adventive.api_key', keys.apiKey);
  return looker;
}

function userErrorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a Looker Studio user error');
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** No key of the seed in any URL the scripts fetched: keys travel in headers only. */
function expectKeysInHeadersOnly(script: AppsScriptProject) {
  const secrets = Object.values(manifest.keys).flatMap((k) => [k.int_key, k.api_key]);
  expect(script.fetches.length).toBeGreaterThan(0);
  for (const fetched of script.fetches) {
    for (const secret of secrets) expect(fetched.url.includes(secret), 'a key in a URL').toBe(false);
    expect(Object.keys(fetched.headers)).toEqual(
      expect.arrayContaining(['X-Integration-Key', 'X-Api-Key', 'Accept']),
    );
  }
}

describe('Looker Studio community connector', () => {
  it('asks for the key pair as a user token (integration key = user name, API key = token)', () => {
    const looker = project(LOOKER);
    expect(looker.global.getAuthType!()).toMatchObject({
      type: 'USER_TOKEN',
      helpUrl: 'https://api.adventive.com/docs/guides/looker-studio.html',
    });
    expect(looker.global.isAdminUser!()).toBe(false);
  });

  it('setCredentials keeps a pair the API accepts, refuses one it does not; resetAuth forgets it', () => {
    const looker = project(LOOKER);
    const wrong = { userToken: { username: 'int-nobody', token: 'api-nobody' } };
    expect(looker.global.setCredentials!(wrong)).toEqual({ errorCode: 'INVALID_CREDENTIALS' });
    expect(looker.userProperties.getKeys()).toEqual([]);
    expect(looker.global.isAuthValid!()).toBe(false);

    const main = keysOf('main');
    const right = { userToken: { username: ` ${main.integrationKey}`, token: `${main.apiKey} ` } };
    expect(looker.global.setCredentials!(right)).toEqual({ errorCode: 'NONE' });
    expect(looker.userProperties.getProperty('adventive.integration_key')).toBe(main.integrationKey);
    expect(looker.global.isAuthValid!()).toBe(true);
    expect(looker.fetches.map((f) => [new URL(f.url).pathname, f.status])).toEqual([
      ['/credentialscheck', 401],
      ['/credentialscheck', 200],
      ['/credentialscheck', 200],
    ]);

    looker.global.resetAuth!();
    expect(looker.userProperties.getKeys()).toEqual([]);
    expect(looker.global.isAuthValid!()).toBe(false);
    expectKeysInHeadersOnly(looker);
  });

  it('a revoked pair is no longer valid (Looker Studio then asks for keys again)', () => {
    expect(lookerWith('revoked').global.isAuthValid!()).toBe(false);
  });

  it('getConfig: the date range comes from the report; the advertisers are the API’s', async () => {
    const looker = lookerWith('main');
    const config = looker.global.getConfig!({}) as {
      dateRangeRequired: boolean;
      configParams: Array<{ kind: string; id: string; options?: Array<{ label: string; value: string }> }>;
    };
    expect(config.dateRangeRequired).toBe(true);
    const select = config.configParams.find((p) => p.id === 'advertiser_id');
    const advertisers = (await api('/advertisers')).body.data;
    expect(select?.options).toEqual([
      { kind: 'OPTION', label: 'All advertisers', value: 'all' },
      ...advertisers.map((a) => ({ kind: 'OPTION', label: `${a.name} (${a.id})`, value: a.id })),
    ]);
  });

  it('getSchema: the fields of the v2 connector row, typed from the contract', () => {
    const fields = (lookerWith('main').global.getSchema!({}) as { schema: BuiltField[] }).schema;
    expect(fields.map((f) => f.name)).toEqual(v2Columns);
    for (const field of fields) {
      const property = v2Row.properties[field.name]!;
      const kind = `${property.type}${property.pattern?.includes('[0-9]{4}') ? ' date' : ''}`;
      const expected = {
        'string date': {
          dataType: 'STRING',
          semantics: { conceptType: 'DIMENSION', semanticType: 'YEAR_MONTH_DAY' },
        },
        string: { dataType: 'STRING', semantics: { conceptType: 'DIMENSION', semanticType: 'TEXT' } },
        integer: {
          dataType: 'NUMBER',
          semantics: { conceptType: 'METRIC', semanticType: 'NUMBER' },
          defaultAggregationType: 'SUM',
        },
        number: { dataType: 'NUMBER', semantics: { conceptType: 'METRIC' } },
      }[kind];
      expect(expected, `${field.name}: ${kind}`).toBeDefined();
      expect(field, field.name).toMatchObject(expected!);
    }
    // The two numbers: CTR is computed by Looker Studio from the summed counts (the contract's
    // definition, clicks / impressions); engagement time is a duration in seconds, summed.
    expect(fields.find((f) => f.name === 'ctr')).toMatchObject({
      semantics: { semanticType: 'PERCENT' },
      formula: 'SUM($clicks) / SUM($impressions)',
    });
    expect(fields.find((f) => f.name === 'engagement_time')).toMatchObject({
      semantics: { semanticType: 'DURATION' },
      defaultAggregationType: 'SUM',
    });
  });

  it('getData: the rows /v2.0/dataconnector answered for the report’s range, in the requested fields’ order', async () => {
    const looker = lookerWith('main');
    const ids = ['date', 'campaign_name', 'placement_id', 'impressions', 'ctr', 'video_completes'];
    const answer = looker.global.getData!({
      fields: ids.map((name) => ({ name })),
      dateRange: { startDate: '2026-11-15', endDate: '2026-11-21' },
      configParams: { advertiser_id: 'all' },
    }) as { schema: BuiltField[]; rows: Array<{ values: unknown[] }> };
    expect(answer.schema.map((f) => f.name)).toEqual(ids);
    const expected = await api('/v2.0/dataconnector?from=2026-11-15&to=2026-11-21&data_connector=1');
    expect(expected.body.data.length).toBeGreaterThan(10);
    expect(answer.rows).toEqual(
      expected.body.data.map((row) => ({
        values: ids.map((id) => (id === 'ctr' ? (row.ctr as number) / 100 : row[id])),
      })),
    );
    expect(answer.rows[0]!.values[0]).toMatch(/^\d{8}$/);
    expect(new URL(looker.fetches.at(-1)!.url).search).toBe(
      '?from=2026-11-15&to=2026-11-21&data_connector=1',
    );
    expectKeysInHeadersOnly(looker);
  });

  it('getData for one advertiser', async () => {
    const looker = lookerWith('main');
    const answer = looker.global.getData!({
      fields: [{ name: 'advertiser_id' }, { name: 'impressions' }],
      dateRange: { startDate: '2026-11-01', endDate: '2026-11-21' },
      configParams: { advertiser_id: '19' },
    }) as { rows: Array<{ values: unknown[] }> };
    const expected = await api('/v2.0/dataconnector?from=2026-11-01&to=2026-11-21&advertiser_id=19');
    expect(answer.rows).toEqual(
      expected.body.data.map((row) => ({ values: [row.advertiser_id, row.impressions] })),
    );
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(new Set(answer.rows.map((r) => r.values[0]))).toEqual(new Set(['19']));
  });

  it('errors reach the user as readable messages: bad date, revoked keys', () => {
    const request = (startDate: string) => ({
      fields: [{ name: 'date' }],
      dateRange: { startDate, endDate: '2026-11-21' },
      configParams: {},
    });
    const bad = userErrorOf(() => lookerWith('main').global.getData!(request('2026-11-31')));
    expect(bad.text).toBe(
      'Adventive API refused the request (HTTP 400). The API said: "Parameter "from" must be a calendar date YYYY-MM-DD; got "2026-11-31"."',
    );
    expect(bad.debugText).toBe('GET /v2.0/dataconnector: HTTP 400');
    const revoked = userErrorOf(() => lookerWith('revoked').global.getData!(request('2026-11-01')));
    expect(revoked.text).toBe(
      'Adventive API did not accept the key pair; check the integration key and the API key. The API said: "The key pair is not valid."',
    );
  });

  it('429: the allowance is spent, the user is told when it resets', async () => {
    await spendAllowance('tight');
    const looker = lookerWith('tight');
    const error = userErrorOf(() =>
      looker.global.getData!({
        fields: [{ name: 'date' }],
        dateRange: { startDate: '2026-11-01', endDate: '2026-11-21' },
        configParams: {},
      }),
    );
    expect(looker.fetches.at(-1)!.status).toBe(429);
    // The clock is pinned at 10:30 New York (15:30 UTC): the window resets in 1800 s.
    expect(error.text).toBe(
      'Adventive API: this key pair has used up its hourly request allowance; it resets in 30 minutes. The API said: "This key pair has used its 5 requests for this hour."',
    );
    // A spent allowance is not a bad key: Looker Studio must not ask for new keys.
    expect(looker.global.isAuthValid!()).toBe(true);
  });

  it('503: the metrics database is unreachable, the user is told to retry and that the keys are fine', async () => {
    await aggregate('down');
    try {
      const looker = lookerWith('main');
      const error = userErrorOf(() =>
        looker.global.getData!({
          fields: [{ name: 'date' }],
          dateRange: { startDate: '2026-11-01', endDate: '2026-11-21' },
          configParams: {},
        }),
      );
      expect(looker.fetches.at(-1)!.status).toBe(503);
      expect(error.text).toBe(
        'Adventive API is temporarily unavailable; try again in 30 seconds (your keys are fine). The API said: "The database is unreachable; retry later."',
      );
    } finally {
      await aggregate('up');
    }
  });
});

/** Uses up the rest of a key pair's hourly allowance (rph 5 for `tight`) with direct requests. */
async function spendAllowance(alias: 'tight') {
  for (let i = 0; i < 10; i++) {
    if ((await api('/credentialscheck', alias)).status === 429) return;
  }
  throw new Error('the allowance was never spent');
}

describe('Google Sheets script', () => {
  function sheetsWith(alias?: 'main' | 'tight' | 'revoked'): AppsScriptProject {
    const sheets = project(SHEETS);
    if (alias) {
      const keys = keysOf(alias);
      sheets.scriptProperties.setProperty('ADVENTIVE_INTEGRATION_KEY', keys.integrationKey);
      sheets.scriptProperties.setProperty('ADVENTIVE_API_KEY', keys.apiKey);
    }
    return sheets;
  }

  it('its columns are the v2 connector row of the contract', () => {
    expect(sheetsWith().global.ADVENTIVE_COLUMNS).toEqual(v2Columns);
  });

  it('onOpen adds the Adventive menu; every item names a function of the script', () => {
    const sheets = sheetsWith();
    sheets.global.onOpen!();
    expect(sheets.ui.menus).toEqual([
      {
        name: 'Adventive',
        items: [
          ['Pull data into a sheet…', 'adventivePullFromMenu'],
          ['Set API keys…', 'adventiveSetKeys'],
          ['Forget API keys', 'adventiveForgetKeys'],
        ],
      },
    ]);
    for (const [, name] of sheets.ui.menus[0]!.items) expect(typeof sheets.global[name]).toBe('function');
  });

  it('Set API keys: checked with the API, kept in the script properties; a refused pair is not kept', () => {
    const sheets = sheetsWith();
    sheets.ui.answers = ['int-nobody', 'api-nobody'];
    sheets.global.adventiveSetKeys!();
    expect(sheets.ui.alerts.at(-1)).toBe('Adventive API: this key pair was not accepted. Nothing was saved.');
    expect(sheets.scriptProperties.getProperty('ADVENTIVE_API_KEY')).toBeNull();

    const main = keysOf('main');
    sheets.ui.answers = [main.integrationKey, main.apiKey];
    sheets.global.adventiveSetKeys!();
    expect(sheets.ui.alerts.at(-1)).toBe('Adventive API keys saved for this spreadsheet.');
    expect(sheets.scriptProperties.getProperty('ADVENTIVE_INTEGRATION_KEY')).toBe(main.integrationKey);
    expect(sheets.scriptProperties.getProperty('ADVENTIVE_API_KEY')).toBe(main.apiKey);

    sheets.global.adventiveForgetKeys!();
    expect(sheets.scriptProperties.getProperty('ADVENTIVE_API_KEY')).toBeNull();
    expectKeysInHeadersOnly(sheets);
  });

  it('ADVENTIVE_DATA: a heading row, then the rows the API answered; date cells accepted', async () => {
    const sheets = sheetsWith('main');
    const expected = await api('/v2.0/dataconnector?from=2026-11-15&to=2026-11-21');
    const values = [v2Columns, ...expected.body.data.map((row) => v2Columns.map((c) => row[c]))];
    expect(sheets.global.ADVENTIVE_DATA!('2026-11-15', '2026-11-21')).toEqual(values);
    // A date cell arrives as a Date at midnight in the spreadsheet's time zone (New York).
    const cell = (day: string) => new Date(`${day}T00:00:00-05:00`);
    expect(sheets.global.ADVENTIVE_DATA!(cell('2026-11-15'), cell('2026-11-21'), '')).toEqual(values);
    const one = await api('/v2.0/dataconnector?from=2026-11-15&to=2026-11-21&advertiser_id=11');
    expect(sheets.global.ADVENTIVE_DATA!('2026-11-15', '2026-11-21', 11)).toEqual([
      v2Columns,
      ...one.body.data.map((row) => v2Columns.map((c) => row[c])),
    ]);
  });

  it('the menu pulls a range into the "Adventive" sheet, replacing what was there', async () => {
    const sheets = sheetsWith('main');
    const first = sheets.spreadsheet.insertSheet('Adventive');
    first.values = Array.from({ length: 500 }, () => ['old']);
    sheets.ui.answers = ['2026-11-20', '2026-11-21', ''];
    sheets.global.adventivePullFromMenu!();
    const expected = await api('/v2.0/dataconnector?from=2026-11-20&to=2026-11-21');
    expect(sheets.ui.alerts).toEqual([`${expected.body.data.length} rows written to the sheet "Adventive".`]);
    expect(sheets.spreadsheet.getSheetByName('Adventive')!.values).toEqual([
      v2Columns,
      ...expected.body.data.map((row) => v2Columns.map((c) => row[c])),
    ]);
  });

  it('errors reach the user: in a cell (no keys, 400, 401, 429, 503) and in the menu', async () => {
    expect(errorOf(() => sheetsWith().global.ADVENTIVE_DATA!('2026-11-01', '2026-11-21')).message).toBe(
      'Adventive API: no key pair is set. Enter your integration key and API key first.',
    );
    expect(errorOf(() => sheetsWith('main').global.ADVENTIVE_DATA!('2026-11-21', '2026-11-01')).message).toBe(
      'Adventive API refused the request (HTTP 400). The API said: "Parameter "from" (2026-11-21) must not be after "to" (2026-11-01)."',
    );
    expect(
      errorOf(() => sheetsWith('revoked').global.ADVENTIVE_DATA!('2026-11-01', '2026-11-21')).message,
    ).toMatch(/^Adventive API did not accept the key pair/);
    await spendAllowance('tight');
    expect(
      errorOf(() => sheetsWith('tight').global.ADVENTIVE_DATA!('2026-11-01', '2026-11-21')).message,
    ).toMatch(
      /^Adventive API: this key pair has used up its hourly request allowance; it resets in 30 minutes\./,
    );
    await aggregate('down');
    try {
      const sheets = sheetsWith('main');
      expect(errorOf(() => sheets.global.ADVENTIVE_DATA!('2026-11-01', '2026-11-21')).message).toMatch(
        /^Adventive API is temporarily unavailable; try again in 30 seconds \(your keys are fine\)\./,
      );
      sheets.ui.answers = ['2026-11-01', '2026-11-21', ''];
      sheets.global.adventivePullFromMenu!();
      expect(sheets.ui.alerts.at(-1)).toMatch(/^Adventive API is temporarily unavailable/);
      expect(sheets.spreadsheet.getSheetByName('Adventive')).toBeNull();
    } finally {
      await aggregate('up');
    }
  });
});

describe('the two projects', () => {
  it('share one API file, byte for byte', () => {
    expect(readFileSync(join(SHEETS, 'AdventiveApi.gs'), 'utf8')).toBe(
      readFileSync(join(LOOKER, 'AdventiveApi.gs'), 'utf8'),
    );
  });

  it.each([LOOKER, SHEETS])('%s/appsscript.json allows the API hosts and runs on V8', (dir) => {
    const manifestJson = JSON.parse(readFileSync(join(dir, 'appsscript.json'), 'utf8'));
    expect(manifestJson.runtimeVersion).toBe('V8');
    expect(manifestJson.urlFetchWhitelist).toContain('https://api.adventive.com/');
    expect(manifestJson.oauthScopes).toContain('https://www.googleapis.com/auth/script.external_request');
  });
});
