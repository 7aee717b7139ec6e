import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvConfig, EnvName, ImageConfig } from '../config';
import { rolloutDefinition } from '../rollout/definition';
import { fleetAlarmNames } from './fleet-alarms';

/** IAM's condition key naming the service a role is handed to. */
const ROLE_TARGET_SERVICE = 'iam:PassedToService';

export interface RolloutProps {
  image: ImageConfig;
  envs: Record<EnvName, EnvConfig>;
  /** Where a failed or timed-out rollout pages. */
  pageTopicArn: string;
}

/**
 * `adv-cflared-rolling-update` (001 §1.6): refreshes the fleets in rollout order, each gated on the
 * previous one's refresh and alarms. Started by the promotion Lambda with a new AMI, or by hand with
 * {"acceleration": "fast"}.
 */
export class Rollout extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RolloutProps) {
    super(scope, id);
    const { image, envs } = props;
    const { accountId, region } = image.aws;
    const targets = image.rollout.order.map((env) => {
      const c = envs[env];
      const alarms = fleetAlarmNames(c);
      return {
        env,
        asgName: c.names.fleet,
        minHealthyPercentage: c.fleet.minHealthyPercentage,
        maxHealthyPercentage: c.fleet.maxHealthyPercentage,
        instanceWarmupSeconds: c.fleet.instanceWarmupSeconds,
        alarmNames: [alarms.replicas, alarms.restarts],
        runtimeRole: c.names.runtime,
      };
    });

    this.role = new IamRole(this, 'role', {
      name: image.names.rollout,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'refresh-fleets',
      role: this.role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'RefreshTheFleets',
            Effect: 'Allow',
            Action: 'autoscaling:StartInstanceRefresh',
            Resource: targets.map(
              (t) =>
                `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${t.asgName}`,
            ),
          },
          {
            // Neither call supports resource-level permissions.
            Sid: 'ReadRefreshesAndAlarms',
            Effect: 'Allow',
            Action: ['autoscaling:DescribeInstanceRefreshes', 'cloudwatch:DescribeAlarms'],
            Resource: '*',
          },
          {
            // Starting a refresh checks that the caller may launch the group's launch template: its
            // instance profile, tags and the AMI parameter it resolves.
            Sid: 'UseTheLaunchTemplates',
            Effect: 'Allow',
            Action: ['ec2:RunInstances', 'ec2:CreateTags', 'ec2:DescribeLaunchTemplateVersions'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': region } },
          },
          {
            Sid: 'PassTheRuntimeRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: targets.map((t) => `arn:aws:iam::${accountId}:role/${t.runtimeRole}`),
            Condition: { StringEquals: { [ROLE_TARGET_SERVICE]: 'ec2.amazonaws.com' } },
          },
          {
            Sid: 'ResolveTheAmiParameter',
            Effect: 'Allow',
            Action: 'ssm:GetParameters',
            Resource: `arn:aws:ssm:${region}:${accountId}:parameter${image.aws.amiSsmParameter}`,
          },
        ],
      }),
    });

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: image.names.rollout,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(
        rolloutDefinition({
          targets,
          soakSeconds: image.rollout.soakSeconds,
          fastSoakSeconds: image.rollout.fastSoakSeconds,
          pollSeconds: image.rollout.pollSeconds,
        }),
      ),
    });

    // A stopped rollout leaves environments on different AMIs: someone decides what happens next.
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      new CloudwatchMetricAlarm(this, `alarm-${metric}`, {
        alarmName: `${image.names.alarms}-rollout-${metric === 'ExecutionsFailed' ? 'failed' : 'timed-out'}`,
        alarmDescription: `${image.names.rollout}: an execution stopped (${metric}); see its history`,
        namespace: 'AWS/States',
        metricName: metric,
        dimensions: { StateMachineArn: this.stateMachine.arn },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        treatMissingData: 'notBreaching',
        alarmActions: [props.pageTopicArn],
      });
    }
  }
}
