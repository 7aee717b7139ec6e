import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { Construct } from 'constructs';
import type { EnvConfig } from '../config';

/** The originless address Cloudflare answers for a Worker-only hostname. */
export const WORKER_ROUTE_ADDRESS = '100::';

/**
 * A Worker route does not create DNS: without a proxied record the hostname does not resolve and the
 * route never sees a request. One proxied AAAA 100:: per route hostname (000 §12.5), created before
 * the first `wrangler deploy --env <env>`.
 */
export class WorkerRouteDns extends Construct {
  readonly records: DnsRecord[];

  constructor(scope: Construct, id: string, c: EnvConfig) {
    super(scope, id);
    this.records = c.workerRouteHostnames.map(
      (hostname) =>
        new DnsRecord(this, `aaaa-${hostname.replaceAll('.', '-')}`, {
          zoneId: c.cloudflare.zoneId,
          name: hostname,
          type: 'AAAA',
          content: WORKER_ROUTE_ADDRESS,
          proxied: true,
          ttl: 1,
          comment: 'Worker route (adv-public-api); managed by infra/',
        }),
    );
  }
}
