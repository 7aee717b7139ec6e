import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { EnvConfig } from '../config';
import { AlertTopics } from './alert-topics';

/** What infra/image/files/cflared-metrics.py publishes, per Env dimension. */
export const METRICS_NAMESPACE = 'Adventive/Cloudflared';

/** Alarm names of one fleet; the rollout state machine reads the same alarms before it moves on. */
export const fleetAlarmNames = (c: EnvConfig) => ({
  replicas: `${c.names.alarms}-replicas`,
  restarts: `${c.names.alarms}-restarts`,
  amiAge: `${c.names.alarms}-ami-age`,
});

/**
 * 001 Phase 1 observability, per fleet: connected replicas below the desired count for
 * `replicaMissingMinutes` (page), cloudflared restarting more than `maxRestartsPerHour` times an hour
 * on one instance (page), the running AMI older than `maxAmiAgeDays` (warn: the pipeline or the
 * rollout stalled).
 */
export class FleetAlarms extends Construct {
  readonly topics: AlertTopics;
  readonly replicas: CloudwatchMetricAlarm;
  readonly restarts: CloudwatchMetricAlarm;
  readonly amiAge: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, c: EnvConfig) {
    super(scope, id);
    const names = fleetAlarmNames(c);
    const m = c.monitoring;
    const dimensions = { Env: c.env };
    this.topics = new AlertTopics(this, 'topics', { prefix: c.names.alarms, accountId: c.aws.accountId });
    const page = [this.topics.page.arn];
    const warn = [this.topics.warn.arn];

    // Every connected instance adds 1 per minute: the minute's Sum is the number of replicas on the
    // tunnel. No data at all means no replica reporting, which is as bad as none connected.
    this.replicas = new CloudwatchMetricAlarm(this, 'replicas', {
      alarmName: names.replicas,
      alarmDescription: `${c.names.fleet}: fewer than ${c.fleet.desiredCapacity} connected cloudflared replica(s) for ${m.replicaMissingMinutes} min`,
      namespace: METRICS_NAMESPACE,
      metricName: 'ReplicaUp',
      dimensions,
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: m.replicaMissingMinutes,
      datapointsToAlarm: m.replicaMissingMinutes,
      comparisonOperator: 'LessThanThreshold',
      threshold: c.fleet.desiredCapacity,
      treatMissingData: 'breaching',
      alarmActions: page,
      okActions: page,
    });

    // Each instance reports its own restarts of the last hour; the Maximum is the worst instance.
    this.restarts = new CloudwatchMetricAlarm(this, 'restarts', {
      alarmName: names.restarts,
      alarmDescription: `${c.names.fleet}: cloudflared restarted more than ${m.maxRestartsPerHour} times in an hour on one instance`,
      namespace: METRICS_NAMESPACE,
      metricName: 'RestartsLastHour',
      dimensions,
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: m.maxRestartsPerHour,
      // Silence is the replica alarm's business.
      treatMissingData: 'notBreaching',
      alarmActions: page,
      okActions: page,
    });

    this.amiAge = new CloudwatchMetricAlarm(this, 'ami-age', {
      alarmName: names.amiAge,
      alarmDescription: `${c.names.fleet}: the AMI in use is older than ${m.maxAmiAgeDays} days (pipeline or rollout stalled)`,
      namespace: METRICS_NAMESPACE,
      metricName: 'AmiAgeDays',
      dimensions,
      statistic: 'Maximum',
      period: 3600,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: m.maxAmiAgeDays,
      treatMissingData: 'notBreaching',
      alarmActions: warn,
      okActions: warn,
    });
  }
}
