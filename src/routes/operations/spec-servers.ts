// The contract as one environment serves it: that environment's server first, and a deployed
// environment never offers localhost (a "Try it" in the reference, or a generated SDK's default,
// must point where the reader is). The spec lists the servers with their environment as the
// description (`local (wrangler dev)`, `dev`, `stg`, `prd`).
import { openapiDocument, openapiYaml } from '../../../generated/openapi';

interface Server {
  url: string;
  description?: string;
}

const servers = (openapiDocument as { servers?: Server[] }).servers ?? [];
const environmentOf = (server: Server) => (server.description ?? '').split(' ')[0];
const isLocal = (server: Server) => environmentOf(server) === 'local';

/** The servers in the order `environment` offers them. */
export function serversFor(environment: string): Server[] {
  const deployed = environment === 'dev' || environment === 'stg' || environment === 'prd';
  const offered = deployed ? servers.filter((s) => !isLocal(s)) : servers;
  const own = offered.filter((s) => environmentOf(s) === (deployed ? environment : 'local'));
  return [...own, ...offered.filter((s) => !own.includes(s))];
}

const json = new Map<string, unknown>();
const yaml = new Map<string, string>();

export function specJsonFor(environment: string): unknown {
  let document = json.get(environment);
  if (!document) {
    document = { ...openapiDocument, servers: serversFor(environment) };
    json.set(environment, document);
  }
  return document;
}

/** The YAML as written, its `servers:` block (top level, up to the next top-level key) rewritten. */
export function specYamlFor(environment: string): string {
  let text = yaml.get(environment);
  if (text === undefined) {
    const block = serversFor(environment)
      .map((s) => `  - url: ${s.url}\n${s.description ? `    description: ${s.description}\n` : ''}`)
      .join('');
    text = openapiYaml.replace(/^servers:\n(?:[ \t].*\n|\n)*/m, `servers:\n${block}`);
    yaml.set(environment, text);
  }
  return text;
}
