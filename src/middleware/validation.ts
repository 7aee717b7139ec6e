import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { ApiError } from '../errors/api-error';

/** Turns a failed parameter validation into a 400 whose detail names the parameter and the rule. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route, whatever its input.
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const name = issue?.path.join('.') || 'request';
  throw new ApiError(400, `Parameter "${name}" is invalid: ${issue?.message ?? 'invalid value'}.`);
};
