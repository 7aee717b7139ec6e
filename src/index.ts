import { app } from './app';
import type { Env } from './env';
import { withPhpQuery } from './request/query';

export { RateLimiter } from '../durable-objects/rate-limiter';

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(withPhpQuery(request), env, ctx);
  },
} satisfies ExportedHandler<Env>;
