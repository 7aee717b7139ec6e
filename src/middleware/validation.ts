import type { Hook } from '@hono/zod-openapi';
import { parameterRules } from '../../generated/schemas';
import type { AppEnv } from '../env';
import { ApiError } from '../shared/errors/api-error';

const MAX_ECHO = 64;

/**
 * A failed parameter validation → 400 whose detail names the parameter, the rule (the
 * parameter's `x-rule` in openapi.yaml) and what was sent.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route, whatever its input.
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'request');
  const raw = result.target === 'param' ? c.req.param(name) : c.req.query(name);
  if (raw === undefined) throw new ApiError(400, `Parameter "${name}" is required.`);
  const rule = parameterRules[name];
  const shown = JSON.stringify(raw.length > MAX_ECHO ? `${raw.slice(0, MAX_ECHO)}…` : raw);
  throw new ApiError(
    400,
    rule
      ? `Parameter "${name}" must be ${rule}; got ${shown}.`
      : `Parameter "${name}" is invalid: ${issue?.message}.`,
  );
};
