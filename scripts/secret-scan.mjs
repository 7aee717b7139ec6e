#!/usr/bin/env node
// `npm run secret-scan`: looks for credentials in the files git would commit (tracked files plus
// untracked ones that .gitignore does not exclude, so a new file is scanned before its commit).
// It fails on: private keys; AWS key ids and secret keys; Cloudflare API tokens, tunnel tokens and
// Access client secrets; GitHub / Slack tokens; passwords in connection strings or assigned as
// literals, other than the documented local-only database password; and the seed's API keys
// outside the places that exist to hold them (fixtures/, db/, test/ and the local-only files below).
// Values are never printed whole: a finding shows its file, line, rule and a masked excerpt.
//
// Usage: node scripts/secret-scan.mjs          scan, exit 1 on a finding
//        node scripts/secret-scan.mjs --list   also print the files scanned
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The password of the private local MariaDB (scripts/local-db.mjs); documented, local only. */
const LOCAL_PASSWORD = 'local-dev-only';

/** Directories that hold the seed, its captured answers, and the tests that use them. */
const SEED_KEY_DIRS = ['fixtures/', 'db/', 'test/'];
/** Files outside them that carry the seed's `main` pair on purpose, local only. */
const SEED_KEY_FILES = {
  'postman/env/local.postman_environment.json': 'the local environment (seed keys of npm run dev)',
  'scripts/smoke.sh': 'defaults for probing a local npm run dev',
  'README.md': 'the typed-client example against the local dev server',
};

/** Planted fake credentials that tests need to prove a redaction or scan works: file → values. */
const PLANTED = {
  'infra/test/secrets.test.ts': [
    'hunter2',
    's3cr3t',
    'a4f1c8e2b7d94f0e9c3a6b1d2e8f7a5c4b3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f',
  ],
  'test/workers/problems.test.ts': ['pw'],
};

/** A value that is a reference (`${var.x}`, `{{apiKey}}`, `process.env.X`) or a placeholder word. */
const isPlaceholder = (value) =>
  /^(?:\\?\$\{?|\{\{|<|%|\*+$|\.\.\.|x+$|REPLACE_WITH_|process\.env|secrets\.|env\.)/i.test(value) ||
  /^(?:password|pass|secret|changeme)$/i.test(value) ||
  value === LOCAL_PASSWORD;

const RULES = [
  {
    name: 'private key',
    pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g },
  {
    name: 'AWS secret access key',
    pattern: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b/gi,
    value: 1,
  },
  {
    name: 'Cloudflare API token or key',
    pattern: /\b(?:CLOUDFLARE|CF)_(?:API_)?(?:TOKEN|KEY)["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{37,})/gi,
    value: 1,
  },
  // A tunnel token is base64 of {"a":"<account>","t":"<tunnel>","s":"<secret>"}.
  { name: 'Cloudflare tunnel token', pattern: /\beyJhIjoi[A-Za-z0-9+/=_-]{40,}/g },
  {
    name: 'Cloudflare Access client secret',
    pattern: /client[_-]?secret["']?\s*[:=]\s*["']?([0-9a-f]{64})\b/gi,
    value: 1,
  },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  {
    name: 'password in a connection string',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]+:([^\s@/"'`]+)@/gi,
    value: 1,
  },
  {
    name: 'password literal',
    // `password = "x"`, `password: 'x'`, `"password": "x"`, `password=x` in a query or .env line.
    pattern:
      /\b(?:\w*_)?(?:pass(?:word|wd)?|pwd)\w*["']?\s*(?:[:=]\s*["'`]([^"'`\s]+)["'`]|=([^\s"'`&;,)]+))/gi,
    value: [1, 2],
  },
];

function files(root) {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split('\0').filter(Boolean))].sort();
}

const mask = (value) => (value.length <= 6 ? '***' : `${value.slice(0, 3)}…${value.slice(-2)}`);

export function scan(root = projectRoot) {
  const seed = JSON.parse(readFileSync(join(root, 'fixtures/manifest.json'), 'utf8')).keys;
  const seedKeys = [...new Set(Object.values(seed).flatMap((k) => [k.int_key, k.api_key]))];
  const findings = [];
  const scanned = [];
  for (const file of files(root)) {
    let text;
    try {
      const bytes = readFileSync(join(root, file));
      if (bytes.includes(0)) continue; // binary (or UTF-16 fixture bodies: evidence, and seed data)
      text = bytes.toString('utf8');
    } catch {
      continue; // deleted in the work tree
    }
    scanned.push(file);
    const lineOf = (index) => text.slice(0, index).split('\n').length;
    const planted = PLANTED[file] ?? [];
    for (const rule of RULES) {
      for (const m of text.matchAll(rule.pattern)) {
        const groups = rule.value === undefined ? [0] : [rule.value].flat();
        const value = groups.map((g) => m[g]).find((v) => v !== undefined) ?? m[0];
        if (rule.value !== undefined && (isPlaceholder(value) || planted.includes(value))) continue;
        findings.push({ file, line: lineOf(m.index), rule: rule.name, excerpt: mask(value) });
      }
    }
    const seedAllowed = SEED_KEY_DIRS.some((d) => file.startsWith(d)) || file in SEED_KEY_FILES;
    if (!seedAllowed) {
      for (const key of seedKeys) {
        for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + 1)) {
          findings.push({
            file,
            line: lineOf(i),
            rule: 'seed API key outside fixtures/db/test',
            excerpt: mask(key),
          });
        }
      }
    }
  }
  return { findings, scanned };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { findings, scanned } = scan();
  if (process.argv.includes('--list')) for (const f of scanned) console.log(`scanned ${f}`);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.rule} (${f.excerpt})`);
  if (findings.length) {
    console.error(`secret scan: ${findings.length} finding(s) in ${scanned.length} files`);
    process.exit(1);
  }
  console.log(`secret scan: ${scanned.length} files, nothing that looks like a credential`);
}
