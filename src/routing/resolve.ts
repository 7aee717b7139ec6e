import { operations } from '../../generated/routes';
import { rawUrlEncodeBytes } from '../legacy/php-query';
import { phpView } from '../request/query';

/**
 * The Rest Server's format names that may end the path (`/advertisers.xml`). Case-sensitive; any
 * other suffix is part of the path (`/advertisers.yaml` → 404).
 */
export const PATH_EXTENSIONS = ['json', 'array', 'csv', 'html', 'jsonp', 'php', 'serialized', 'xml'] as const;
export type PathExtension = (typeof PATH_EXTENSIONS)[number];

export type ApiVersion = 1 | 2;

export interface ResolvedRoute {
  /** The operation's bare path template, e.g. `/advertisers/{id}`. */
  template: string;
  /** The path the router sees: version prefix, extension and outer slashes removed, re-encoded. */
  canonicalPath: string;
  version: ApiVersion;
  extension: PathExtension | undefined;
  authenticated: boolean;
}

// The legacy router (CONTRACT §1.2–1.3), on the decoded path: `/v<digits>.<digits>/…` (major 0 is
// unknown), then a format extension at the very end, then the segments between the outer slashes:
// the first names the endpoint, their count picks the form; an empty segment is unknown.
const VERSION_PREFIX = /^\/v([0-9]+)\.([0-9]+)(\/.*)$/s;
const EXTENSION = new RegExp(`^(.*)\\.(${PATH_EXTENSIONS.join('|')})$`, 's');

interface LegacyForm {
  template: string;
  /** How many segments the form has: `/advertisers` 1, `/advertisers/{id}` 2. */
  segments: number;
}

// The endpoints by their first segment (bare authenticated templates of the contract).
const legacyForms = new Map<string, LegacyForm[]>();
for (const { route, authenticated } of operations) {
  if (!authenticated || route.path.startsWith('/v{')) continue;
  const [first, ...rest] = route.path.slice(1).split('/');
  const forms = legacyForms.get(first!) ?? [];
  forms.push({ template: route.path, segments: 1 + rest.length });
  legacyForms.set(first!, forms);
}

// The Worker's own endpoints (no legacy counterpart): literal paths, no prefix, no extension.
const operational = new Set<string>(operations.filter((o) => !o.authenticated).map((o) => o.route.path));

/** `(int)` of a version's major digits is 0 ("Unknown API version."): only zeros. */
const isZero = (digits: string) => /^0+$/.test(digits);

/**
 * Maps a decoded request path (bytes, as PHP's rawurldecode gave them) to the contract's
 * operation, or undefined for an unknown path or version prefix.
 */
export function resolvePath(decodedPath: string): ResolvedRoute | undefined {
  if (operational.has(decodedPath)) {
    return {
      template: decodedPath,
      canonicalPath: decodedPath,
      version: 1,
      extension: undefined,
      authenticated: false,
    };
  }
  let path = decodedPath;
  let version: ApiVersion = 1;
  const prefixed = VERSION_PREFIX.exec(path);
  if (prefixed) {
    const [, major, , rest] = prefixed as unknown as [string, string, string, string];
    if (isZero(major)) return undefined;
    // Past one digit (leading zeros, PHP_INT_MAX saturation) any nonzero major ≥ 2 is v2.
    version = major.replace(/^0+/, '') === '1' ? 1 : 2;
    path = rest;
  }
  let extension: PathExtension | undefined;
  const suffix = EXTENSION.exec(path);
  if (suffix) {
    path = suffix[1]!;
    extension = suffix[2] as PathExtension;
  }
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.includes('')) return undefined;
  const form = legacyForms.get(segments[0]!)?.find((f) => f.segments === segments.length);
  if (!form) return undefined;
  return {
    template: form.template,
    canonicalPath: `/${segments.map(rawUrlEncodeBytes).join('/')}`,
    version,
    extension,
    authenticated: true,
  };
}

// Resolved once per request, kept beside it: Hono's getPath (routingPath) needs it before any
// middleware runs, and requestContext keeps the same answer on the context.
const resolved = new WeakMap<Request, ResolvedRoute | null>();

/** The route of a request, from the path PHP would have routed. */
export function resolveRequest(request: Request): ResolvedRoute | undefined {
  let route = resolved.get(request);
  if (route === undefined) {
    route = resolvePath(phpView(request).path) ?? null;
    resolved.set(request, route);
  }
  return route ?? undefined;
}

/** Hono's `getPath`: route on the canonical path, so one registration serves every form of a path. */
export function routingPath(request: Request): string {
  return resolveRequest(request)?.canonicalPath ?? phpView(request).path;
}
