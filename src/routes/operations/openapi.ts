import type { OpenAPIHono } from '@hono/zod-openapi';
import { getOpenApiJson, getOpenApiYaml } from '../../../generated/routes';
import type { AppEnv } from '../../env';
import { specJsonFor, specYamlFor } from './spec-servers';

/**
 * The contract itself, as written (YAML) and parsed (JSON for Redoc and SDK generators), with this
 * environment's server first (spec-servers.ts).
 */
export function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getOpenApiYaml, (c) =>
    c.body(specYamlFor(c.env.ENVIRONMENT), 200, { 'Content-Type': 'application/yaml; charset=utf-8' }),
  );
  app.openapi(getOpenApiJson, (c) => c.json(specJsonFor(c.env.ENVIRONMENT) as never, 200));
}
