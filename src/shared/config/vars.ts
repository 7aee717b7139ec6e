import { z } from 'zod';

// `[vars]` arrive as strings. A setting that is missing, empty, not a number or out of its range
// falls back to its default rather than failing requests: a typo in one environment's
// wrangler.toml must not take the API down (test/tooling/wrangler-config.test.ts checks the
// deployed values themselves).

const number = z.string().trim().min(1).pipe(z.coerce.number());

/** A number of milliseconds above zero. */
export const positiveVar = (fallback: number) => number.pipe(z.number().positive()).catch(fallback);

/** A number of milliseconds, zero allowed (0 turns the feature off or makes it immediate). */
export const nonNegativeVar = (fallback: number) => number.pipe(z.number().nonnegative()).catch(fallback);

/** A whole count of at least one (a fraction is rounded down, to one at least). */
export const countVar = (fallback: number) =>
  number
    .pipe(z.number().positive())
    .transform((n) => Math.max(1, Math.floor(n)))
    .catch(fallback);

/** A share between 0 and 1 (above 1 is all; missing or not above 0 is none). */
export const shareVar = () =>
  number
    .pipe(z.number().positive())
    .transform((n) => Math.min(1, n))
    .catch(0);

/** A comma-separated list, each item trimmed. */
export const listVar = () =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === undefined ? [] : raw.split(',').map((item) => item.trim())));
