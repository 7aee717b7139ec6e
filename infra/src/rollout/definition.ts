/**
 * The Amazon States Language definition of the staggered rolling refresh (001 §1.6 and "Tunnel
 * maintenance"): for each environment in order, an instance refresh of its ASG (whose launch template
 * resolves the AMI parameter at launch), polled until it ends, then a soak, then its alarms; the next
 * environment starts only if the refresh succeeded and no alarm is firing.
 *
 * Input: {} or {"acceleration": "normal"} waits `soakSeconds` after each environment;
 * {"acceleration": "fast"} waits `fastSoakSeconds` (emergency CVE, rollback).
 */

export interface RolloutTarget {
  env: string;
  asgName: string;
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  instanceWarmupSeconds: number;
  /** Alarms that fail the refresh while it runs, and stop the rollout after the soak. */
  alarmNames: string[];
}

export interface RolloutOptions {
  targets: RolloutTarget[];
  soakSeconds: number;
  fastSoakSeconds: number;
  pollSeconds: number;
}

/** Instance refresh statuses that are not final yet. */
export const REFRESH_RUNNING = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];

const SDK = 'arn:aws:states:::aws-sdk';
export const stateNames = (env: string) => ({
  refresh: `${env}: start instance refresh`,
  wait: `${env}: wait`,
  poll: `${env}: read refresh status`,
  refreshed: `${env}: refresh finished?`,
  refreshFailed: `${env}: refresh failed`,
  soak: `${env}: soak`,
  alarms: `${env}: read alarms`,
  healthy: `${env}: healthy?`,
  unhealthy: `${env}: unhealthy`,
});
export const DONE = 'Rolled out';

// biome-ignore lint/suspicious/noExplicitAny: Amazon States Language is untyped JSON
type State = Record<string, any>;

export function rolloutDefinition(o: RolloutOptions) {
  if (o.targets.length === 0) throw new Error('a rollout needs at least one environment');
  const states: Record<string, State> = {
    Pace: {
      Type: 'Choice',
      Comment: 'fast: short soak between environments',
      Choices: [
        {
          And: [
            { Variable: '$.acceleration', IsPresent: true },
            { Variable: '$.acceleration', StringEquals: 'fast' },
          ],
          Next: 'Fast',
        },
      ],
      Default: 'Normal',
    },
    Normal: {
      Type: 'Pass',
      Result: { soak_seconds: o.soakSeconds },
      ResultPath: '$.pace',
      Next: stateNames(o.targets[0]!.env).refresh,
    },
    Fast: {
      Type: 'Pass',
      Result: { soak_seconds: o.fastSoakSeconds },
      ResultPath: '$.pace',
      Next: stateNames(o.targets[0]!.env).refresh,
    },
  };

  o.targets.forEach((t, i) => {
    const s = stateNames(t.env);
    const next = i + 1 < o.targets.length ? stateNames(o.targets[i + 1]!.env).refresh : DONE;
    states[s.refresh] = {
      Type: 'Task',
      Resource: `${SDK}:autoscaling:startInstanceRefresh`,
      Parameters: {
        AutoScalingGroupName: t.asgName,
        Strategy: 'Rolling',
        Preferences: {
          MinHealthyPercentage: t.minHealthyPercentage,
          MaxHealthyPercentage: t.maxHealthyPercentage,
          InstanceWarmup: t.instanceWarmupSeconds,
          // Every instance is replaced: the launch template did not change, the parameter did.
          SkipMatching: false,
          AlarmSpecification: { Alarms: t.alarmNames },
        },
      },
      ResultSelector: { 'id.$': '$.InstanceRefreshId' },
      ResultPath: '$.refresh',
      Next: s.wait,
    };
    states[s.wait] = { Type: 'Wait', Seconds: o.pollSeconds, Next: s.poll };
    states[s.poll] = {
      Type: 'Task',
      Resource: `${SDK}:autoscaling:describeInstanceRefreshes`,
      Parameters: { AutoScalingGroupName: t.asgName, 'InstanceRefreshIds.$': 'States.Array($.refresh.id)' },
      ResultSelector: { 'status.$': '$.InstanceRefreshes[0].Status' },
      ResultPath: '$.refresh_status',
      Next: s.refreshed,
    };
    states[s.refreshed] = {
      Type: 'Choice',
      Choices: [
        { Variable: '$.refresh_status.status', StringEquals: 'Successful', Next: s.soak },
        {
          Or: REFRESH_RUNNING.map((status) => ({
            Variable: '$.refresh_status.status',
            StringEquals: status,
          })),
          Next: s.wait,
        },
      ],
      Default: s.refreshFailed,
    };
    states[s.refreshFailed] = {
      Type: 'Fail',
      Error: 'RefreshFailed',
      Cause: `${t.env}: the instance refresh of ${t.asgName} did not succeed; later environments were not touched`,
    };
    states[s.soak] = { Type: 'Wait', SecondsPath: '$.pace.soak_seconds', Next: s.alarms };
    states[s.alarms] = {
      Type: 'Task',
      Resource: `${SDK}:cloudwatch:describeAlarms`,
      Parameters: { AlarmNames: t.alarmNames, StateValue: 'ALARM' },
      ResultSelector: { 'firing.$': 'States.ArrayLength($.MetricAlarms)' },
      ResultPath: '$.alarms',
      Next: s.healthy,
    };
    states[s.healthy] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.alarms.firing', NumericGreaterThan: 0, Next: s.unhealthy }],
      Default: next,
    };
    states[s.unhealthy] = {
      Type: 'Fail',
      Error: 'EnvironmentUnhealthy',
      Cause: `${t.env}: alarms firing after the refresh; later environments were not touched`,
    };
  });
  states[DONE] = { Type: 'Succeed' };

  // Every environment's refresh plus its soak, with an hour of slack each.
  const timeout = o.targets.length * (o.soakSeconds + 3600);
  return {
    Comment: `Staggered rolling refresh: ${o.targets.map((t) => t.env).join(' → ')}, each gated on the previous`,
    StartAt: 'Pace',
    TimeoutSeconds: timeout,
    States: states,
  };
}
