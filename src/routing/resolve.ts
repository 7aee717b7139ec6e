import { operations } from '../../generated/routes';
import { VersionMajorParam, VersionMinorParam } from '../../generated/schemas';

/**
 * The Rest Server's format names that may end the last path segment (`/advertisers.xml`).
 * Case-sensitive; any other suffix is part of the path (`/advertisers.yaml` → 404).
 */
export const PATH_EXTENSIONS = ['json', 'xml', 'csv', 'php', 'serialized', 'html', 'jsonp', 'array'] as const;
export type PathExtension = (typeof PATH_EXTENSIONS)[number];

export type ApiVersion = 1 | 2;

export interface ResolvedRoute {
  /** The operation's bare path template, e.g. `/advertisers/{id}`. */
  template: string;
  /** The path the router sees: version prefix and extension removed. */
  canonicalPath: string;
  version: ApiVersion;
  extension: PathExtension | undefined;
  authenticated: boolean;
}

const VERSION_PREFIX = /^\/v([^/.]*)\.([^/]*)(\/.*)$/;
const EXTENSION = new RegExp(`\\.(${PATH_EXTENSIONS.join('|')})$`);

interface Template {
  template: string;
  matcher: RegExp;
  authenticated: boolean;
}

// Only bare templates are matched: a versioned operation is its bare twin behind a valid prefix.
const templates: Template[] = operations
  .filter(({ route }) => !route.path.startsWith('/v{'))
  .map(({ route, authenticated }) => ({
    template: route.path,
    // A path parameter is one whole segment; its value is validated later (400, not 404).
    matcher: new RegExp(
      `^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
    ),
    authenticated,
  }));

const literalPaths = new Set(templates.filter((t) => !t.template.includes('{')).map((t) => t.template));

const versionedTemplates = new Set(
  operations
    .filter(({ route }) => route.path.startsWith('/v{'))
    .map(({ route }) => route.path.replace(/^\/v\{major\}\.\{minor\}/, '')),
);

/**
 * Maps a raw (still percent-encoded) request path to the contract's operation, or undefined for
 * an unknown path or version prefix (CONTRACT §1.2–1.3).
 */
export function resolvePath(rawPath: string): ResolvedRoute | undefined {
  let path = rawPath;
  let version: ApiVersion = 1;
  const prefixed = VERSION_PREFIX.exec(path);
  if (prefixed) {
    const [, major, minor, rest] = prefixed as unknown as [string, string, string, string];
    if (!VersionMajorParam.safeParse(major).success || !VersionMinorParam.safeParse(minor).success)
      return undefined;
    version = Number(major) >= 2 ? 2 : 1;
    path = rest;
  }
  let extension: PathExtension | undefined;
  // `/openapi.json` is a literal path, not `/openapi` + `.json`.
  const suffix = literalPaths.has(path) ? null : EXTENSION.exec(path);
  if (suffix) {
    extension = suffix[1] as PathExtension;
    path = path.slice(0, -suffix[0].length);
  }
  const found = templates.find((t) => t.matcher.test(path));
  if (!found) return undefined;
  // Operational endpoints have no versioned form and no extension.
  if (prefixed && !versionedTemplates.has(found.template)) return undefined;
  if (!found.authenticated && extension) return undefined;
  return {
    template: found.template,
    canonicalPath: path,
    version,
    extension,
    authenticated: found.authenticated,
  };
}

/** The raw (still percent-encoded) path of a URL. */
export function rawPathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const end = url.indexOf('?', start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}

/** Hono's `getPath`: route on the canonical path, so one registration serves every prefixed form. */
export function routingPath(request: Request): string {
  const rawPath = rawPathOf(request.url);
  return resolvePath(rawPath)?.canonicalPath ?? rawPath;
}
