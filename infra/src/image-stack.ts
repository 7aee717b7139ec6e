import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvConfig, EnvName, ImageConfig } from './config';
import { AlertTopics } from './constructs/alert-topics';
import { AmiPromotion } from './constructs/ami-promotion';
import { ImageLifecycle } from './constructs/image-lifecycle';
import { ImagePipeline } from './constructs/image-pipeline';
import { Rollout } from './constructs/rollout';

/**
 * The fleets' lifecycle, shared by every environment (001 §1.1–1.6): the weekly image pipeline, the
 * lifecycle policy, the promotion of each new AMI to the SSM parameter, and the staggered rollout.
 * Applied once, in the account and region that build the AMI, before the environment stacks.
 */
export class ImageStack extends TerraformStack {
  readonly pipeline: ImagePipeline;
  readonly lifecycle: ImageLifecycle;
  readonly promotion: AmiPromotion;
  readonly rollout: Rollout;

  constructor(scope: Construct, image: ImageConfig, envs: Record<EnvName, EnvConfig>) {
    super(scope, image.id);

    new S3Backend(this, {
      bucket: image.state.bucket,
      key: image.state.key,
      region: image.state.region,
      encrypt: true,
      dynamodbTable: image.state.dynamodbTable,
    });
    new AwsProvider(this, 'aws', {
      region: image.aws.region,
      allowedAccountIds: [image.aws.accountId],
      defaultTags: [
        {
          tags: {
            'adv:owner': 'platform',
            'adv:project': 'cloudflare-tunnel',
            'adv:repo': 'adventive-public-api-worker',
            'adv:module': 'infra/image',
          },
        },
      ],
    });

    const topics = new AlertTopics(this, 'topics', {
      prefix: image.names.alarms,
      accountId: image.aws.accountId,
    });
    this.pipeline = new ImagePipeline(this, 'pipeline', image);
    this.lifecycle = new ImageLifecycle(this, 'lifecycle', image);
    this.rollout = new Rollout(this, 'rollout', { image, envs, pageTopicArn: topics.page.arn });
    this.promotion = new AmiPromotion(this, 'promotion', {
      image,
      rolloutStateMachineArn: this.rollout.stateMachine.arn,
      warnTopicArn: topics.warn.arn,
    });

    new TerraformOutput(this, 'pipeline_arn', { value: this.pipeline.pipeline.arn });
    new TerraformOutput(this, 'recipe_arn', { value: this.pipeline.recipe.arn });
    new TerraformOutput(this, 'ami_parameter', { value: this.promotion.parameter.name });
    new TerraformOutput(this, 'publish_function', { value: this.promotion.function.functionName });
    new TerraformOutput(this, 'rollout_state_machine_arn', { value: this.rollout.stateMachine.arn });
    new TerraformOutput(this, 'alarm_topic_page_arn', { value: topics.page.arn });
    new TerraformOutput(this, 'alarm_topic_warn_arn', { value: topics.warn.arn });
  }
}
