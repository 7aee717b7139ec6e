import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { S3Backend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { DatabaseConfig, EnvConfig } from './config';
import { DatabaseAccess } from './constructs/database-access';
import { EdgeDefences } from './constructs/edge-defences';
import { CloudflaredFleet } from './constructs/fleet';
import { FleetAlarms } from './constructs/fleet-alarms';
import { CloudflareTunnel } from './constructs/tunnel';
import { WorkerRouteDns } from './constructs/worker-dns';

/** Terraform variable that carries a database password: sensitive, no default, never in the code. */
export const passwordVariable = (key: DatabaseConfig['key']) => `db_password_${key}`;

/**
 * Everything one environment needs between the Worker and its MySQL origins:
 * Cloudflare tunnel + DNS, Access, Hyperdrive, Worker route DNS, the AWS connector fleet and its
 * alarms, and the edge defences of the Worker route hostnames.
 */
export class EnvStack extends TerraformStack {
  readonly tunnel: CloudflareTunnel;
  readonly fleet: CloudflaredFleet;
  readonly access: DatabaseAccess;
  readonly workerDns: WorkerRouteDns;
  readonly alarms: FleetAlarms;
  readonly edge: EdgeDefences;

  constructor(scope: Construct, c: EnvConfig) {
    super(scope, c.env);

    // State holds the tunnel secret and the Access client secret: encrypted S3 with a lock table (000 §8).
    new S3Backend(this, {
      bucket: c.state.bucket,
      key: c.state.key,
      region: c.state.region,
      encrypt: true,
      dynamodbTable: c.state.dynamodbTable,
    });

    new AwsProvider(this, 'aws', {
      region: c.aws.region,
      allowedAccountIds: [c.aws.accountId],
      defaultTags: [
        {
          tags: {
            'adv:env': c.env,
            'adv:owner': 'platform',
            'adv:project': 'cloudflare-tunnel',
            'adv:repo': 'adventive-public-api-worker',
            'adv:module': 'infra',
          },
        },
      ],
    });
    // The API token comes from CLOUDFLARE_API_TOKEN (000 §3, §10.5 for its permission groups).
    new CloudflareProvider(this, 'cloudflare', {});
    new RandomProvider(this, 'random', {});

    const passwords = {} as Record<DatabaseConfig['key'], string>;
    for (const db of c.databases) {
      passwords[db.key] = new TerraformVariable(this, passwordVariable(db.key), {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Password of MySQL user for ${db.hyperdriveName} (database ${db.database})`,
      }).stringValue;
    }

    this.tunnel = new CloudflareTunnel(this, 'tunnel', c);
    this.fleet = new CloudflaredFleet(this, 'fleet', {
      config: c,
      configYaml: this.tunnel.configYaml(),
      credentialsJson: this.tunnel.credentialsJson(c.cloudflare.accountId),
    });
    this.access = new DatabaseAccess(this, 'database-access', {
      config: c,
      passwords,
      // Hyperdrive checks the connection on create: ingress, DNS and a running connector first (000 §10.4).
      hyperdriveDependsOn: [this.tunnel.tunnelConfig, ...this.tunnel.dnsRecords, this.fleet.asg],
    });
    this.workerDns = new WorkerRouteDns(this, 'worker-dns', c);
    this.alarms = new FleetAlarms(this, 'alarms', c);
    this.edge = new EdgeDefences(this, 'edge', c);

    // ---- outputs (ids only; nothing secret)
    for (const [key, hd] of this.access.hyperdrives) {
      new TerraformOutput(this, `hyperdrive_id_${key}`, {
        value: hd.id,
        description: `wrangler.toml [env.${c.env}] DB_${key.toUpperCase()} id`,
      });
    }
    new TerraformOutput(this, 'tunnel_id', { value: this.tunnel.tunnel.id });
    new TerraformOutput(this, 'tunnel_secret_arn', { value: this.fleet.secret.arn });
    new TerraformOutput(this, 'access_client_id', { value: this.access.serviceToken.clientId });
    new TerraformOutput(this, 'asg_name', { value: this.fleet.asg.name });
    new TerraformOutput(this, 'launch_template_id', { value: this.fleet.launchTemplate.id });
    new TerraformOutput(this, 'ami_id_published', {
      value: this.fleet.ami.insecureValue,
      description: 'AMI the launch template resolves at the next launch (the SSM parameter, at plan time)',
    });
    new TerraformOutput(this, 'alarm_topic_page_arn', { value: this.alarms.topics.page.arn });
    new TerraformOutput(this, 'alarm_topic_warn_arn', { value: this.alarms.topics.warn.arn });
    new TerraformOutput(this, 'runtime_security_group_id', { value: this.fleet.securityGroup.id });
  }
}
