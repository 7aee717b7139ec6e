#!/usr/bin/env node
// `npm run dev`: the whole stack on localhost.
//   1. the private `dev` MariaDB instance (installed, started, schema + seed loaded when needed),
//   2. the Redoc bundle copied into the static assets,
//   3. `wrangler dev` serving the Public API Worker with the auth helper Worker beside it, both
//      with their Hyperdrive bindings pointed at that MariaDB.
// The database keeps running after wrangler stops (a second `npm run dev` reuses it);
// `npm run db:stop` stops it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, start } from './local-db.mjs';

const PORT = Number(process.env.PORT ?? 8787);
const HOST = '127.0.0.1';

const db = await start('dev');
await import('./build-assets.mjs');

const wrangler = spawn(
  join(projectRoot, 'node_modules/.bin/wrangler'),
  [
    'dev',
    '-c',
    'wrangler.toml',
    '-c',
    'auth-helper/wrangler.toml',
    '--env=',
    '--ip',
    HOST,
    '--port',
    String(PORT),
  ],
  {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      // Local Hyperdrive: wrangler connects the bindings straight to these databases.
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_CONSOLE: db.urls.console,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB_AGGREGATE: db.urls.aggregate,
    },
  },
);

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));
wrangler.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// Print the ready banner once the Worker answers.
const base = `http://localhost:${PORT}`;
const manifest = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8'));
const main = manifest.keys.main;
for (let attempt = 0; attempt < 240; attempt++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    const response = await fetch(`${base}/__health`);
    if (response.ok) {
      console.log(
        [
          '',
          `Adventive Public API is up: ${base}`,
          `  docs     ${base}/docs`,
          `  spec     ${base}/openapi.yaml`,
          `  database mariadb on 127.0.0.1:${db.port} (instance "dev"; npm run db:stop to stop it)`,
          '  try:',
          `  curl -s ${base}/advertisers -H 'X-Integration-Key: ${main.int_key}' -H 'X-Api-Key: ${main.api_key}'`,
          '',
        ].join('\n'),
      );
      break;
    }
  } catch {
    // not listening yet
  }
}
