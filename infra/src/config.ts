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
  /** Hyperdrive's query cache for this database (QUERY_CACHE below says why it is what it is). */
  queryCache: HyperdriveQueryCache;
}

/** The Hyperdrive config's `caching` block: off, or on with its lifetimes in seconds. */
export type HyperdriveQueryCache =
  | { disabled: true }
  | { disabled: false; maxAgeSeconds: number; staleWhileRevalidateSeconds: number };

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

/** The Phase 1 observability alarms of one fleet (001 Phase 1 six-pillar table). */
export interface MonitoringConfig {
  /** Page when fewer connectors than fleet.desiredCapacity hold a tunnel connection for this many minutes. */
  replicaMissingMinutes: number;
  /** Page when one instance's cloudflared restarted more often than this in the last hour. */
  maxRestartsPerHour: number;
  /** Warn when the AMI a connector runs is older than this (the weekly pipeline or the rollout stalled). */
  maxAmiAgeDays: number;
}

/** What a zone's Cloudflare plan lets a ruleset use; the API refuses the rest at apply time. */
export type CloudflarePlan = 'free' | 'pro' | 'business' | 'enterprise';

/** One rate limiting rule for the Worker route hostnames, counted per client IP (and colo). */
export interface EdgeRateLimit {
  /** Short stable name, also the rule's ref. */
  id: string;
  description: string;
  requestsPerPeriod: number;
  periodSeconds: number;
  /** How long the client stays blocked once over the limit. */
  mitigationTimeoutSeconds: number;
  /** Count only responses with these statuses (a custom counting expression: Business and up). */
  countStatuses?: number[];
}

/** The edge's own defences in front of the Worker's per-key limiter (backlog #37). */
export interface EdgeConfig {
  /** Assumed until confirmed in the dashboard: it decides which fields, periods and how many rules are allowed. */
  plan: CloudflarePlan;
  rateLimits: EdgeRateLimit[];
  /** Cloudflare Managed Ruleset on the route hostnames: off, or on with its default actions (Pro and up). */
  managedRuleset: 'off' | 'on';
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
    /** Prefix of the fleet's alarms and of its `-page` / `-warn` SNS topics. */
    alarms: string;
  };
  /** Proxied CNAME to the tunnel (000 §5.2). */
  tunnelHostname: string;
  /** Hostnames of the Worker routes (wrangler.toml [env.*].routes): each gets a proxied AAAA 100:: (000 §12.5). */
  workerRouteHostnames: string[];
  databases: DatabaseConfig[];
  fleet: FleetConfig;
  monitoring: MonitoringConfig;
  edge: EdgeConfig;
  state: StateBackendConfig;
  /**
   * Ids of what already exists (seed 000 §2), for `terraform import` when this code adopts it.
   * Not used by the constructs.
   */
  asBuilt?: Record<string, string>;
}

// ------------------------------------------------------------------ shared
/** Cloudflare's own id of the Cloudflare Managed Ruleset (the same in every account). */
export const CLOUDFLARE_MANAGED_RULESET_ID = 'efb7b8c949ac4650a09736fc376e9aee';
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
  alarms: `adv-cflared-${env}`,
});

/**
 * Hyperdrive caches read queries (MySQL too) for 60 s + 15 s stale by default. Off for both, in every
 * environment: the legacy cached nothing, and answers must be as fresh as its were.
 * - console: the API keys (the auth helper's lookup, whose own KV lifetime is the bound a console
 *   deletion is documented to reach it in; README "Revoking a key pair") and account configuration.
 * - aggregate: changes with every ETL run; a cached answer after a run would differ from the legacy's.
 * The statements carry their remaining time budget in their text, so the cache would rarely hit anyway.
 */
const QUERY_CACHE: Record<DatabaseConfig['key'], HyperdriveQueryCache> = {
  console: { disabled: true },
  aggregate: { disabled: true },
};

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
      queryCache: QUERY_CACHE[key],
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

/** 001 Phase 1 observability: replica count below expected 2 min, > 3 restarts/h, AMI older than 21 days. */
const MONITORING: MonitoringConfig = { replicaMissingMinutes: 2, maxRestartsPerHour: 3, maxAmiAgeDays: 21 };

/**
 * Per client IP, far above what one integration sends (the Worker allows a key 500 requests an hour by
 * default): it stops floods and runaway loops before they cost Worker, Durable Object and database time.
 * 60 s is the longest counting period Pro offers.
 */
const PER_IP_LIMIT: EdgeRateLimit = {
  id: 'per_ip',
  description: 'Public API: more than 600 requests a minute from one IP',
  requestsPerPeriod: 600,
  periodSeconds: 60,
  mitigationTimeoutSeconds: 600,
};

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
    monitoring: MONITORING,
    // The zone plans are not in the seeds: Pro is assumed (rules matching a hostname need Pro or above).
    edge: { plan: 'pro', rateLimits: [PER_IP_LIMIT], managedRuleset: 'on' },
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
    monitoring: MONITORING,
    edge: { plan: 'pro', rateLimits: [PER_IP_LIMIT], managedRuleset: 'on' },
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
    monitoring: MONITORING,
    // adventive.com is the company's main zone: the managed ruleset stays off until dev and stg have
    // shown no false positives on API traffic (and any rules already in the zone's phases are imported).
    edge: { plan: 'pro', rateLimits: [PER_IP_LIMIT], managedRuleset: 'off' },
    state: { ...STATE, key: stateKey('prd') },
  },
};

// ------------------------------------------------------------------ the image pipeline and the rollout
// One pipeline builds the environment-agnostic AMI for every environment (001 §1.1); it and what
// promotes and rolls out its AMIs live in their own stack, in the account and region that build it.

export interface RolloutConfig {
  /** Environments refreshed one after another, each only once the previous one is refreshed and healthy. */
  order: EnvName[];
  /** Wait after an environment's refresh before its alarms are read and the next environment starts. */
  soakSeconds: number;
  /** The same wait for an execution started with {"acceleration": "fast"} (emergency CVE, rollback). */
  fastSoakSeconds: number;
  /** How often a running instance refresh is polled. */
  pollSeconds: number;
}

export interface ImageConfig {
  /** Stack name: cdktf.out/stacks/<id>, state key per stack. */
  id: string;
  aws: {
    accountId: string;
    region: string;
    vpcId: string;
    /** Where build and test instances run (000 §4.1: the public build subnet, no inbound). */
    buildSubnetId: string;
    /** The String parameter the fleets' launch templates resolve at launch (000 §2). */
    amiSsmParameter: string;
    /** Existing bucket for the build logs (000 §4.2); the builder role may write under logsPrefix only. */
    logsBucket: string;
    logsPrefix: string;
  };
  names: {
    pipeline: string;
    recipe: string;
    cloudflaredComponent: string;
    bootstrapComponent: string;
    metricsComponent: string;
    /** Build instance role, instance profile and security group. */
    builder: string;
    infrastructure: string;
    distribution: string;
    lifecyclePolicy: string;
    publishFunction: string;
    publishRule: string;
    /** The Step Functions state machine (001 §1.6). */
    rollout: string;
    /** Prefix of this stack's alarms and of its `-page` / `-warn` SNS topics. */
    alarms: string;
  };
  /** Image Builder-managed Ubuntu 22.04 image; `x.x.x` lets every build start from its newest version. */
  parentImage: string;
  /** Ubuntu codename of the parent image: the suite of Cloudflare's apt repository. */
  ubuntuCodename: string;
  /** AWS-managed components, each taken at its newest version when a build runs. */
  managedComponents: string[];
  buildInstanceTypes: string[];
  /** Weekly, Tuesday 06:00 UTC (001 §1.1). */
  schedule: string;
  /** AMIs, with their snapshots, the lifecycle policy keeps (#20). */
  keepImages: number;
  /** An AMI launched within this many days is never deleted, whatever its rank (a rollback can pin an older one). */
  keepLaunchedWithinDays: number;
  /** Value the SSM parameter is created with when it does not exist yet; the Lambda owns it afterwards. */
  initialAmiId: string;
  rollout: RolloutConfig;
  logRetentionDays: number;
  state: StateBackendConfig;
  asBuilt?: Record<string, string>;
}

export const IMAGE: ImageConfig = {
  id: 'image',
  aws: {
    accountId: CONFIG.dev.aws.accountId,
    region: AWS_REGION,
    vpcId: CONFIG.dev.aws.vpcId,
    buildSubnetId: 'subnet-2ef28677',
    amiSsmParameter: AMI_SSM_PARAMETER,
    logsBucket: 'adventive-platform-artifacts',
    logsPrefix: 'imagebuilder-logs/cflared',
  },
  names: {
    pipeline: 'adv-cflared-pipeline',
    recipe: 'adv-cflared-recipe',
    cloudflaredComponent: 'adv-cflared-cloudflared',
    bootstrapComponent: 'adv-cflared-bootstrap-script',
    metricsComponent: 'adv-cflared-metrics',
    builder: 'adv-imagebuilder-builder',
    infrastructure: 'adv-cflared-infrastructure',
    distribution: 'adv-cflared-distribution',
    lifecyclePolicy: 'adv-cflared-keep-newest',
    publishFunction: 'adv-cflared-publish-ami',
    publishRule: 'adv-cflared-pipeline-success',
    rollout: 'adv-cflared-rolling-update',
    alarms: 'adv-cflared-image',
  },
  parentImage: 'ubuntu-server-22-lts-x86',
  ubuntuCodename: 'jammy',
  // The two the as-built recipe used; amazon-ssm-agent-linux and cis-level-1-ubuntu-22-04-lts do not
  // exist under those names in us-east-1 (000 §4.8), and Ubuntu ships the SSM agent as a snap.
  managedComponents: ['update-linux', 'aws-cli-version-2-linux'],
  buildInstanceTypes: ['t3.small'],
  schedule: 'cron(0 6 ? * TUE *)',
  keepImages: 4,
  keepLaunchedWithinDays: 14,
  initialAmiId: 'ami-02f2f244d3dd56cb4', // built 2026-04-29 (000 §2)
  // dev Tue 07:00, stg 09:00, prd 11:00 UTC in 001 §1.6: two hours between environments; "fast"
  // collapses the wait to 15 minutes (001 "Tunnel maintenance", emergency CVE).
  rollout: { order: ['dev', 'stg', 'prd'], soakSeconds: 7200, fastSoakSeconds: 900, pollSeconds: 60 },
  logRetentionDays: 90,
  state: { ...STATE, key: 'adventive-public-api/infra/image.tfstate' },
  asBuilt: {
    pipelineArn: 'arn:aws:imagebuilder:us-east-1:201161205241:image-pipeline/adv-cflared-pipeline',
    recipe: 'adv-cflared-recipe/1.0.2',
    cloudflaredComponent: 'adv-cflared-cloudflared/1.0.2',
    bootstrapComponent: 'adv-cflared-bootstrap-script/1.0.0',
    buildSecurityGroupId: 'sg-0968b424c847f142c',
  },
};
