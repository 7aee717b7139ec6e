import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { App, AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { ImageConfig } from '../config';
import { writeLambdaPackage } from '../lambda-package';

/** The function's whole package: one file, the standard library and the runtime's boto3. */
export const LAMBDA_SOURCES = [
  fileURLToPath(new URL('../../lambda/publish_ami/handler.py', import.meta.url)),
];
export const IMAGE_STATE_CHANGE = 'EC2 Image Builder Image State Change';

/** ARN prefix of every image build version of the recipe, whatever its version and build number. */
export const imageArnPrefix = (image: ImageConfig) =>
  `arn:aws:imagebuilder:${image.aws.region}:${image.aws.accountId}:image/${image.names.recipe}/`;

/**
 * What an Image State Change event carries (AWS's documented sample): the image build version ARN in
 * `resources`, the status in `detail.state.status`. The as-built rule filtered on
 * `detail.source-pipeline-arn`, then on `detail.image-arn`: neither field is in this event (#21).
 */
export const imageEventPattern = (image: ImageConfig, statuses: string[]) => ({
  source: ['aws.imagebuilder'],
  'detail-type': [IMAGE_STATE_CHANGE],
  resources: [{ prefix: imageArnPrefix(image) }],
  detail: { state: { status: statuses } },
});

export interface AmiPromotionProps {
  image: ImageConfig;
  rolloutStateMachineArn: string;
  warnTopicArn: string;
}

/**
 * Phase 1.6 promotion, fixed (#21): the SSM parameter the fleets launch from, and the EventBridge rule
 * → Lambda that writes each new AMI to it and starts the rollout. Failed builds go to the warn topic.
 */
export class AmiPromotion extends Construct {
  readonly parameter: SsmParameter;
  readonly function: LambdaFunction;
  readonly rule: CloudwatchEventRule;
  readonly failedRule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AmiPromotionProps) {
    super(scope, id);
    const { image } = props;
    const { accountId } = image.aws;
    const fn = image.names.publishFunction;

    // aws:ec2:image: Parameter Store refuses a value that is not an AMI of this region. The Lambda owns
    // the value after creation.
    this.parameter = new SsmParameter(this, 'ami-parameter', {
      name: image.aws.amiSsmParameter,
      type: 'String',
      dataType: 'aws:ec2:image',
      insecureValue: image.initialAmiId,
      description: 'cloudflared AMI the adv-cflared launch templates resolve at launch',
      lifecycle: { ignoreChanges: ['insecure_value', 'description'] },
    });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${fn}`,
      retentionInDays: image.logRetentionDays,
    });
    const role = new IamRole(this, 'role', {
      name: fn,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'publish-ami',
      role: role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Logs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logGroup.arn}:*`,
          },
          {
            Sid: 'ReadTheImage',
            Effect: 'Allow',
            Action: 'imagebuilder:GetImage',
            Resource: `${imageArnPrefix(image)}*`,
          },
          {
            Sid: 'WriteTheParameter',
            Effect: 'Allow',
            Action: ['ssm:PutParameter', 'ssm:GetParameter'],
            Resource: this.parameter.arn,
          },
          {
            // Parameter Store checks an aws:ec2:image value with the writer's permissions.
            Sid: 'ValidateTheAmi',
            Effect: 'Allow',
            Action: 'ec2:DescribeImages',
            Resource: '*',
          },
          {
            Sid: 'StartTheRollout',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: props.rolloutStateMachineArn,
          },
        ],
      }),
    });

    const zip = writeLambdaPackage(LAMBDA_SOURCES, join(App.of(this).outdir, '.packages', `${fn}.zip`));
    const source = new TerraformAsset(this, 'source', { path: zip, type: AssetType.FILE });
    this.function = new LambdaFunction(this, 'function', {
      functionName: fn,
      description: 'Image Builder AVAILABLE → AMI id into the SSM parameter → rollout',
      runtime: 'python3.12',
      handler: 'handler.handler',
      filename: source.path,
      // The package's bytes depend on the sources only, so this changes when they do.
      sourceCodeHash: Fn.filebase64sha256(source.path),
      role: role.arn,
      timeout: 120,
      memorySize: 128,
      environment: {
        variables: {
          AMI_PARAMETER: image.aws.amiSsmParameter,
          ROLLOUT_STATE_MACHINE_ARN: props.rolloutStateMachineArn,
          IMAGE_ARN_PREFIX: imageArnPrefix(image),
        },
      },
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      dependsOn: [policy, logGroup],
    });

    this.rule = new CloudwatchEventRule(this, 'available', {
      name: image.names.publishRule,
      description: `${image.names.recipe} image AVAILABLE → ${fn}`,
      eventPattern: JSON.stringify(imageEventPattern(image, ['AVAILABLE'])),
    });
    new CloudwatchEventTarget(this, 'available-target', {
      rule: this.rule.name,
      targetId: 'publish-ami',
      arn: this.function.arn,
      retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 3600 },
    });
    new LambdaPermission(this, 'invoke', {
      statementId: 'AllowImageAvailableRule',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
      sourceAccount: accountId,
    });

    // A failed or cancelled build leaves the fleets on last week's AMI: say so.
    this.failedRule = new CloudwatchEventRule(this, 'failed', {
      name: `${image.names.pipeline}-failed`,
      description: `${image.names.recipe} image FAILED or CANCELLED`,
      eventPattern: JSON.stringify(imageEventPattern(image, ['FAILED', 'CANCELLED'])),
    });
    new CloudwatchEventTarget(this, 'failed-target', {
      rule: this.failedRule.name,
      targetId: 'warn',
      arn: props.warnTopicArn,
    });

    new CloudwatchMetricAlarm(this, 'errors', {
      alarmName: `${image.names.alarms}-publish-errors`,
      alarmDescription: `${fn} failed: the new AMI may not be in ${image.aws.amiSsmParameter} (publish it by hand, README)`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: this.function.functionName },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
      alarmActions: [props.warnTopicArn],
    });
  }
}
