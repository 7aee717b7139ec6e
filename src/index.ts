import { app } from './app';
import type { Env } from './env';
import { lastValueWins } from './request/query';

export { RateLimiter } from '../durable-objects/rate-limiter';

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(lastValueWins(request), env, ctx);
  },
} satisfies ExportedHandler<Env>;
