// The command line of the issue-20 parts that run alone (bench/legacy.mjs,
// bench/cpu-per-request.mjs, bench/concurrent-streams.mjs): the bench data and a snapshot of the
// tree, the part run on it, its Markdown headed by the machine it ran on and written beside its
// raw figures. bench/wan.mjs has options of its own and heads its Markdown with machine() too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { status as dbStatus, stop as dbStop, projectRoot as root } from '../scripts/local-db.mjs';
import { INSTANCE } from './dataset.mjs';
import { fmt, table } from './figures.mjs';
import { ensureBenchData } from './load-data.mjs';
import { requireProjectNode, snapshotTree } from './worker.mjs';

/** The machine for a part's Markdown: cores, CPU, memory, Node and PHP versions. */
export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let php = '';
  try {
    php = execFileSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  } catch {}
  return `${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, PHP ${php || '?'}`;
}

/**
 * The CLI of a part: `node bench/<name>.mjs [--ref REF] [--out FILE]` runs `run` on a
 * snapshot of the tree, writes the markdown to bench/data/<name>-<date>.md (raw figures beside
 * it as .json) and prints it. A part with options of its own names them (`options`, parseArgs's)
 * and turns their values into what `run` is given besides the tree and the log (`settings`).
 */
export async function runCli(name, title, run, { options = {}, settings = () => ({}) } = {}) {
  requireProjectNode();
  const { values } = parseArgs({ options: { ref: { type: 'string' }, out: { type: 'string' }, ...options } });
  const partSettings = settings(values);
  const log = (line) => console.error(`[${name}] ${line}`);
  const stopDb = !(await dbStatus(INSTANCE)).responding;
  try {
    await ensureBenchData({ quiet: true });
    const tree = snapshotTree(values.ref);
    log(`measuring ${tree.source} at ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}`);
    const t0 = performance.now();
    // The machine is shared: work outside the bench lock shows in the load average.
    const loadBefore = os.loadavg()[0];
    const result = await run({ tree, log, ...partSettings });
    const loadAfter = os.loadavg()[0];
    const date = new Date().toISOString().slice(0, 10);
    const out = values.out ?? join(root, 'bench/data', `${name}-${date}.md`);
    const targets = result.targets.length
      ? `\n\n### Targets\n\n${table(
          ['target', 'result', 'measured'],
          result.targets.map((t) => [t.target, t.result, t.measured]),
        )}`
      : '';
    const markdown =
      `# ${title}\n\n${tree.source}, commit ${tree.commit}${tree.dirty ? ' + uncommitted changes' : ''}; ` +
      `${new Date().toISOString()}; ${machine()}; took ${fmt((performance.now() - t0) / 1000, 0)} s; ` +
      `load average (1 min) ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after.\n\n` +
      `${result.markdown.trimEnd()}${targets}\n`;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, markdown);
    writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify(result.raw, null, 2)}\n`);
    console.log(markdown);
    log(`written to ${out}`);
  } finally {
    if (stopDb) await dbStop(INSTANCE, { log: false });
  }
}
