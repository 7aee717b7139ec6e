// A small stand-in for the Apps Script services the integrations call, so their .gs files run in
// Node against a real Worker: UrlFetchApp (synchronous, as in Apps Script: a worker thread does
// the HTTP request while the caller blocks), PropertiesService, the community connector's
// builders (DataStudioApp) and the few SpreadsheetApp / Utilities calls of the Sheets script.
// Only what those scripts use is here; Google's services themselves cannot be reached.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { createSyncFn } from 'synckit';

interface RawAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

const syncFetch = createSyncFn<(url: string, init: RequestInit) => Promise<RawAnswer>>(
  new URL('./sync-fetch.worker.mjs', import.meta.url).pathname,
);

/** One UrlFetchApp.fetch as the stand-in saw it. */
export interface FetchRecord {
  url: string;
  headers: Record<string, string>;
  status: number;
}

class Properties {
  private readonly values = new Map<string, string>();
  getProperty(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setProperty(key: string, value: string): this {
    this.values.set(key, String(value));
    return this;
  }
  deleteProperty(key: string): this {
    this.values.delete(key);
    return this;
  }
  getKeys(): string[] {
    return [...this.values.keys()];
  }
}

function urlFetchApp(log: FetchRecord[]) {
  return {
    fetch(url: string, params: Record<string, unknown> = {}) {
      const headers = (params.headers ?? {}) as Record<string, string>;
      const answer = syncFetch(url, {
        method: String(params.method ?? 'get').toUpperCase(),
        headers,
        redirect: params.followRedirects === false ? 'manual' : 'follow',
      });
      log.push({ url, headers, status: answer.status });
      if (answer.status >= 400 && !params.muteHttpExceptions) {
        throw new Error(`Request failed for ${url} returned code ${answer.status}`);
      }
      const bytes = Buffer.from(answer.body, 'base64');
      return {
        getResponseCode: () => answer.status,
        getContentText: (charset = 'utf-8') => new TextDecoder(charset).decode(bytes),
        getHeaders: () => Object.fromEntries(answer.headers),
        getAllHeaders: () => Object.fromEntries(answer.headers),
      };
    },
  };
}

// ---------------------------------------------------------------- DataStudioApp

const FieldType = Object.fromEntries(
  ['YEAR_MONTH_DAY', 'TEXT', 'NUMBER', 'PERCENT', 'DURATION', 'BOOLEAN', 'CURRENCY_USD'].map((t) => [t, t]),
);
const AggregationType = Object.fromEntries(
  ['SUM', 'AVG', 'COUNT', 'MAX', 'MIN', 'AUTO', 'NO_AGGREGATION'].map((t) => [t, t]),
);
const AuthType = Object.fromEntries(
  ['NONE', 'KEY', 'USER_PASS', 'USER_TOKEN', 'OAUTH2', 'PATH_USER_PASS', 'PATH_KEY'].map((t) => [t, t]),
);
const NUMERIC = new Set(['NUMBER', 'PERCENT', 'DURATION', 'CURRENCY_USD']);

/** What the connector's field builder produced for one field (its schema entry, simplified). */
export interface BuiltField {
  name: string;
  label: string;
  description?: string;
  dataType: 'STRING' | 'NUMBER' | 'BOOLEAN';
  semantics: { conceptType: 'DIMENSION' | 'METRIC'; semanticType?: string };
  defaultAggregationType?: string;
  formula?: string;
}

class Field {
  readonly props: Record<string, string> = {};
  constructor(readonly concept: 'DIMENSION' | 'METRIC') {}
  setId(id: string) {
    this.props.id = id;
    return this;
  }
  setName(name: string) {
    this.props.name = name;
    return this;
  }
  setDescription(description: string) {
    this.props.description = description;
    return this;
  }
  setType(type: string) {
    if (!(type in FieldType)) throw new Error(`unknown FieldType ${type}`);
    this.props.type = type;
    return this;
  }
  setAggregation(aggregation: string) {
    if (!(aggregation in AggregationType)) throw new Error(`unknown AggregationType ${aggregation}`);
    this.props.aggregation = aggregation;
    return this;
  }
  setFormula(formula: string) {
    this.props.formula = formula;
    return this;
  }
  getId() {
    return this.props.id;
  }
  build(): BuiltField {
    const { id, name, description, type, aggregation, formula } = this.props;
    if (!id || !type) throw new Error(`field ${id ?? '?'} needs an id and a type`);
    return {
      name: id,
      label: name ?? id,
      ...(description ? { description } : {}),
      dataType: type === 'BOOLEAN' ? 'BOOLEAN' : NUMERIC.has(type) ? 'NUMBER' : 'STRING',
      semantics: { conceptType: this.concept, semanticType: type },
      ...(aggregation ? { defaultAggregationType: aggregation } : {}),
      ...(formula ? { formula } : {}),
    };
  }
}

class Fields {
  constructor(readonly list: Field[] = []) {}
  newDimension() {
    const field = new Field('DIMENSION');
    this.list.push(field);
    return field;
  }
  newMetric() {
    const field = new Field('METRIC');
    this.list.push(field);
    return field;
  }
  setDefaultDimension(id: string) {
    this.getFieldById(id);
  }
  setDefaultMetric(id: string) {
    this.getFieldById(id);
  }
  getFieldById(id: string) {
    const field = this.list.find((f) => f.getId() === id);
    if (!field) throw new Error(`no field ${id}`);
    return field;
  }
  forIds(ids: string[]) {
    return new Fields(ids.map((id) => this.getFieldById(id)));
  }
  asArray() {
    return [...this.list];
  }
  build() {
    return this.list.map((field) => field.build());
  }
}

/** A chainable builder that records its setters (config entries, options, auth responses). */
function recorder(kind: string, sink?: Array<Record<string, unknown>>) {
  const props: Record<string, unknown> = { kind };
  sink?.push(props);
  const target = {
    props,
    options: [] as Array<Record<string, unknown>>,
    addOption(option: { props: Record<string, unknown> }) {
      this.options.push(option.props);
      props.options = this.options;
      return proxy;
    },
  };
  const proxy: Record<string, unknown> = new Proxy(target, {
    get(object, key: string) {
      if (key in object) return object[key as keyof typeof object];
      if (key.startsWith('set')) {
        return (value: unknown) => {
          props[key.slice(3, 4).toLowerCase() + key.slice(4)] = value;
          return proxy;
        };
      }
      return undefined;
    },
  });
  return proxy;
}

/** Thrown by newUserError().throwException(): what Looker Studio would show the user. */
export class UserError extends Error {
  constructor(
    readonly text: string,
    readonly debugText: string,
  ) {
    super(text);
  }
}

function dataStudioApp() {
  return {
    createCommunityConnector: () => ({
      FieldType,
      AggregationType,
      AuthType,
      getFields: () => new Fields(),
      getConfig: () => {
        const entries: Array<Record<string, unknown>> = [];
        let dateRangeRequired = false;
        return {
          newInfo: () => recorder('INFO', entries),
          newTextInput: () => recorder('TEXTINPUT', entries),
          newSelectSingle: () => recorder('SELECT_SINGLE', entries),
          newOptionBuilder: () => recorder('OPTION'),
          setDateRangeRequired(required: boolean) {
            dateRangeRequired = required;
            return this;
          },
          build: () => ({ configParams: entries, dateRangeRequired }),
        };
      },
      newAuthTypeResponse: () => {
        const response = recorder('AUTH');
        const props = response.props as Record<string, unknown>;
        return Object.assign(response, { build: () => ({ type: props.authType, ...props }) });
      },
      newUserError: () => {
        let text = '';
        let debugText = '';
        const error = {
          setText: (value: string) => {
            text = value;
            return error;
          },
          setDebugText: (value: string) => {
            debugText = value;
            return error;
          },
          throwException: () => {
            throw new UserError(text, debugText);
          },
        };
        return error;
      },
    }),
  };
}

// ---------------------------------------------------------------- SpreadsheetApp

export class Sheet {
  values: unknown[][] = [];
  constructor(readonly name: string) {}
  clearContents() {
    this.values = [];
    return this;
  }
  getRange(row: number, column: number, rows: number, columns: number) {
    return {
      setValues: (values: unknown[][]) => {
        if (values.length !== rows || values.some((line) => line.length !== columns)) {
          throw new Error(
            `The number of rows or columns in the data does not match the range (${rows}×${columns}).`,
          );
        }
        values.forEach((line, i) => {
          const target = this.values[row - 1 + i] ?? [];
          line.forEach((value, j) => {
            target[column - 1 + j] = value;
          });
          this.values[row - 1 + i] = target;
        });
      },
    };
  }
}

/** The spreadsheet's UI: prompts answered from `answers` (null = Cancel), alerts collected. */
export class Ui {
  answers: Array<string | null> = [];
  readonly alerts: string[] = [];
  readonly menus: Array<{ name: string; items: Array<[string, string]> }> = [];
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' };
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL' };
  createMenu(name: string) {
    const menu = { name, items: [] as Array<[string, string]> };
    const builder = {
      addItem: (caption: string, functionName: string) => {
        menu.items.push([caption, functionName]);
        return builder;
      },
      addSeparator: () => builder,
      addToUi: () => {
        this.menus.push(menu);
      },
    };
    return builder;
  }
  prompt(_title: string, _prompt: string, _buttons: string) {
    if (this.answers.length === 0) throw new Error('the test gave no answer for this prompt');
    const answer = this.answers.shift();
    return {
      getSelectedButton: () => (answer === null ? this.Button.CANCEL : this.Button.OK),
      getResponseText: () => answer ?? '',
    };
  }
  alert(message: string) {
    this.alerts.push(message);
    return this.Button.OK;
  }
}

export class Spreadsheet {
  readonly sheets = new Map<string, Sheet>();
  constructor(readonly timeZone = 'America/New_York') {}
  getSheetByName(name: string) {
    return this.sheets.get(name) ?? null;
  }
  insertSheet(name: string) {
    const sheet = new Sheet(name);
    this.sheets.set(name, sheet);
    return sheet;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
}

const utilities = {
  formatDate(date: Date, timeZone: string, pattern: string) {
    if (pattern !== 'yyyy-MM-dd') throw new Error(`stand-in formats yyyy-MM-dd only, not ${pattern}`);
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(date);
  },
};

// ---------------------------------------------------------------- loading a project

export interface AppsScriptProject {
  /** The project's global scope: its functions and variables. */
  global: Record<string, (...args: unknown[]) => unknown> & Record<string, unknown>;
  scriptProperties: Properties;
  userProperties: Properties;
  fetches: FetchRecord[];
  ui: Ui;
  spreadsheet: Spreadsheet;
}

/** Runs every .gs file of `dir` (in name order, one shared global scope, as Apps Script does). */
export function loadAppsScript(dir: string): AppsScriptProject {
  const scriptProperties = new Properties();
  const userProperties = new Properties();
  const fetches: FetchRecord[] = [];
  const ui = new Ui();
  const spreadsheet = new Spreadsheet();
  const context = vm.createContext({
    // Dates made by a test must be this realm's (`value instanceof Date` in the script).
    Date,
    console,
    UrlFetchApp: urlFetchApp(fetches),
    PropertiesService: {
      getScriptProperties: () => scriptProperties,
      getUserProperties: () => userProperties,
    },
    DataStudioApp: dataStudioApp(),
    SpreadsheetApp: {
      getUi: () => ui,
      getActive: () => spreadsheet,
      getActiveSpreadsheet: () => spreadsheet,
    },
    Utilities: utilities,
  });
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.gs'))
    .sort()) {
    vm.runInContext(readFileSync(join(dir, file), 'utf8'), context, { filename: join(dir, file) });
  }
  return {
    global: context as AppsScriptProject['global'],
    scriptProperties,
    userProperties,
    fetches,
    ui,
    spreadsheet,
  };
}
