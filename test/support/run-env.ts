/**
 * A `VITE_`-prefixed variable of the environment vitest was started in, read when the test runs.
 * Neither `process.env` (workerd) nor `import.meta.env` (inlined at transform time, then reused
 * from vitest's on-disk module cache whatever the environment) can be trusted for this inside
 * the Workers pool; the worker state's copy of the resolved config can (vitest internal: if it
 * ever moves, callers get their defaults).
 */
export function runEnv(name: `VITE_${string}`): string | undefined {
  const worker = (globalThis as { __vitest_worker__?: { config?: { env?: Record<string, unknown> } } })
    .__vitest_worker__;
  const value = worker?.config?.env?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
