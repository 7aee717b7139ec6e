// Test-only stand-ins for the two producers (the Public API Worker and the auth helper), run as
// auxiliary Workers whose tail is the built tail Worker (tail-worker/test/project.ts). They log
// with the real logger and trace code, and they leak the request's keys on purpose, every way a
// careless line could: in URLs, header dumps, Error objects, bare values and uncaught exceptions.
import { logEvent } from '../../src/shared/observability/logger';
import { traceFrom, traceparentOf } from '../../src/shared/observability/trace';

interface ProducerEnv {
  ROLE: 'api' | 'auth';
  AUTH?: Fetcher;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const trace = traceFrom(request.headers.get('traceparent') ?? undefined);
    const apiKey = request.headers.get('x-api-key') ?? url.searchParams.get('api_key') ?? '';
    const integrationKey =
      request.headers.get('x-integration-key') ?? url.searchParams.get('integration_key') ?? '';

    if (env.ROLE === 'auth') {
      logEvent('info', 'auth.cache.miss', { trace_id: trace.traceId });
      // A bare key with no name around it: only the tail Worker's scrubbing by value catches it.
      console.warn(`lookup of ${integrationKey} missed the cache`);
      return Response.json({ valid: false });
    }

    logEvent('info', 'request', {
      request_id: trace.spanId,
      trace_id: trace.traceId,
      endpoint: url.pathname,
      method: request.method,
      status: 200,
      api_key: apiKey,
    });
    console.log(`GET ${request.url}`);
    console.log('headers', Object.fromEntries(request.headers));
    console.error(new Error(`refused X-Api-Key: ${apiKey}`));
    const verdict = await env.AUTH!.fetch('https://auth-helper/verify', {
      headers: {
        'X-Api-Key': apiKey,
        'X-Integration-Key': integrationKey,
        traceparent: traceparentOf(trace),
      },
    });
    await verdict.json();
    if (url.pathname === '/throw')
      throw new Error(`lookup failed for ?api_key=${apiKey}&integration_key=${integrationKey}`);
    return new Response('ok');
  },
} satisfies ExportedHandler<ProducerEnv>;
