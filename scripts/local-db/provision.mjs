// An instance's users and databases: the two users with their grants, and each database loaded
// from its schema and seed files again only when their checksum changed (or on --reload).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ADMIN_USER,
  DEFAULT_DB_NAMES,
  LOCAL_PASSWORD,
  META_DB,
  PUBLIC_USER,
  projectRoot,
  SCRIPT_VERSION,
} from './config.mjs';
import { clientError, run } from './processes.mjs';
import { rootArgs, rootSql } from './server.mjs';

const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s) => `\`${s}\``;
// In GRANT ... ON `db`.*, "_" and "%" are wildcards: escape them.
const grantDb = (s) => ident(s.replace(/[_%\\]/g, (m) => `\\${m}`));

export function resolveDbSpec(databases) {
  if (databases === false) return null;
  const d = databases ?? {};
  const prefix = d.prefix ?? '';
  const names = d.names ?? DEFAULT_DB_NAMES;
  const schemaDir = path.resolve(projectRoot, d.schemaDir ?? 'db/schema');
  const seedDir = d.seedDir === null ? null : path.resolve(projectRoot, d.seedDir ?? 'db/seed');
  const dbs = names.map((logical) => {
    const db = `${prefix}${logical}`;
    if (!/^[A-Za-z0-9_]{1,64}$/.test(db)) throw new Error(`invalid database name ${JSON.stringify(db)}`);
    if ([META_DB, 'mysql', 'sys', 'performance_schema', 'information_schema'].includes(db.toLowerCase())) {
      throw new Error(`refusing to provision reserved database ${db}`);
    }
    return {
      logical,
      db,
      schema: path.join(schemaDir, `${logical}.sql`),
      seed: seedDir === null ? null : path.join(seedDir, `${logical}.sql`),
    };
  });
  return { prefix, dbs };
}

function checksum(entry) {
  const h = createHash('sha256');
  h.update(`adv-local-db v${SCRIPT_VERSION}\0`);
  for (const [label, file] of [
    ['schema', entry.schema],
    ['seed', entry.seed],
  ]) {
    if (file === null) {
      h.update(`${label}:none\0`);
      continue;
    }
    let content;
    try {
      content = fs.readFileSync(file);
    } catch (e) {
      throw new Error(`cannot read ${label} file for ${entry.db}: ${file} (${e.code ?? e.message})`);
    }
    h.update(`${label}:${content.length}\0`);
    h.update(content);
    h.update('\0');
  }
  return h.digest('hex');
}

function shortPath(file) {
  const rel = path.relative(projectRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

async function loadFile(bins, p, db, file) {
  const args = [...rootArgs(p), '--default-character-set=utf8mb4', db];
  const r = await run(bins.client, args, { stdinFile: file, timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw clientError(`loading ${shortPath(file)} into ${db} failed`, r);
}

export async function provision(bins, p, spec, opts, log) {
  const dbs = spec ? spec.dbs : [];
  for (const e of dbs) e.checksum = checksum(e);
  const pub = ['127.0.0.1', 'localhost'].map((h) => `${q(PUBLIC_USER)}@${q(h)}`);
  const adm = ['127.0.0.1', 'localhost'].map((h) => `${q(ADMIN_USER)}@${q(h)}`);
  const stmts = [
    `CREATE DATABASE IF NOT EXISTS ${META_DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    `CREATE TABLE IF NOT EXISTS ${META_DB}.provisioned (db_name VARCHAR(64) NOT NULL PRIMARY KEY, checksum CHAR(64) NOT NULL, loaded_at DATETIME NOT NULL) ENGINE=InnoDB;`,
    ...[...pub, ...adm].flatMap((u) => [
      `CREATE USER IF NOT EXISTS ${u} IDENTIFIED BY ${q(LOCAL_PASSWORD)};`,
      `ALTER USER ${u} IDENTIFIED BY ${q(LOCAL_PASSWORD)};`,
    ]),
    ...adm.map((u) => `GRANT ALL PRIVILEGES ON *.* TO ${u} WITH GRANT OPTION;`),
    // Root stays socket-only (also done right after mariadb-install-db; repeated in case that was interrupted).
    `DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ${q('root')}@${q(os.hostname())}, ''@'localhost', ''@${q(os.hostname())};`,
    ...dbs.map((e) => `GRANT SELECT ON ${grantDb(e.db)}.* TO ${pub.join(', ')};`),
    "SELECT 'port', @@port;",
  ];
  if (dbs.length) {
    stmts.push(
      `SELECT 'db', m.db_name, m.checksum FROM ${META_DB}.provisioned m JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = m.db_name WHERE m.db_name IN (${dbs.map((e) => q(e.db)).join(', ')});`,
    );
  }
  const out = await rootSql(bins, p, `${stmts.join('\n')}\n`);
  let port = null;
  const loaded = new Map();
  for (const line of out.split('\n')) {
    const cols = line.split('\t');
    if (cols[0] === 'port') port = Number(cols[1]);
    else if (cols[0] === 'db') loaded.set(cols[1], cols[2]);
  }

  const reloaded = [];
  for (const e of dbs) {
    if (!opts.reload && loaded.get(e.db) === e.checksum) continue;
    log(`${p.name}: loading ${e.db} (${[e.schema, e.seed].filter(Boolean).map(shortPath).join(' + ')})`);
    await rootSql(
      bins,
      p,
      `DELETE FROM ${META_DB}.provisioned WHERE db_name = ${q(e.db)};\n` +
        `DROP DATABASE IF EXISTS ${ident(e.db)};\n` +
        `CREATE DATABASE ${ident(e.db)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n`,
    );
    await loadFile(bins, p, e.db, e.schema);
    if (e.seed) await loadFile(bins, p, e.db, e.seed);
    await rootSql(
      bins,
      p,
      `INSERT INTO ${META_DB}.provisioned (db_name, checksum, loaded_at) VALUES (${q(e.db)}, ${q(e.checksum)}, NOW()) ` +
        'ON DUPLICATE KEY UPDATE checksum = VALUES(checksum), loaded_at = VALUES(loaded_at);\n',
    );
    reloaded.push(e.db);
  }
  return { port, reloaded };
}
