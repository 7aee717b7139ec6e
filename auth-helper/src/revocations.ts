import { DurableObject } from 'cloudflare:workers';

/** The revoked api rows as every helper isolate copies them. */
export interface RevocationSnapshot {
  /** Grows by one with every change, so that a copy can tell it is behind. */
  version: number;
  apiIds: number[];
}

/** The object's name: one list for the whole account, read by every helper isolate. */
export const REVOCATIONS_OBJECT = 'revocations';

/**
 * The key pairs an operator revoked (`npm run auth:revoke`), by console `api.id`: an id, not a
 * spelling, so that one entry refuses every collation-equal spelling of the pair. A Durable Object
 * because a write is seen by the next read wherever it comes from; KV would take 60 s or more to
 * reach other locations. Kept until lifted: the console's own deletion is the durable record.
 */
export class Revocations extends DurableObject {
  list(): RevocationSnapshot {
    const kv = this.ctx.storage.kv;
    return { version: kv.get<number>('version') ?? 0, apiIds: kv.get<number[]>('apiIds') ?? [] };
  }

  revoke(apiIds: number[]): RevocationSnapshot {
    const current = this.list();
    return this.write(current, [...new Set([...current.apiIds, ...apiIds])]);
  }

  lift(apiIds: number[]): RevocationSnapshot {
    const current = this.list();
    const lifted = new Set(apiIds);
    return this.write(
      current,
      current.apiIds.filter((id) => !lifted.has(id)),
    );
  }

  private write(current: RevocationSnapshot, apiIds: number[]): RevocationSnapshot {
    const next = { version: current.version + 1, apiIds: apiIds.sort((a, b) => a - b) };
    this.ctx.storage.kv.put('apiIds', next.apiIds);
    this.ctx.storage.kv.put('version', next.version);
    return next;
  }
}

/** The account's one Revocations object. */
export function revocationsObject(namespace: DurableObjectNamespace<Revocations>) {
  return namespace.get(namespace.idFromName(REVOCATIONS_OBJECT));
}
