/**
 * Components and recipes are immutable per version (000 §4.3, §7.1): an edited document under an old
 * version fails at apply ("already exists"). Each version is pinned here to the hash of its document;
 * a change fails this test until the component's version, RECIPE_VERSION and this table move on.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IMAGE } from '../src/config';
import { managedComponentArn, parentImageArn } from '../src/constructs/image-pipeline';
import {
  bootstrapComponent,
  COMPONENT_VERSIONS,
  cloudflaredComponent,
  EARLIER_RECIPE_VERSIONS,
  metricsComponent,
  RECIPE_VERSION,
} from '../src/image/components';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** `name@version` → sha256 of the component document. Add a line per new version; never edit one. */
const COMPONENTS: Record<string, string> = {
  'adv-cflared-cloudflared@1.1.0': 'b0a8d09e179f7f8061fb3073cae6945e0ebe939680de015956796be226ef5653',
  'adv-cflared-bootstrap-script@1.1.0': '2eabbe001d5d78d4383eaaaf6ace611c2702ea9b19f50fa5de96a53204b14b32',
  'adv-cflared-metrics@1.0.0': '105bbfd40762be778b207015af9ac3e24cf44faef7d8f12033edbe5efebf8f90',
};

/** `version` → what the recipe of that version is made of. */
const RECIPES: Record<string, string[]> = {
  '1.1.0': [
    parentImageArn(IMAGE.aws.region, 'ubuntu-server-22-lts-x86'),
    managedComponentArn(IMAGE.aws.region, 'update-linux'),
    managedComponentArn(IMAGE.aws.region, 'aws-cli-version-2-linux'),
    'adv-cflared-cloudflared@1.1.0',
    'adv-cflared-bootstrap-script@1.1.0',
    'adv-cflared-metrics@1.0.0',
  ],
};

describe('image versions are bumped with their content', () => {
  const n = IMAGE.names;
  const current = {
    [`${n.cloudflaredComponent}@${COMPONENT_VERSIONS.cloudflared}`]: cloudflaredComponent(
      n.cloudflaredComponent,
      IMAGE.ubuntuCodename,
    ),
    [`${n.bootstrapComponent}@${COMPONENT_VERSIONS.bootstrap}`]: bootstrapComponent(n.bootstrapComponent),
    [`${n.metricsComponent}@${COMPONENT_VERSIONS.metrics}`]: metricsComponent(n.metricsComponent),
  };

  it.each(Object.keys(current))('%s: the document is the one this version was released with', (key) => {
    expect(COMPONENTS[key], `${key} is new: bump RECIPE_VERSION too and add it to this table`).toBeDefined();
    expect(sha256(current[key]!), `${key} changed: give it a new version (and the recipe)`).toBe(
      COMPONENTS[key],
    );
  });

  it(`recipe ${RECIPE_VERSION} is made of what it was released with`, () => {
    const made = [
      parentImageArn(IMAGE.aws.region, IMAGE.parentImage),
      ...IMAGE.managedComponents.map((c) => managedComponentArn(IMAGE.aws.region, c)),
      ...Object.keys(current),
    ];
    expect(RECIPES[RECIPE_VERSION], `recipe ${RECIPE_VERSION} is new: add it to this table`).toBeDefined();
    expect(made, `the recipe changed: give it a new RECIPE_VERSION`).toEqual(RECIPES[RECIPE_VERSION]);
  });

  it('the current recipe version is new, not one already built (000 §2: 1.0.2)', () => {
    expect(EARLIER_RECIPE_VERSIONS).not.toContain(RECIPE_VERSION);
  });
});
