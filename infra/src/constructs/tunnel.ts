import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { ZeroTrustTunnelCloudflaredConfigA } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared-config';
import { Bytes } from '@cdktf/provider-random/lib/bytes';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvConfig } from '../config';

/** One ingress rule of the tunnel; the last one is the catch-all. */
export interface IngressRule {
  hostname?: string;
  service: string;
}

/** Where the bootstrap script writes the credentials (it names the file after the tunnel id). */
const CREDENTIALS_DIR = '/etc/cloudflared';

/**
 * The per-environment Cloudflare Tunnel (000 §5, 001 §1.0: one tunnel per environment):
 * a 32-byte random secret, the tunnel, its ingress (each database hostname → its tcp:// origin, then
 * http_status:404), and a proxied CNAME to <tunnel id>.cfargotunnel.com for the tunnel hostname and
 * each database hostname.
 *
 * The ingress is rendered twice from the same list: as the tunnel's Cloudflare-side configuration and
 * as the `config_yaml` the bootstrap script writes to /etc/cloudflared/config.yml (see `configYaml`).
 * cloudflared starts on the local file and then takes the remote one; both say the same thing, so
 * there is no window without ingress (cloudflared issue 1258).
 */
export class CloudflareTunnel extends Construct {
  readonly tunnel: ZeroTrustTunnelCloudflared;
  readonly secret: Bytes;
  readonly ingress: IngressRule[];
  readonly tunnelConfig: ZeroTrustTunnelCloudflaredConfigA;
  readonly dnsRecords: DnsRecord[] = [];

  constructor(scope: Construct, id: string, c: EnvConfig) {
    super(scope, id);
    const { accountId, zoneId } = c.cloudflare;

    // 32 random bytes, base64: the length and encoding the tunnel API requires.
    this.secret = new Bytes(this, 'secret', { length: 32 });

    // Provider v5 names the argument `tunnel_secret` (v4 called it `secret`, 000 §5.5).
    this.tunnel = new ZeroTrustTunnelCloudflared(this, 'tunnel', {
      accountId,
      name: c.names.fleet,
      tunnelSecret: this.secret.base64,
      configSrc: 'cloudflare',
    });

    this.ingress = [
      ...c.databases.map((d) => ({ hostname: d.hostname, service: d.originService })),
      { service: 'http_status:404' },
    ];

    this.tunnelConfig = new ZeroTrustTunnelCloudflaredConfigA(this, 'config', {
      accountId,
      tunnelId: this.tunnel.id,
      source: 'cloudflare',
      config: { ingress: this.ingress },
    });

    const target = `${this.tunnel.id}.cfargotunnel.com`;
    const cnames = [
      { id: 'tunnel', name: c.tunnelHostname },
      ...c.databases.map((d) => ({ id: `db-${d.key}`, name: d.hostname })),
    ];
    for (const r of cnames) {
      this.dnsRecords.push(
        new DnsRecord(this, `cname-${r.id}`, {
          zoneId,
          name: r.name,
          type: 'CNAME',
          content: target,
          proxied: true,
          ttl: 1, // automatic; the only value a proxied record takes
          comment: `Cloudflare Tunnel ${c.names.fleet} (managed by infra/)`,
        }),
      );
    }
  }

  /** /etc/cloudflared/config.yml as the bootstrap script writes it (000 §5.2). */
  configYaml(): string {
    const id = this.tunnel.id;
    const rules = this.ingress
      .map((r) =>
        r.hostname
          ? `  - hostname: ${r.hostname}\n    service: ${r.service}\n`
          : `  - service: ${r.service}\n`,
      )
      .join('');
    return (
      `tunnel: ${id}\n` +
      `credentials-file: ${CREDENTIALS_DIR}/${id}.json\n` +
      'no-autoupdate: true\n' +
      'metrics: 0.0.0.0:2000\n' +
      '\n' +
      'ingress:\n' +
      rules
    );
  }

  /** The tunnel credentials file cloudflared reads (`credentials_json`). */
  credentialsJson(accountId: string): string {
    return Fn.jsonencode({
      AccountTag: accountId,
      TunnelSecret: this.secret.base64,
      TunnelID: this.tunnel.id,
    });
  }
}
