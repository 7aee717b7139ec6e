import { App } from 'cdktf';
import { CONFIG, ENVIRONMENTS, type EnvConfig, type EnvName, validateConfig } from './config';
import { EnvStack } from './stack';

export interface BuildOptions {
  outdir: string;
  environments?: readonly EnvName[];
  config?: Record<EnvName, EnvConfig>;
}

/** The cdktf app: one stack per environment, each named after it (cdktf.out/stacks/<env>). */
export function buildApp({ outdir, environments = ENVIRONMENTS, config = CONFIG }: BuildOptions) {
  const errors = environments.flatMap((env) => validateConfig(config[env]));
  if (errors.length > 0) throw new Error(`invalid infra configuration:\n  ${errors.join('\n  ')}`);

  const app = new App({ outdir, skipValidation: false });
  const stacks = environments.map((env) => new EnvStack(app, config[env]));
  return { app, stacks };
}
