import { Ruleset } from '@cdktf/provider-cloudflare/lib/ruleset';
import { Construct } from 'constructs';
import { CLOUDFLARE_MANAGED_RULESET_ID, type EnvConfig } from '../config';

/** What a client over an edge limit gets: JSON, like the Worker's own 429 (Cloudflare adds no Retry-After). */
export const EDGE_LIMIT_RESPONSE = {
  status: 429,
  title: 'Too Many Requests',
  detail: 'Too many requests from this address; retry in a few minutes.',
};

/** `(http.host in {"api.example.com"})`: every rule is kept to the Worker route hostnames. */
export const hostExpression = (hostnames: string[]) =>
  `(http.host in {${hostnames.map((h) => JSON.stringify(h)).join(' ')}})`;

/**
 * The edge's own defences in front of the Worker's per-key limiter (backlog #37): rate limiting per
 * client IP, and optionally the Cloudflare Managed Ruleset, both only on the Worker route hostnames.
 *
 * Each ruleset is the zone's entry point for its phase: Terraform owns every rule of that phase in the
 * zone, so rules made in the dashboard must be imported into this code first (README, edge).
 */
export class EdgeDefences extends Construct {
  readonly rateLimits?: Ruleset;
  readonly managed?: Ruleset;

  constructor(scope: Construct, id: string, c: EnvConfig) {
    super(scope, id);
    const hosts = hostExpression(c.workerRouteHostnames);
    const zoneId = c.cloudflare.zoneId;

    if (c.edge.rateLimits.length > 0) {
      this.rateLimits = new Ruleset(this, 'rate-limits', {
        zoneId,
        kind: 'zone',
        phase: 'http_ratelimit',
        name: `${c.env} zone rate limiting (infra/)`,
        description: 'Public API hostnames: per-IP limits in front of the Worker',
        rules: c.edge.rateLimits.map((r) => ({
          ref: r.id,
          description: r.description,
          enabled: true,
          expression: hosts,
          action: 'block',
          actionParameters: {
            response: {
              statusCode: 429,
              contentType: 'application/json',
              content: JSON.stringify(EDGE_LIMIT_RESPONSE),
            },
          },
          ratelimit: {
            // cf.colo.id is mandatory; counters are per data center and client IP.
            characteristics: ['cf.colo.id', 'ip.src'],
            period: r.periodSeconds,
            requestsPerPeriod: r.requestsPerPeriod,
            mitigationTimeout: r.mitigationTimeoutSeconds,
            ...(r.countStatuses
              ? { countingExpression: `${hosts} and (http.response.code in {${r.countStatuses.join(' ')}})` }
              : {}),
          },
        })),
      });
    }

    if (c.edge.managedRuleset === 'on') {
      this.managed = new Ruleset(this, 'managed', {
        zoneId,
        kind: 'zone',
        phase: 'http_request_firewall_managed',
        name: `${c.env} zone managed rules (infra/)`,
        description: 'Cloudflare Managed Ruleset on the Public API hostnames',
        rules: [
          {
            ref: 'cloudflare_managed_ruleset',
            description: 'Cloudflare Managed Ruleset, default actions',
            enabled: true,
            expression: hosts,
            action: 'execute',
            actionParameters: { id: CLOUDFLARE_MANAGED_RULESET_ID },
          },
        ],
      });
    }
  }
}
