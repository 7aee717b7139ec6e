import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOUDFLARE_MANAGED_RULESET_ID, CONFIG, ENVIRONMENTS, type EnvName, IMAGE } from '../src/config';
import { passwordVariable } from '../src/stack';
import { allowedTokens, scanForSecrets } from './secret-scan';
import { synthAll, type TfJson } from './synth';

let out: Record<EnvName | 'image', TfJson>;
beforeAll(() => {
  out = synthAll();
});
const imageFiles = readdirSync(new URL('../image/files/', import.meta.url), { withFileTypes: true })
  .filter((f) => f.isFile())
  .map((f) => readFileSync(new URL(`../image/files/${f.name}`, import.meta.url), 'utf8'));
// Beside the configuration: Cloudflare's public id of its Managed Ruleset, the names of AWS-managed
// policies, and the image files baked into the components (in git, so under npm run secret-scan).
const allowed = allowedTokens([
  CONFIG,
  IMAGE,
  CLOUDFLARE_MANAGED_RULESET_ID,
  'EC2InstanceProfileForImageBuilder EC2ImageBuilderLifecycleExecutionPolicy',
  imageFiles,
]);

describe('nothing secret in the synthesized output', () => {
  it.each([...ENVIRONMENTS, 'image' as const])(
    '%s: the scan finds no password, secret or key literal',
    (env) => {
      expect(scanForSecrets(out[env], allowed)).toEqual([]);
    },
  );

  it.each(ENVIRONMENTS)('%s: database passwords are sensitive variables without defaults', (env) => {
    for (const db of CONFIG[env].databases) {
      const v = out[env].variable[passwordVariable(db.key)];
      expect(v).toMatchObject({ type: 'string', sensitive: true, nullable: false });
      expect(v).not.toHaveProperty('default');
    }
  });

  it('outputs are ids, never secrets', () => {
    for (const env of [...ENVIRONMENTS, 'image' as const]) {
      for (const [name, o] of Object.entries(out[env].output as Record<string, { value: string }>)) {
        expect(o.value, name).not.toMatch(/client_secret|\.base64|var\.db_password|secret_string/);
      }
    }
  });

  it('the scan does catch secrets (planted in a copy of the dev stack)', () => {
    const planted = structuredClone(out.dev);
    const hyperdrives = planted.resource.cloudflare_hyperdrive_config;
    const first = Object.values(hyperdrives)[0] as { origin: Record<string, string> };
    first.origin.password = 'hunter2';
    first.origin.access_client_secret = 'a4f1c8e2b7d94f0e9c3a6b1d2e8f7a5c4b3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f';
    planted.resource.random_bytes = {
      leaked: { length: 32, keepers: { v: 'q2Xv9sLk3PzR7tYw1MnB5cD8fGh0JjKe' } },
    };
    planted.resource.aws_secretsmanager_secret_version.x = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression, as synthesized
      secret_string: '${jsonencode({"TunnelSecret" = "c2VjcmV0"})}',
    };
    planted.locals = { url: 'mysql://ro_user:s3cr3t@db.example:3306/console' };
    const reasons = scanForSecrets(planted, allowed).map((f) => f.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'literal value for secret-like key "password"',
        'literal value for secret-like key "access_client_secret"',
        expect.stringMatching(/^opaque token q2Xv9sLk3PzR7tYw1MnB5cD8fGh0JjKe/),
        'literal assigned to "TunnelSecret" inside an expression',
        'credentials in a URL',
      ]),
    );
  });
});
