import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';

// README "Placement and the database's round trips": stg and prd run both Workers next to the
// databases (AWS us-east-1), dev and the local stack at the edge. Read as wrangler resolves each
// environment (placement is inheritable: a top-level one would reach dev too).
const root = join(import.meta.dirname, '../..');
const placementOf = (config: string, env?: string) =>
  unstable_readConfig({ config: join(root, config), env }, { hideWarnings: true }).placement;

describe.each(['wrangler.toml', 'auth-helper/wrangler.toml'])('%s placement', (config) => {
  it.each(['stg', 'prd'])('%s: explicit region placement in aws:us-east-1', (env) => {
    expect(placementOf(config, env)).toEqual({ region: 'aws:us-east-1' });
  });

  it.each([undefined, 'dev'])('%s: none (runs where the request arrives)', (env) => {
    expect(placementOf(config, env)).toBeUndefined();
  });
});
