// Shrinks a difference to the smallest dataset and request that still differ the same way:
// rows are removed table by table in halving chunks (delta debugging), then query parameters and
// headers one at a time. Accounts and keys are kept: the auth caches of the running Worker hold
// their answers, and a key that vanished mid-shrink would differ for that reason alone.
import type { Dataset, Tables } from './dataset.ts';
import type { DatasetLoader } from './load.ts';
import { datasetSql } from './load.ts';
import {
  type Difference,
  differenceOf,
  type Origins,
  type Pair,
  sameDifference,
  sendBoth,
} from './origins.ts';
import type { DiffCase } from './requests.ts';

const KEPT_TABLES = new Set(['account', 'api']);

export interface Shrunk {
  dataset: Pick<Dataset, 'console' | 'aggregate'>;
  request: DiffCase;
  difference: Difference;
  pair: Pair;
  attempts: number;
  rowsBefore: number;
  rowsAfter: number;
}

const rowCount = (ds: Pick<Dataset, 'console' | 'aggregate'>) =>
  [...Object.values(ds.console), ...Object.values(ds.aggregate)].reduce((n, rows) => n + rows.length, 0);

export async function shrink(
  loader: DatasetLoader,
  origins: Origins,
  dataset: Pick<Dataset, 'console' | 'aggregate'>,
  request: DiffCase,
  original: { difference: Difference; pair: Pair },
  deadline: number,
): Promise<Shrunk> {
  let current = { console: clone(dataset.console), aggregate: clone(dataset.aggregate) };
  let currentRequest = request;
  let last = original;
  let attempts = 0;
  const stillDiffers = async (ds: typeof current, c: DiffCase): Promise<boolean> => {
    attempts++;
    await loader.load(datasetSql(ds));
    const pair = await sendBoth(origins, c);
    const difference = differenceOf(pair);
    if (!sameDifference(original.difference, original.pair, difference, pair)) return false;
    last = { difference: difference!, pair };
    return true;
  };

  for (const db of ['aggregate', 'console'] as const) {
    for (const table of Object.keys(current[db])) {
      if (KEPT_TABLES.has(table)) continue;
      let chunk = current[db][table]!.length;
      while (chunk >= 1 && Date.now() < deadline) {
        let removedAny = false;
        for (let start = 0; start < current[db][table]!.length && Date.now() < deadline; ) {
          const rows = current[db][table]!;
          const candidate = {
            ...current,
            [db]: { ...current[db], [table]: [...rows.slice(0, start), ...rows.slice(start + chunk)] },
          };
          if (await stillDiffers(candidate, currentRequest)) {
            current = candidate;
            removedAny = true;
          } else {
            start += chunk;
          }
        }
        if (!removedAny || chunk === 1) chunk = Math.floor(chunk / 2);
      }
    }
  }

  // The request: drop one query parameter or one non-key header at a time.
  for (let progress = true; progress && Date.now() < deadline; ) {
    progress = false;
    for (const candidate of smallerRequests(currentRequest)) {
      if (Date.now() >= deadline) break;
      if (await stillDiffers(current, candidate)) {
        currentRequest = candidate;
        progress = true;
        break;
      }
    }
  }
  // Leave the databases as the last attempt that still differed.
  await loader.load(datasetSql(current));
  return {
    dataset: current,
    request: currentRequest,
    difference: last.difference,
    pair: last.pair,
    attempts,
    rowsBefore: rowCount(dataset),
    rowsAfter: rowCount(current),
  };
}

function* smallerRequests(c: DiffCase): Generator<DiffCase> {
  const [path, query] = splitTarget(c.target);
  const pairs = query === null ? [] : query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const rest = pairs.filter((_, j) => j !== i);
    yield { ...c, target: rest.length ? `${path}?${rest.join('&')}` : path };
  }
  for (let i = 0; i < c.headers.length; i++) {
    if (/^x-(integration|api)-key$/i.test(c.headers[i]![0])) continue;
    yield { ...c, headers: c.headers.filter((_, j) => j !== i) };
  }
}

function splitTarget(target: string): [string, string | null] {
  const at = target.indexOf('?');
  return at === -1 ? [target, null] : [target.slice(0, at), target.slice(at + 1)];
}

function clone(tables: Tables): Tables {
  return Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.map((row) => ({ ...row }))]));
}
