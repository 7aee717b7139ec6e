import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ImagebuilderComponent } from '@cdktf/provider-aws/lib/imagebuilder-component';
import { ImagebuilderDistributionConfiguration } from '@cdktf/provider-aws/lib/imagebuilder-distribution-configuration';
import { ImagebuilderImagePipeline } from '@cdktf/provider-aws/lib/imagebuilder-image-pipeline';
import { ImagebuilderImageRecipe } from '@cdktf/provider-aws/lib/imagebuilder-image-recipe';
import { ImagebuilderInfrastructureConfiguration } from '@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { ImageConfig } from '../config';
import {
  bootstrapComponent,
  COMPONENT_VERSIONS,
  type ComponentKey,
  cloudflaredComponent,
  metricsComponent,
  RECIPE_VERSION,
} from '../image/components';

/** Tag on every AMI the pipeline distributes (the manual sweep of 000 §7.3 filters on it). */
export const AMI_TAG = { key: 'adv:image', value: 'cflared' } as const;

const BUILDER_POLICIES = [
  'arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
];

/** `x.x.x`: Image Builder takes the newest version at each build, never one frozen at apply time. */
export const managedComponentArn = (region: string, name: string) =>
  `arn:aws:imagebuilder:${region}:aws:component/${name}/x.x.x`;
export const parentImageArn = (region: string, name: string) =>
  `arn:aws:imagebuilder:${region}:aws:image/${name}/x.x.x`;

/**
 * Phase 1.1 (000 §4, 001 §1.1): the weekly EC2 Image Builder pipeline that bakes the
 * environment-agnostic cloudflared AMI: components, recipe, build role and network, distribution.
 */
export class ImagePipeline extends Construct {
  readonly components: Record<ComponentKey, ImagebuilderComponent>;
  readonly recipe: ImagebuilderImageRecipe;
  readonly role: IamRole;
  readonly securityGroup: SecurityGroup;
  readonly infrastructure: ImagebuilderInfrastructureConfiguration;
  readonly distribution: ImagebuilderDistributionConfiguration;
  readonly pipeline: ImagebuilderImagePipeline;

  constructor(scope: Construct, id: string, image: ImageConfig) {
    super(scope, id);
    const { region } = image.aws;
    const n = image.names;

    // ---- components. Immutable per version, and an old version cannot be deleted while images
    // reference it: create the new one first and leave the old one in AWS as history (000 §4.8).
    const documents: Record<ComponentKey, { name: string; data: string; description: string }> = {
      cloudflared: {
        name: n.cloudflaredComponent,
        data: cloudflaredComponent(n.cloudflaredComponent, image.ubuntuCodename),
        description: 'cloudflared from the Cloudflare apt repository, primary systemd unit',
      },
      bootstrap: {
        name: n.bootstrapComponent,
        data: bootstrapComponent(n.bootstrapComponent),
        description: 'cflared-bootstrap script and its oneshot unit',
      },
      metrics: {
        name: n.metricsComponent,
        data: metricsComponent(n.metricsComponent),
        description: 'cflared-metrics publisher and its timer',
      },
    };
    this.components = {} as Record<ComponentKey, ImagebuilderComponent>;
    for (const key of Object.keys(documents) as ComponentKey[]) {
      const d = documents[key];
      this.components[key] = new ImagebuilderComponent(this, `component-${key}`, {
        name: d.name,
        version: COMPONENT_VERSIONS[key],
        platform: 'Linux',
        supportedOsVersions: ['Ubuntu 22'],
        description: d.description,
        data: d.data,
        skipDestroy: true,
        lifecycle: { createBeforeDestroy: true },
      });
    }

    // ---- recipe: Ubuntu 22.04, AWS-managed components first (OS updates, AWS CLI), then ours in
    // the order they depend on each other.
    this.recipe = new ImagebuilderImageRecipe(this, 'recipe', {
      name: n.recipe,
      version: RECIPE_VERSION,
      parentImage: parentImageArn(region, image.parentImage),
      component: [
        ...image.managedComponents.map((name) => ({ componentArn: managedComponentArn(region, name) })),
        { componentArn: this.components.cloudflared.arn },
        { componentArn: this.components.bootstrap.arn },
        { componentArn: this.components.metrics.arn },
      ],
      description: 'cloudflared connector AMI (environment-agnostic; adv:env picks the tunnel at boot)',
      lifecycle: { createBeforeDestroy: true },
    });

    // ---- build instance: role, instance profile, network
    this.role = new IamRole(this, 'builder-role', {
      name: n.builder,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    for (const [i, policyArn] of BUILDER_POLICIES.entries()) {
      new IamRolePolicyAttachment(this, `builder-policy-${i}`, { role: this.role.name, policyArn });
    }
    // Image Builder's task executor uploads each step's log under the logs prefix: without
    // PutObject the first build fails (000 §4.8).
    new IamRolePolicy(this, 'builder-logs', {
      name: 'write-build-logs',
      role: this.role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${image.aws.logsBucket}/${image.aws.logsPrefix}/*`,
          },
        ],
      }),
    });
    const profile = new IamInstanceProfile(this, 'builder-profile', {
      name: n.builder,
      role: this.role.name,
    });

    // Build and test instances fetch packages and talk to AWS: HTTPS, and HTTP for apt mirror
    // redirects (000 §4.1). Nothing comes in.
    this.securityGroup = new SecurityGroup(this, 'builder-sg', {
      name: n.builder,
      description: 'Image Builder build/test instances: no inbound; egress TCP 443 and 80',
      vpcId: image.aws.vpcId,
      tags: { Name: n.builder },
    });
    for (const port of [443, 80]) {
      new VpcSecurityGroupEgressRule(this, `builder-egress-${port}`, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
        description: port === 443 ? 'HTTPS: apt, pkg.cloudflare.com, AWS APIs' : 'HTTP: apt mirror redirects',
      });
    }

    this.infrastructure = new ImagebuilderInfrastructureConfiguration(this, 'infrastructure', {
      name: n.infrastructure,
      description: 'cloudflared AMI builds',
      instanceProfileName: profile.name,
      instanceTypes: image.buildInstanceTypes,
      subnetId: image.aws.buildSubnetId,
      securityGroupIds: [this.securityGroup.id],
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
      logging: { s3Logs: { s3BucketName: image.aws.logsBucket, s3KeyPrefix: image.aws.logsPrefix } },
      resourceTags: { Name: `${n.pipeline}-build` },
    });

    this.distribution = new ImagebuilderDistributionConfiguration(this, 'distribution', {
      name: n.distribution,
      description: 'cloudflared AMI in the fleets region',
      distribution: [
        {
          region,
          amiDistributionConfiguration: {
            name: `${n.recipe}-{{ imagebuilder:buildDate }}`,
            description: 'cloudflared connector (Adventive)',
            amiTags: { [AMI_TAG.key]: AMI_TAG.value, Name: n.recipe },
          },
        },
      ],
    });

    // Weekly, whether or not a dependency changed: cloudflared and the OS get their updates from apt.
    this.pipeline = new ImagebuilderImagePipeline(this, 'pipeline', {
      name: n.pipeline,
      description: 'Weekly cloudflared AMI; promoted to the SSM parameter, then rolled out dev → stg → prd',
      imageRecipeArn: this.recipe.arn,
      infrastructureConfigurationArn: this.infrastructure.arn,
      distributionConfigurationArn: this.distribution.arn,
      schedule: {
        scheduleExpression: image.schedule,
        pipelineExecutionStartCondition: 'EXPRESSION_MATCH_ONLY',
      },
      imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 60 },
      enhancedImageMetadataEnabled: true,
      status: 'ENABLED',
    });
  }
}
