import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { Construct } from 'constructs';

/**
 * Two SNS topics, `<prefix>-page` (someone acts now) and `<prefix>-warn` (look today), that alarms and
 * EventBridge rules publish to. Subscriptions (on-call, New Relic) are made outside this code.
 */
export class AlertTopics extends Construct {
  readonly page: SnsTopic;
  readonly warn: SnsTopic;

  constructor(scope: Construct, id: string, props: { prefix: string; accountId: string }) {
    super(scope, id);
    this.page = new SnsTopic(this, 'page', { name: `${props.prefix}-page` });
    this.warn = new SnsTopic(this, 'warn', { name: `${props.prefix}-warn` });
    for (const [key, topic] of [
      ['page', this.page],
      ['warn', this.warn],
    ] as const) {
      // CloudWatch alarms and EventBridge rules of this account only.
      const policy = new DataAwsIamPolicyDocument(this, `${key}-policy-document`, {
        statement: [
          {
            sid: 'AlarmsAndRulesOfThisAccount',
            actions: ['sns:Publish'],
            resources: [topic.arn],
            principals: [
              { type: 'Service', identifiers: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            ],
            condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
          },
        ],
      });
      new SnsTopicPolicy(this, `${key}-policy`, { arn: topic.arn, policy: policy.json });
    }
  }
}
