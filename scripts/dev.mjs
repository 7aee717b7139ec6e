#!/usr/bin/env node
// `npm run dev`: the whole stack on localhost.
//   1. the private `dev` MariaDB instance (installed, started, schema + seed loaded when needed),
//   2. the Redoc bundle copied into the static assets,
//   3. `wrangler dev` serving the Public API Worker with the auth helper Worker beside it, both
//      with their Hyperdrive bindings pointed at that MariaDB.
// The database keeps running after wrangler stops (a second `npm run dev` reuses it);
// `npm run db:stop` stops it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, start } from './local-db.mjs';
import { startWranglerDev } from './wrangler-dev.mjs';

const PORT = Number(process.env.PORT ?? 8787);

const db = await start('dev');
await import('./build-assets.mjs');

const worker = await startWranglerDev({
  databases: db.urls,
  port: PORT,
  stdout: 'inherit',
  // wrangler's local explorer of the Workers' invocations, for people trying the API.
  localObservability: true,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.child.kill(signal));
worker.child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const base = `http://localhost:${PORT}`;
const main = JSON.parse(readFileSync(join(projectRoot, 'fixtures/manifest.json'), 'utf8')).keys.main;
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
