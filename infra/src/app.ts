import { App } from 'cdktf';
import { CONFIG, ENVIRONMENTS, type EnvConfig, type EnvName, IMAGE, type ImageConfig } from './config';
import { validateConfig, validateImage } from './config-rules';
import { ImageStack } from './image-stack';
import { EnvStack } from './stack';

export interface BuildOptions {
  outdir: string;
  environments?: readonly EnvName[];
  config?: Record<EnvName, EnvConfig>;
  image?: ImageConfig;
}

/**
 * The cdktf app: the shared image stack (cdktf.out/stacks/image) and one stack per environment, each
 * named after it (cdktf.out/stacks/<env>).
 */
export function buildApp({
  outdir,
  environments = ENVIRONMENTS,
  config = CONFIG,
  image = IMAGE,
}: BuildOptions) {
  const errors = [
    ...environments.flatMap((env) => validateConfig(config[env])),
    ...validateImage(image, config),
  ];
  if (errors.length > 0) throw new Error(`invalid infra configuration:\n  ${errors.join('\n  ')}`);

  const app = new App({ outdir, skipValidation: false });
  const imageStack = new ImageStack(app, image, config);
  const stacks = environments.map((env) => new EnvStack(app, config[env]));
  return { app, imageStack, stacks };
}
