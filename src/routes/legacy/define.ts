import type { OpenAPIHono, RouteConfig, RouteHandler, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import type { LegacyObject } from '../../legacy/types';
import { renderLegacy } from '../../response/render';

/** The JSON success body a route's contract allows (its 200 `application/json` schema). */
export type SuccessBody<R> = R extends {
  responses: { 200: { content: { 'application/json': { schema: infer S } } } };
}
  ? S extends z.ZodType
    ? z.output<S>
    : never
  : never;

export type LegacyContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];

/**
 * Registers a legacy endpoint from its generated bare route. The handler returns the body as
 * data typed by the contract (bare and versioned forms), so a handler that drifts from
 * openapi.yaml fails typecheck; rendering to the legacy JSON/XML/CSV bytes happens here.
 */
export function registerLegacy<R extends RouteConfig, V extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  _versioned: V,
  handler: (c: LegacyContext<R>) => Promise<SuccessBody<R> | SuccessBody<V>>,
): void {
  const render = (async (c: LegacyContext<R>) =>
    renderLegacy(c as never, (await handler(c)) as LegacyObject)) as unknown as RouteHandler<R, AppEnv>;
  app.openapi(route, render);
}
