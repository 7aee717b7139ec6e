import type { OpenAPIHono } from '@hono/zod-openapi';
import { openapiDocument, openapiYaml } from '../../../generated/openapi';
import { getOpenApiJson, getOpenApiYaml } from '../../../generated/routes';
import type { AppEnv } from '../../env';

/** The contract itself, as written (YAML) and parsed (JSON for Redoc and SDK generators). */
export function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getOpenApiYaml, (c) =>
    c.body(openapiYaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }),
  );
  app.openapi(getOpenApiJson, (c) => c.json(openapiDocument, 200));
}
