import { env } from 'cloudflare:workers';

/**
 * The real StreamSlots namespace with this call's own objects: a random prefix on every name, so
 * that streams of other test files made with the same seed key never count against a test's cap.
 */
export function isolatedStreamSlots(): typeof env.STREAM_SLOTS {
  const prefix = crypto.randomUUID();
  return {
    ...env.STREAM_SLOTS,
    idFromName: (name: string) => env.STREAM_SLOTS.idFromName(`${prefix}:${name}`),
    get: (id: DurableObjectId) => env.STREAM_SLOTS.get(id),
  } as typeof env.STREAM_SLOTS;
}
