#!/usr/bin/env node
// Copies Redoc's standalone bundle into the Worker's static assets (public/docs/), so /docs works
// with no CDN, renders the guides (scripts/build-guides.mjs) and the reference's view of the
// contract (scripts/build-reference.mjs). All are build outputs (gitignored); npm scripts run this
// before dev, test and the dry-run deploys.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGuides } from './build-guides.mjs';
import { buildReference } from './build-reference.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const redoc = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
mkdirSync(join(root, 'public/docs'), { recursive: true });
copyFileSync(redoc, join(root, 'public/docs/redoc.standalone.js'));
buildGuides();
buildReference();
