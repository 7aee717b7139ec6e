// V8 CPU profiles of Worker isolates (bench/profile.mjs, bench/cpu-load.mjs): where the time went,
// by function and by module of the bundle wrangler served.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where each line of the bundle came from: esbuild writes a `// path` comment before each module,
 * so a frame's line tells its package (e.g. mysql2) or source file (src/response/stream.ts).
 */
export function bundleModules(bundlePath) {
  const starts = [];
  if (!bundlePath) return starts;
  const lines = readFileSync(bundlePath, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(lines[i]);
    if (m) starts.push({ line: i + 1, module: m[1].replace(/^(\.\.\/)+/, '') });
  }
  return starts;
}

/** The full module path (not only its package) at `line` of a bundle, from bundleModules. */
export function modulePathAt(starts, line) {
  let lo = 0;
  let hi = starts.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid].line <= line) {
      found = starts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found?.module;
}

/** The package (e.g. mysql2) or source file at `line` of a bundle. */
function moduleAt(starts, line) {
  const module = modulePathAt(starts, line);
  if (!module) return 'index.js';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return pkg ? pkg[1] : module;
}

/**
 * Self time per function and per file from a V8 CPU profile (sample counts × time deltas), the
 * total it covers, and the busy time (all but idle and the gaps). `modules`: bundleModules of the
 * bundle the profile's line numbers refer to.
 */
export function summarizeProfile(profile, { intervalUs, modules = [] }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // A sample stands for the time since the previous one, but a long gap (the sampler not running
  // while the thread waited outside V8) is not the sampled function's time: it is counted apart.
  const cap = 4 * intervalUs;
  const self = new Map();
  let gaps = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const delta = profile.timeDeltas[i] ?? 0;
    const us = Math.min(delta, cap);
    self.set(id, (self.get(id) ?? 0) + us);
    if (byId.get(id).callFrame.functionName === '(idle)') idle += us;
    gaps += Math.max(0, delta - cap);
  }
  const total = [...self.values()].reduce((a, b) => a + b, gaps);
  const fileOf = (frame) => {
    const url = frame.url || '(native)';
    if (url === 'index.js' && modules.length) return moduleAt(modules, frame.lineNumber + 1);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return m ? m[1] : url.replace(/^.*\/(src|durable-objects|generated)\//, '$1/');
  };
  const functions = new Map();
  const files = new Map();
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    files.set(fileOf(frame), (files.get(fileOf(frame)) ?? 0) + us);
  }
  functions.set('(gaps between samples)', gaps);
  files.set('(gaps between samples)', gaps);
  const rank = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    busyMs: (total - gaps - idle) / 1000,
    functions: rank(functions),
    files: rank(files),
  };
}

/** The public Worker's bundle under wrangler dev's temporary directory (the newest index.js). */
export function findBundle(dir) {
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('index.js'))
    .map((file) => join(dir, file));
  // Two Workers, two bundles: the public one is the larger.
  return found.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}
