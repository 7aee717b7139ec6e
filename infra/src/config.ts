/**
 * The one place for per-environment reference data. Every id, hostname, name and size the stacks use
 * comes from here; the constructs only derive from it.
 *
 * dev: seed 000 §2 (as-built reference data, 2026-04-29) and wrangler.toml.
 * stg/prd: not provisioned yet. Values nobody knows yet are `REPLACE_WITH_*` placeholders (the same
 * convention as wrangler.toml); `npm run synth` lists the ones left in each stack.
 */

export const ENVIRONMENTS = ['dev', 'stg', 'prd'] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];

/** A value that is not known yet. Synth still works; plan/apply will fail on it, as it should. */
export const placeholder = (what: string): string => `REPLACE_WITH_${what}`;
export const isPlaceholder = (value: string): boolean => value.includes('REPLACE_WITH_');

export interface DatabaseConfig {
  /** Logical name: the Worker binding is DB_<KEY>, the Hyperdrive config is named after it. */
  key: 'console' | 'aggregate';
  /** MySQL schema on the origin. */
  database: string;
  /** MySQL user Hyperdrive logs in as (must exist on the origin: 000 §10.6, AuthSwitchRequest). */
  user: string;
  /** Public hostname Hyperdrive dials; protected by Access, routed by the tunnel (proxied CNAME). */
  hostname: string;
  /** tcp:// service the tunnel ingress forwards that hostname to. */
  originService: string;
  hyperdriveName: string;
}

export interface FleetConfig {
  instanceType: string;
  /** One subnet per AZ the ASG spans. dev/stg: 1, prd: 2 (001 §1.0). */
  subnetIds: string[];
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Instance refresh: 100 when desired = 1 (new before old), 50 with 2 replicas (000 §9.4). */
  minHealthyPercentage: number;
  /**
   * Instance refresh upper bound (AWS default 100). Above 100 lets the refresh launch the replacement
   * before terminating: 200 for one replica (1 → 2 → 1), 150 for prd (2 → 3 → 2, 001 §1 maintenance).
   */
  maxHealthyPercentage: number;
  instanceWarmupSeconds: number;
  healthCheckGracePeriodSeconds: number;
}

export interface StateBackendConfig {
  bucket: string;
  /** Per-environment state key. */
  key: string;
  region: string;
  dynamodbTable: string;
}

export interface EnvConfig {
  env: EnvName;
  aws: {
    accountId: string;
    region: string;
    vpcId: string;
    /** String SSM parameter the Image Builder pipeline publishes the AMI id to (000 §4). */
    amiSsmParameter: string;
    /** Secrets Manager name = `${secretPathPrefix}/${env}` (the bootstrap script's contract). */
    secretPathPrefix: string;
    /** The RDS security group that must admit 3306 from the runtime SG (000 §10.3). */
    rdsSecurityGroupId: string;
  };
  cloudflare: {
    accountId: string;
    zoneId: string;
    /** DNS zone (apex) every hostname of this env lives in. */
    zone: string;
  };
  names: {
    /** Tunnel, ASG and launch template name. */
    fleet: string;
    /** Runtime IAM role, instance profile and security group name. */
    runtime: string;
    accessServiceToken: string;
  };
  /** Proxied CNAME to the tunnel (000 §5.2). */
  tunnelHostname: string;
  /** Hostnames of the Worker routes (wrangler.toml [env.*].routes): each gets a proxied AAAA 100:: (000 §12.5). */
  workerRouteHostnames: string[];
  databases: DatabaseConfig[];
  fleet: FleetConfig;
  state: StateBackendConfig;
  /**
   * Ids of what already exists (seed 000 §2), for `terraform import` when this code adopts it.
   * Not used by the constructs.
   */
  asBuilt?: Record<string, string>;
}

// ------------------------------------------------------------------ shared
const CLOUDFLARE_ACCOUNT_ID = '46a873457665355ba02a85e61d7200a7'; // Adventive Tech, Inc.
const AWS_REGION = 'us-east-1';
const AMI_SSM_PARAMETER = '/adventive/cloudflared/ami-id-latest';
const SECRET_PATH_PREFIX = '/adventive/cloudflared';
const MYSQL_PORT = 3306;

/** One state bucket and lock table for all environments; the key separates them. Not created yet (000 §8). */
const STATE = {
  bucket: placeholder('TFSTATE_BUCKET'),
  region: AWS_REGION,
  dynamodbTable: placeholder('TFSTATE_LOCK_TABLE'),
};
const stateKey = (env: EnvName) => `adventive-public-api/infra/${env}.tfstate`;

const names = (env: EnvName) => ({
  fleet: `adv-cflared-${env}`,
  runtime: `adv-cflared-runtime-${env}`,
  accessServiceToken: `adv-hyperdrive-${env}`,
});

function databases(
  env: EnvName,
  zone: string,
  rdsHost: string,
  users: Record<'console' | 'aggregate', string>,
) {
  return (['console', 'aggregate'] as const).map(
    (key): DatabaseConfig => ({
      key,
      database: key,
      user: users[key],
      hostname: `db-${key}-${env}.${zone}`,
      originService: `tcp://${rdsHost}:${MYSQL_PORT}`,
      hyperdriveName: `adv-svc-public-api-${key}-${env}`,
    }),
  );
}

/** dev and stg: 1 × t3.micro in one AZ, refresh launches the new instance before the old goes (001 §1.0). */
const singleReplica = (instanceType: string, subnetId: string): FleetConfig => ({
  instanceType,
  subnetIds: [subnetId],
  minSize: 1,
  maxSize: 2,
  desiredCapacity: 1,
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  instanceWarmupSeconds: 120,
  healthCheckGracePeriodSeconds: 180,
});

// ------------------------------------------------------------------ environments
export const CONFIG: Record<EnvName, EnvConfig> = {
  dev: {
    env: 'dev',
    aws: {
      accountId: '201161205241',
      region: AWS_REGION,
      vpcId: 'vpc-e1636084',
      amiSsmParameter: AMI_SSM_PARAMETER,
      secretPathPrefix: SECRET_PATH_PREFIX,
      rdsSecurityGroupId: 'sg-0b940e4bfc388f9be', // adv-development-database
    },
    cloudflare: {
      accountId: CLOUDFLARE_ACCOUNT_ID,
      zoneId: 'c737bae5b535c0ec3daa72c809721e7d',
      zone: 'adventive.dev',
    },
    names: names('dev'),
    tunnelHostname: 'tunnel.adventive.dev',
    workerRouteHostnames: ['api.adventive.dev'],
    databases: databases('dev', 'adventive.dev', 'development.coi6rcntfbgg.us-east-1.rds.amazonaws.com', {
      // The seed does not name the MySQL users (000 §13: "-ro suffix vs actual user names").
      console: placeholder('DEV_CONSOLE_DB_USER'),
      aggregate: placeholder('DEV_AGGREGATE_DB_USER'),
    }),
    // The VPC has only public subnets (000 §9.4): dev runs in the public build subnet, no inbound.
    fleet: singleReplica('t3.micro', 'subnet-2ef28677'),
    state: { ...STATE, key: stateKey('dev') },
    asBuilt: {
      tunnelId: 'cb0c2ef4-3426-4968-8175-a3a053ecc5ea',
      tunnelSecretArn:
        'arn:aws:secretsmanager:us-east-1:201161205241:secret:/adventive/cloudflared/dev-7lUBaV',
      consoleHyperdriveId: '059838c4abb64a92a4aece2a6a533a29',
      aggregateHyperdriveId: 'c1b18833b07347daa77b56a2d19ef508',
      accessServiceTokenClientId: '99fc0a3d3df90300224e08b37fd04f5b.access',
    },
  },

  stg: {
    env: 'stg',
    aws: {
      accountId: placeholder('STG_AWS_ACCOUNT_ID'),
      region: AWS_REGION,
      vpcId: placeholder('STG_VPC_ID'),
      amiSsmParameter: AMI_SSM_PARAMETER,
      secretPathPrefix: SECRET_PATH_PREFIX,
      rdsSecurityGroupId: placeholder('STG_RDS_SECURITY_GROUP_ID'),
    },
    cloudflare: {
      accountId: CLOUDFLARE_ACCOUNT_ID,
      zoneId: placeholder('STG_ZONE_ID'),
      zone: 'adventivestg.com',
    },
    names: names('stg'),
    tunnelHostname: 'tunnel.adventivestg.com',
    workerRouteHostnames: ['api.adventivestg.com'],
    databases: databases('stg', 'adventivestg.com', placeholder('STG_RDS_HOST'), {
      console: placeholder('STG_CONSOLE_DB_USER'),
      aggregate: placeholder('STG_AGGREGATE_DB_USER'),
    }),
    fleet: singleReplica('t3.micro', placeholder('STG_SUBNET_ID')),
    state: { ...STATE, key: stateKey('stg') },
  },

  prd: {
    env: 'prd',
    aws: {
      accountId: placeholder('PRD_AWS_ACCOUNT_ID'),
      region: AWS_REGION,
      vpcId: placeholder('PRD_VPC_ID'),
      amiSsmParameter: AMI_SSM_PARAMETER,
      secretPathPrefix: SECRET_PATH_PREFIX,
      rdsSecurityGroupId: placeholder('PRD_RDS_SECURITY_GROUP_ID'),
    },
    cloudflare: {
      accountId: CLOUDFLARE_ACCOUNT_ID,
      zoneId: placeholder('PRD_ZONE_ID'),
      zone: 'adventive.com',
    },
    names: names('prd'),
    tunnelHostname: 'tunnel.adventive.com',
    workerRouteHostnames: ['api.adventive.com'],
    databases: databases('prd', 'adventive.com', placeholder('PRD_RDS_HOST'), {
      console: placeholder('PRD_CONSOLE_DB_USER'),
      aggregate: placeholder('PRD_AGGREGATE_DB_USER'),
    }),
    // 2 × t3.small across 2 AZs; refresh keeps 1 of 2 healthy (001 §1.0, 000 §9.4).
    // Private subnets behind NAT are a prerequisite for prd (000 §8, §13).
    fleet: {
      instanceType: 't3.small',
      subnetIds: [placeholder('PRD_SUBNET_ID_AZ_A'), placeholder('PRD_SUBNET_ID_AZ_B')],
      minSize: 2,
      maxSize: 4,
      desiredCapacity: 2,
      minHealthyPercentage: 50,
      maxHealthyPercentage: 150,
      instanceWarmupSeconds: 120,
      healthCheckGracePeriodSeconds: 180,
    },
    state: { ...STATE, key: stateKey('prd') },
  },
};

/** Rules the seeds learned the hard way; synth refuses a configuration that breaks one. */
export function validateConfig(c: EnvConfig): string[] {
  const errors: string[] = [];
  const f = c.fleet;
  if (f.desiredCapacity === 1 && f.minHealthyPercentage !== 100) {
    // 50 % of 1 rounds down to 0: AWS may terminate before launching (000 §9.4).
    errors.push(
      `${c.env}: a single-replica fleet needs minHealthyPercentage 100, not ${f.minHealthyPercentage}`,
    );
  }
  if (f.desiredCapacity === 1 && f.maxHealthyPercentage <= 100) {
    // With the AWS default (100) a one-instance refresh terminates before it launches.
    errors.push(
      `${c.env}: a single-replica fleet needs maxHealthyPercentage > 100 to launch before terminating`,
    );
  }
  if (
    f.maxHealthyPercentage < 100 ||
    f.maxHealthyPercentage > 200 ||
    f.maxHealthyPercentage - f.minHealthyPercentage > 100
  ) {
    errors.push(`${c.env}: maxHealthyPercentage must be 100..200 and at most 100 above minHealthyPercentage`);
  }
  if (Math.ceil((f.desiredCapacity * f.maxHealthyPercentage) / 100) > f.maxSize) {
    errors.push(`${c.env}: maxSize must hold the extra instances a refresh launches`);
  }
  if (f.minSize > f.desiredCapacity || f.desiredCapacity > f.maxSize) {
    errors.push(`${c.env}: fleet sizes must satisfy min <= desired <= max`);
  }
  if (new Set(f.subnetIds).size !== f.subnetIds.length) errors.push(`${c.env}: duplicate subnet ids`);
  if (c.env === 'prd' && (f.subnetIds.length < 2 || f.desiredCapacity < 2 || f.minHealthyPercentage > 50)) {
    errors.push(
      'prd: needs >= 2 replicas across >= 2 subnets/AZs with minHealthyPercentage <= 50 (001 §1.0)',
    );
  }
  const hostnames = [c.tunnelHostname, ...c.workerRouteHostnames, ...c.databases.map((d) => d.hostname)];
  for (const h of hostnames) {
    if (h !== c.cloudflare.zone && !h.endsWith(`.${c.cloudflare.zone}`)) {
      errors.push(`${c.env}: hostname ${h} is outside the zone ${c.cloudflare.zone}`);
    }
  }
  if (new Set(hostnames).size !== hostnames.length) errors.push(`${c.env}: duplicate hostnames`);
  if (!c.state.key.includes(c.env)) errors.push(`${c.env}: the state key must be per environment`);
  return errors;
}

/** Every placeholder left in an environment's configuration, as `path: value`. */
export function placeholders(c: EnvConfig): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (isPlaceholder(value)) found.push(`${path}: ${value}`);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(c, '');
  return found;
}
