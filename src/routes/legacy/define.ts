import type { OpenAPIHono, RouteConfig, RouteHandler, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import type { LegacyObject, LegacyRowParts } from '../../legacy/types';
import { renderLegacy } from '../../response/render';
import { renderLegacyStream } from '../../response/stream';
import { acquireStreamSlot, type StreamSlot } from '../../response/stream-slots';

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

/** The row type of a success body `{ data: Row[] }` (each member of a union of such bodies). */
export type SuccessRow<R> =
  SuccessBody<R> extends infer Body ? (Body extends { data: Array<infer Row> } ? Row : never) : never;

/**
 * Registers a legacy endpoint whose body is `{ data: rows }` and streamed (renderLegacyStream).
 * The handler checks the request (its errors are ordinary error responses) and returns the rows
 * as an async iterable of batches of rows in parts (LegacyRowParts), each typed by the contract
 * as its merged row, as registerLegacy's handler returns the body: a row that drifts from
 * openapi.yaml fails typecheck. Whatever the iterable holds (a database
 * stream) it must release when it ends, fails or is closed early (`return()`).
 */
export function registerLegacyStream<R extends RouteConfig, V extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  _versioned: V,
  handler: (
    c: LegacyContext<R>,
  ) => Promise<AsyncIterable<readonly LegacyRowParts<SuccessRow<R> | SuccessRow<V>>[]>>,
): void {
  const render = (async (c: LegacyContext<R>) => {
    const rows = (await handler(c)) as AsyncIterable<readonly LegacyRowParts[]>;
    // After the parameters and ids are checked, before the first row is read: the key's cap on
    // concurrent streams (429). The slot is released when the rows end, fail or are closed.
    let slot: StreamSlot;
    try {
      slot = await acquireStreamSlot(c as never);
    } catch (error) {
      await rows[Symbol.asyncIterator]().return?.();
      throw error;
    }
    try {
      return await renderLegacyStream(c as never, releasingAtEnd(rows, slot));
    } catch (error) {
      slot.release();
      throw error;
    }
  }) as unknown as RouteHandler<R, AppEnv>;
  app.openapi(route, render);
}

/** `rows`, releasing `slot` once they end, fail or are closed early (whichever comes first). */
function releasingAtEnd<T>(rows: AsyncIterable<T>, slot: StreamSlot): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = rows[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const next = await inner.next();
            if (next.done) slot.release();
            return next;
          } catch (error) {
            slot.release();
            throw error;
          }
        },
        async return(value?: unknown) {
          // At once: closing the rows may wait for a read in progress.
          slot.release();
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
