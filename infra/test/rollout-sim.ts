/**
 * Runs an Amazon States Language definition locally, for the subset the rollout uses (Choice with
 * And/Or/IsPresent/StringEquals/NumericGreaterThan, Pass, Task, Wait, Fail, Succeed; Parameters and
 * ResultSelector with `.$` paths, States.Array and States.ArrayLength; ResultPath). Task results come
 * from a callback standing in for the AWS SDK integrations; waits are recorded, not slept.
 */
import type { TfBlock } from './synth';

// biome-ignore lint/suspicious/noExplicitAny: JSON documents
type Json = any;

export interface Call {
  resource: string;
  params: Json;
}
export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  calls: Call[];
  waits: number[];
  visited: string[];
}

function path(doc: Json, p: string): Json {
  if (p === '$') return doc;
  let v = doc;
  for (const part of p.replace(/^\$\.?/, '').split('.')) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m) throw new Error(`unsupported path ${p}`);
    v = v?.[m[1]!];
    if (m[2] !== undefined) v = v?.[Number(m[2])];
  }
  return v;
}

function evaluate(expr: string, doc: Json): Json {
  const intrinsic = /^States\.(Array|ArrayLength)\((.*)\)$/.exec(expr);
  if (!intrinsic) return path(doc, expr);
  const arg = path(doc, intrinsic[2]!.trim());
  return intrinsic[1] === 'Array' ? [arg] : (arg as unknown[]).length;
}

function template(t: Json, doc: Json): Json {
  if (Array.isArray(t)) return t.map((x) => template(x, doc));
  if (t && typeof t === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(t)) {
      if (k.endsWith('.$')) out[k.slice(0, -2)] = evaluate(v as string, doc);
      else out[k] = template(v, doc);
    }
    return out;
  }
  return t;
}

function setPath(doc: Json, p: string, value: Json): Json {
  if (p === '$') return value;
  const copy = structuredClone(doc);
  const parts = p.replace(/^\$\./, '').split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)!] = value;
  return copy;
}

function rule(r: Json, doc: Json): boolean {
  if (r.And) return r.And.every((x: Json) => rule(x, doc));
  if (r.Or) return r.Or.some((x: Json) => rule(x, doc));
  const v = path(doc, r.Variable);
  if ('IsPresent' in r) return (v !== undefined) === r.IsPresent;
  if ('StringEquals' in r) return v === r.StringEquals;
  if ('NumericGreaterThan' in r) return typeof v === 'number' && v > r.NumericGreaterThan;
  throw new Error(`unsupported choice rule ${JSON.stringify(r)}`);
}

export function simulate(
  definition: TfBlock,
  input: Json,
  task: (call: Call) => Json,
  maxSteps = 1000,
): Outcome {
  const out: Outcome = { status: 'FAILED', calls: [], waits: [], visited: [] };
  let name: string = definition.StartAt;
  let doc = input;
  for (let step = 0; step < maxSteps; step++) {
    const s = definition.States[name];
    if (!s) throw new Error(`no state ${name}`);
    out.visited.push(name);
    switch (s.Type) {
      case 'Choice': {
        const hit = (s.Choices as Json[]).find((c) => rule(c, doc));
        name = hit ? hit.Next : s.Default;
        if (!name) throw new Error('Choice without a match or Default');
        break;
      }
      case 'Pass':
        doc = setPath(doc, s.ResultPath ?? '$', s.Result ?? doc);
        name = s.Next;
        break;
      case 'Wait':
        out.waits.push(s.SecondsPath ? path(doc, s.SecondsPath) : s.Seconds);
        name = s.Next;
        break;
      case 'Task': {
        const call = { resource: s.Resource, params: template(s.Parameters ?? {}, doc) };
        out.calls.push(call);
        let result = task(call);
        if (s.ResultSelector) result = template(s.ResultSelector, result);
        doc = setPath(doc, s.ResultPath ?? '$', result);
        name = s.Next;
        break;
      }
      case 'Fail':
        return { ...out, status: 'FAILED', error: s.Error };
      case 'Succeed':
        return { ...out, status: 'SUCCEEDED' };
      default:
        throw new Error(`unsupported state type ${s.Type}`);
    }
  }
  throw new Error('too many steps');
}
