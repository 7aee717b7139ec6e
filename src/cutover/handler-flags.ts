// Which origin answers each legacy handler (seed 001 Phase 6: "cutover for a handler is a flag
// flip, not a code change"): `HANDLER_<NAME>` in `[vars]` per environment, `worker` (the default)
// or `legacy` (the request is passed through to LEGACY_ORIGIN unchanged).
import type { Env } from '../env';
import { testHooksEnabled } from '../request/clock';

/** The handlers by their operation's bare template (the legacy router's endpoints). */
export const HANDLERS = {
  '/credentialscheck': 'CREDENTIALSCHECK',
  '/advertisers': 'ADVERTISERS',
  '/advertisers/{id}': 'ADVERTISER',
  '/campaigns': 'CAMPAIGNS',
  '/campaigns/{id}': 'CAMPAIGN',
  '/analytics/{campaignId}': 'ANALYTICS',
  '/clickthroughs': 'CLICKTHROUGHS',
  '/connector': 'CONNECTOR',
  '/dataconnector': 'DATACONNECTOR',
} as const;

export type HandlerName = (typeof HANDLERS)[keyof typeof HANDLERS];
export type HandlerFlagVars = { [N in HandlerName as `HANDLER_${N}`]?: string };

export type Origin = 'worker' | 'legacy';

/**
 * The origin of a handler. Tests may set any mix per request with `x-test-handlers:
 * connector=legacy,advertisers=worker` (honoured only with the test hooks, as the test clock is).
 */
export function originOf(env: Env, template: string, request: Request): Origin {
  const name = HANDLERS[template as keyof typeof HANDLERS];
  if (!name) return 'worker';
  if (testHooksEnabled(env)) {
    const override = request.headers
      .get('x-test-handlers')
      ?.split(',')
      .map((pair) => pair.trim().split('='))
      .find(([handler]) => handler?.toUpperCase() === name)?.[1];
    if (override === 'legacy' || override === 'worker') return override;
  }
  const flag = (env as HandlerFlagVars)[`HANDLER_${name}`]?.trim().toLowerCase();
  return flag === 'legacy' ? 'legacy' : 'worker';
}
