#!/usr/bin/env node
// `npm run auth:revoke -- --env ENV [INT_KEY]`: makes every console key pair of an integration key
// stop working everywhere within a stated bound (README, "Revoking a key pair"). The key is read
// from stdin when not given (or given as `-`), so that it stays out of shell history and `ps`;
// it is never printed.
//
//   --env local|dev|stg|prd   local: the helper of a running `npm run dev` (wrangler's dev
//                             registry); dev/stg/prd: the deployed helper through wrangler's remote
//                             bindings (needs `wrangler login` or CLOUDFLARE_API_TOKEN)
//   --list                    the revoked api ids
//   --lift ID[,ID...]         lift the revocation of these api ids (a revocation made by mistake)
//   --json                    print the helper's answer as JSON
//
// It binds the helper's AuthAdmin entrypoint (auth-helper/src/admin.ts) as a service binding from
// this machine: the helper has no URL at all, and no deployed Worker binds that entrypoint.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'smol-toml';
import { getPlatformProxy } from 'wrangler';
import { DEFAULTS } from '../src/shared/config/defaults.ts';
import { projectRoot } from './local-db.mjs';

const ENVIRONMENTS = ['local', 'dev', 'stg', 'prd'];

function usage(message) {
  if (message) console.error(`auth:revoke: ${message}`);
  console.error(
    'usage: npm run auth:revoke -- --env local|dev|stg|prd [INT_KEY | -]\n' +
      '       npm run auth:revoke -- --env ENV --list\n' +
      '       npm run auth:revoke -- --env ENV --lift API_ID[,API_ID...]',
  );
  process.exit(64);
}

/** The integration key from stdin: typed without echo on a terminal, else piped (one line). */
async function readKey() {
  const chunks = [];
  if (process.stdin.isTTY) {
    process.stderr.write('Integration key (not echoed): ');
    process.stdin.setRawMode(true);
    for await (const chunk of process.stdin) {
      const text = chunk.toString('utf8');
      if (text.includes('\u0003')) process.exit(130);
      const end = text.search(/[\r\n]/);
      chunks.push(end === -1 ? text : text.slice(0, end));
      if (end !== -1) break;
    }
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
    return chunks.join('');
  }
  for await (const chunk of process.stdin) chunks.push(chunk);
  // Only the line break ends the key: a leading space is part of it (the collation keeps it).
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A Worker variable as `env` of a wrangler.toml sets it (the top level for local). */
function configuredVar(configFile, env, name) {
  const config = parse(readFileSync(join(projectRoot, configFile), 'utf8'));
  const vars = env === 'local' ? config.vars : config.env?.[env]?.vars;
  return vars?.[name];
}

const { values, positionals } = parseArgs({
  options: {
    env: { type: 'string' },
    list: { type: 'boolean', default: false },
    lift: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: true,
});
if (values.help) usage();
const env = values.env;
if (!ENVIRONMENTS.includes(env)) usage('--env must be one of local, dev, stg, prd');
if (positionals.length > 1) usage('one integration key at a time');
if ((values.list || values.lift) && positionals.length > 0) usage('--list and --lift take no key');

const helperConfig = parse(readFileSync(join(projectRoot, 'auth-helper/wrangler.toml'), 'utf8'));
const service = env === 'local' ? helperConfig.name : `${helperConfig.name}-${env}`;
const configDir = join(projectRoot, '.local/auth-revoke');
const configPath = join(configDir, `wrangler.${env}.json`);
mkdirSync(configDir, { recursive: true });
writeFileSync(
  configPath,
  `${JSON.stringify(
    {
      name: 'adv-auth-revoke',
      account_id: helperConfig.account_id,
      compatibility_date: helperConfig.compatibility_date,
      services: [
        {
          binding: 'AUTH_ADMIN',
          service,
          entrypoint: 'AuthAdmin',
          ...(env === 'local' ? {} : { remote: true }),
        },
      ],
    },
    null,
    2,
  )}\n`,
);

let integrationKey;
if (!values.list && !values.lift) {
  integrationKey = positionals[0] === undefined || positionals[0] === '-' ? await readKey() : positionals[0];
  if (!integrationKey) usage('an integration key is required');
}
const liftIds = values.lift?.split(',').map(Number);
if (liftIds?.some((id) => !Number.isSafeInteger(id) || id <= 0)) usage('--lift takes api ids (1,2,...)');

const by = process.env.USER || userInfo().username;
const proxy = await getPlatformProxy({ configPath, persist: false, remoteBindings: env !== 'local' });
let exitCode = 0;
try {
  const adminApi = proxy.env.AUTH_ADMIN;
  if (values.list) {
    const snapshot = await adminApi.list();
    if (values.json) console.log(JSON.stringify({ ...snapshot }));
    else
      console.log(
        `${service}: revoked api ids (version ${snapshot.version}): ${snapshot.apiIds.join(', ') || 'none'}`,
      );
  } else {
    const change = liftIds ? await adminApi.lift(liftIds, by) : await adminApi.revoke(integrationKey, by);
    const changedAt = Date.now();
    const rows = [...change.rows].map((row) => ({ ...row }));
    const workerTtlMs = Number(
      configuredVar('wrangler.toml', env, 'AUTH_CACHE_TTL_MS') ?? DEFAULTS.auth.cacheTtlMs,
    );
    const boundMs = change.helperMaxAgeMs + workerTtlMs;
    if (values.json) {
      const { version, helperMaxAgeMs } = change;
      console.log(JSON.stringify({ rows, version, helperMaxAgeMs, boundMs, changedAt }));
    } else if (rows.length === 0) {
      console.log(`${service}: no key pair has this integration key; nothing changed.`);
    } else {
      const verb = liftIds ? 'lifted the revocation of' : 'revoked';
      console.log(`${service}: ${verb} ${rows.length} key pair(s) (list version ${change.version}):`);
      for (const row of rows) {
        const state = liftIds
          ? ''
          : row.deleted
            ? ' (deleted in the console)'
            : ' (still live in the console: delete it there too)';
        console.log(`  api id ${row.apiId}${liftIds ? '' : `, account ${row.accountId}`}${state}`);
      }
      console.log(
        `Every helper isolate ${liftIds ? 'accepts' : 'refuses'} it within ${change.helperMaxAgeMs / 1000} s and every ` +
          `Public API isolate within ${workerTtlMs / 1000} s more: at most ${boundMs / 1000} s from now.`,
      );
    }
    if (rows.length === 0) exitCode = 2;
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`auth:revoke: ${service} did not answer: ${message}`);
  if (env === 'local') console.error('auth:revoke: is `npm run dev` running?');
  exitCode = 1;
} finally {
  await proxy.dispose();
}
process.exit(exitCode);
