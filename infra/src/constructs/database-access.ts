import { HyperdriveConfig } from '@cdktf/provider-cloudflare/lib/hyperdrive-config';
import { ZeroTrustAccessApplication } from '@cdktf/provider-cloudflare/lib/zero-trust-access-application';
import { ZeroTrustAccessPolicy } from '@cdktf/provider-cloudflare/lib/zero-trust-access-policy';
import { ZeroTrustAccessServiceToken } from '@cdktf/provider-cloudflare/lib/zero-trust-access-service-token';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { DatabaseConfig, EnvConfig } from '../config';

export interface DatabaseAccessProps {
  config: EnvConfig;
  /** Sensitive Terraform variable references (never literals), keyed by database. */
  passwords: Record<DatabaseConfig['key'], string>;
  /**
   * What must exist before a Hyperdrive config is created: Hyperdrive validates the connection at
   * creation, through the running connector and its ingress (000 §10.4, §10.6).
   */
  hyperdriveDependsOn: ITerraformDependable[];
}

/**
 * Phase 2 (000 §10): one Access service token per environment, one self-hosted Access application
 * per database hostname with a `non_identity` policy that admits only that token, and one Hyperdrive
 * config per database whose origin presents the token.
 */
export class DatabaseAccess extends Construct {
  readonly serviceToken: ZeroTrustAccessServiceToken;
  readonly policy: ZeroTrustAccessPolicy;
  readonly applications: ZeroTrustAccessApplication[] = [];
  readonly hyperdrives = new Map<DatabaseConfig['key'], HyperdriveConfig>();

  constructor(scope: Construct, id: string, props: DatabaseAccessProps) {
    super(scope, id);
    const c = props.config;
    const { accountId } = c.cloudflare;

    this.serviceToken = new ZeroTrustAccessServiceToken(this, 'service-token', {
      accountId,
      name: c.names.accessServiceToken,
      duration: '8760h',
    });

    // Provider v5 policies are account-level and attached to applications by id.
    this.policy = new ZeroTrustAccessPolicy(this, 'policy', {
      accountId,
      name: `${c.names.accessServiceToken} service token`,
      decision: 'non_identity',
      include: [{ serviceToken: { tokenId: this.serviceToken.id } }],
    });

    for (const db of c.databases) {
      const app = new ZeroTrustAccessApplication(this, `app-${db.key}`, {
        accountId,
        name: db.hostname,
        type: 'self_hosted',
        domain: db.hostname,
        destinations: [{ type: 'public', uri: db.hostname }],
        sessionDuration: '24h',
        appLauncherVisible: false,
        policies: [{ id: this.policy.id, precedence: 1 }],
      });
      this.applications.push(app);

      // With Access credentials the origin has NO port: the tunnel's tcp:// ingress decides it, and
      // the API rejects port beside access_client_id (000 §10.6).
      const hyperdrive = new HyperdriveConfig(this, `hyperdrive-${db.key}`, {
        accountId,
        name: db.hyperdriveName,
        origin: {
          scheme: 'mysql',
          host: db.hostname,
          database: db.database,
          user: db.user,
          password: props.passwords[db.key],
          accessClientId: this.serviceToken.clientId,
          accessClientSecret: this.serviceToken.clientSecret,
        },
        // Said explicitly even when off: the provider's default is on (60 s, 15 s stale).
        caching: db.queryCache.disabled
          ? { disabled: true }
          : {
              disabled: false,
              maxAge: db.queryCache.maxAgeSeconds,
              staleWhileRevalidate: db.queryCache.staleWhileRevalidateSeconds,
            },
        dependsOn: [app, ...props.hyperdriveDependsOn],
      });
      this.hyperdrives.set(db.key, hyperdrive);
    }
  }
}
