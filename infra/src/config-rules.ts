// The rules a configuration must keep (seeds 000/001, Cloudflare's plan limits, the image
// rollout's agreement with the environments) and the placeholders still left in it; synth refuses
// a configuration that breaks one. The values themselves are config.ts's.
import { type CloudflarePlan, type EnvConfig, type EnvName, type ImageConfig, isPlaceholder } from './config';

/** The image stack's own rules, and how it must agree with the environments it rolls out to. */
export function validateImage(image: ImageConfig, envs: Record<EnvName, EnvConfig>): string[] {
  const errors: string[] = [];
  const r = image.rollout;
  if (r.order.length === 0 || new Set(r.order).size !== r.order.length) {
    errors.push('image: rollout.order must name each environment once');
  }
  for (const env of r.order) {
    const c = envs[env];
    if (!c) {
      errors.push(`image: rollout.order names an unknown environment ${env}`);
      continue;
    }
    // The state machine calls Auto Scaling in its own account and region only.
    if (!isPlaceholder(c.aws.accountId) && c.aws.accountId !== image.aws.accountId) {
      errors.push(
        `image: ${env} is in account ${c.aws.accountId}; the rollout reaches ${image.aws.accountId} only`,
      );
    }
    if (c.aws.region !== image.aws.region)
      errors.push(`image: ${env} is in another region than the pipeline`);
    // The fleets launch from the parameter the promotion writes.
    if (c.aws.amiSsmParameter !== image.aws.amiSsmParameter) {
      errors.push(
        `image: ${env} reads ${c.aws.amiSsmParameter}, the pipeline publishes ${image.aws.amiSsmParameter}`,
      );
    }
  }
  if (r.fastSoakSeconds < 0 || r.fastSoakSeconds > r.soakSeconds) {
    errors.push('image: rollout.fastSoakSeconds must be between 0 and soakSeconds');
  }
  if (r.pollSeconds < 10) errors.push('image: rollout.pollSeconds must be at least 10');
  // A rollback needs the previous image: keep at least two.
  if (image.keepImages < 2) errors.push('image: keepImages must be at least 2');
  if (image.keepLaunchedWithinDays < 1 || image.keepLaunchedWithinDays > 365) {
    errors.push('image: keepLaunchedWithinDays must be 1..365');
  }
  if (!/^(cron|rate)\(.+\)$/.test(image.schedule))
    errors.push('image: schedule must be cron(...) or rate(...)');
  if (!image.state.key.includes(image.id)) errors.push('image: the state key must name the stack');
  return errors;
}

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
  for (const db of c.databases) {
    const q = db.queryCache;
    // Hyperdrive's limit: max_age at most an hour.
    if (
      !q.disabled &&
      !(q.maxAgeSeconds > 0 && q.maxAgeSeconds <= 3600 && q.staleWhileRevalidateSeconds >= 0)
    ) {
      errors.push(
        `${c.env}: ${db.key} query cache needs 0 < maxAgeSeconds <= 3600 and staleWhileRevalidateSeconds >= 0`,
      );
    }
  }
  if (!c.state.key.includes(c.env)) errors.push(`${c.env}: the state key must be per environment`);
  errors.push(...validateMonitoring(c), ...validateEdge(c));
  return errors;
}

function validateMonitoring(c: EnvConfig): string[] {
  const m = c.monitoring;
  const errors: string[] = [];
  // CloudWatch evaluates at most one day's worth of one-minute periods.
  if (
    !Number.isInteger(m.replicaMissingMinutes) ||
    m.replicaMissingMinutes < 1 ||
    m.replicaMissingMinutes > 1440
  ) {
    errors.push(`${c.env}: replicaMissingMinutes must be a whole number of minutes, 1..1440`);
  }
  if (m.maxRestartsPerHour < 0) errors.push(`${c.env}: maxRestartsPerHour must be >= 0`);
  if (m.maxAmiAgeDays < 7) {
    // The pipeline runs weekly: a shorter limit would warn every week.
    errors.push(`${c.env}: maxAmiAgeDays must be at least a week (the pipeline is weekly)`);
  }
  return errors;
}

/** Rate limiting rules by zone plan, as Cloudflare's availability table gives them. */
export const RATE_LIMIT_PLANS: Record<
  CloudflarePlan,
  { hostField: boolean; countingExpression: boolean; maxPeriod: number; maxTimeout: number; maxRules: number }
> = {
  free: { hostField: false, countingExpression: false, maxPeriod: 10, maxTimeout: 10, maxRules: 1 },
  pro: { hostField: true, countingExpression: false, maxPeriod: 60, maxTimeout: 3600, maxRules: 2 },
  business: { hostField: true, countingExpression: true, maxPeriod: 600, maxTimeout: 86400, maxRules: 5 },
  enterprise: {
    hostField: true,
    countingExpression: true,
    maxPeriod: 65535,
    maxTimeout: 86400,
    maxRules: 100,
  },
};
/** The only counting and mitigation periods (seconds) the API accepts, whatever the plan. */
export const RATE_LIMIT_PERIODS = [
  10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400,
];

function validateEdge(c: EnvConfig): string[] {
  const e = c.edge;
  const limits = RATE_LIMIT_PLANS[e.plan];
  const errors: string[] = [];
  const where = `${c.env} (${e.plan} plan)`;
  if (e.rateLimits.length > limits.maxRules) {
    errors.push(`${where}: at most ${limits.maxRules} rate limiting rule(s), not ${e.rateLimits.length}`);
  }
  if (e.rateLimits.length > 0 && !limits.hostField) {
    // Free rate limiting rules may test the path only, so they could not be kept to the API hostnames.
    errors.push(`${where}: rate limiting rules cannot match a hostname below Pro`);
  }
  const ids = e.rateLimits.map((r) => r.id);
  if (new Set(ids).size !== ids.length) errors.push(`${c.env}: duplicate rate limit ids`);
  for (const r of e.rateLimits) {
    if (!/^[a-z0-9_]+$/.test(r.id)) errors.push(`${c.env}: rate limit id ${r.id} must be [a-z0-9_]`);
    if (!RATE_LIMIT_PERIODS.includes(r.periodSeconds) || r.periodSeconds > limits.maxPeriod) {
      errors.push(`${where}: rate limit ${r.id}: period ${r.periodSeconds}s is not offered`);
    }
    if (
      !RATE_LIMIT_PERIODS.includes(r.mitigationTimeoutSeconds) ||
      r.mitigationTimeoutSeconds > limits.maxTimeout
    ) {
      errors.push(
        `${where}: rate limit ${r.id}: mitigation timeout ${r.mitigationTimeoutSeconds}s is not offered`,
      );
    }
    if (r.countStatuses && !limits.countingExpression) {
      errors.push(`${where}: rate limit ${r.id}: counting by response status needs Business or above`);
    }
    if (!Number.isInteger(r.requestsPerPeriod) || r.requestsPerPeriod < 1) {
      errors.push(`${c.env}: rate limit ${r.id}: requestsPerPeriod must be a positive integer`);
    }
  }
  if (e.managedRuleset !== 'off' && e.plan === 'free') {
    errors.push(`${where}: the Cloudflare Managed Ruleset needs Pro or above`);
  }
  return errors;
}

/** Every placeholder left in an environment's configuration, as `path: value`. */
export function placeholders(c: EnvConfig | ImageConfig): string[] {
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
