import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvConfig } from '../config';
import { METRICS_NAMESPACE } from './fleet-alarms';

const ENV_TAG = 'adv:env';
const SSM_CORE_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const ANYWHERE = '0.0.0.0/0';

/**
 * What the runtime instances may dial, and nothing may dial them (000 §6.5, §9.1, §10.2).
 * cloudflared reaches the edge on 7844 over TCP (HTTP/2) or UDP (QUIC): without both it times out.
 */
export const RUNTIME_EGRESS = [
  { id: 'edge-tcp', protocol: 'tcp', port: 7844, description: 'cloudflared edge (HTTP/2)' },
  { id: 'edge-udp', protocol: 'udp', port: 7844, description: 'cloudflared edge (QUIC)' },
  {
    id: 'https',
    protocol: 'tcp',
    port: 443,
    description: 'HTTPS: AWS APIs (Secrets Manager, SSM), Cloudflare API',
  },
  { id: 'mysql', protocol: 'tcp', port: 3306, description: 'MySQL origins behind the tunnel ingress' },
] as const;

export interface FleetProps {
  config: EnvConfig;
  /** Text of /etc/cloudflared/config.yml, as the bootstrap script writes it. */
  configYaml: string;
  /** Text of the tunnel credentials file (JSON). */
  credentialsJson: string;
}

/**
 * Phase 1.2 secret + Phase 1.5 fleet (000 §5.2, §9): the Secrets Manager secret the bootstrap script
 * reads, the runtime role / instance profile / security group, the launch template and the ASG.
 */
export class CloudflaredFleet extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly securityGroup: SecurityGroup;
  readonly ami: DataAwsSsmParameter;
  readonly launchTemplate: LaunchTemplate;
  readonly asg: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    const c = props.config;
    const tags = { Name: c.names.fleet, [ENV_TAG]: c.env };

    // ---- tunnel secret: {config_yaml, credentials_json} at <prefix>/<env> (the bootstrap contract)
    this.secret = new SecretsmanagerSecret(this, 'tunnel-secret', {
      name: `${c.aws.secretPathPrefix}/${c.env}`,
      description: `cloudflared config + credentials for tunnel ${c.names.fleet}; read at boot by cflared-bootstrap.sh`,
    });
    const secretVersion = new SecretsmanagerSecretVersion(this, 'tunnel-secret-version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode({ config_yaml: props.configYaml, credentials_json: props.credentialsJson }),
    });

    // ---- runtime role: SSM core + read of this one secret
    this.role = new IamRole(this, 'runtime-role', {
      name: c.names.runtime,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const ssmCore = new IamRolePolicyAttachment(this, 'ssm-core', {
      role: this.role.name,
      policyArn: SSM_CORE_POLICY,
    });
    const readSecret = new IamRolePolicy(this, 'read-tunnel-secret', {
      name: `read-${c.names.fleet}-secret`,
      role: this.role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: this.secret.arn }],
      }),
    });
    // cflared-metrics publishes the fleet's health; PutMetricData has no resource, so the namespace
    // is the scope.
    const putMetrics = new IamRolePolicy(this, 'put-metrics', {
      name: 'put-cflared-metrics',
      role: this.role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
          },
        ],
      }),
    });
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      name: c.names.runtime,
      role: this.role.name,
    });

    // ---- runtime security group: no inbound at all; egress only what cloudflared needs.
    // Terraform removes AWS's default allow-all egress rule when it creates the group.
    this.securityGroup = new SecurityGroup(this, 'runtime-sg', {
      name: c.names.runtime,
      description: `cloudflared runtime ${c.env}: no inbound; egress 7844 tcp+udp, 443, 3306`,
      vpcId: c.aws.vpcId,
      tags: { Name: c.names.runtime },
    });
    for (const rule of RUNTIME_EGRESS) {
      new VpcSecurityGroupEgressRule(this, `egress-${rule.id}`, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: ANYWHERE,
        description: rule.description,
      });
    }
    // The database side: the RDS security group admits MySQL from the runtime group only (000 §10.3).
    new VpcSecurityGroupIngressRule(this, 'rds-from-runtime', {
      securityGroupId: c.aws.rdsSecurityGroupId,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 3306,
      toPort: 3306,
      description: `MySQL from ${c.names.runtime} (cloudflared)`,
    });

    // ---- launch template. EC2 resolves the AMI parameter at each launch: a new AMI needs no new
    // template version, only an instance refresh (the rollout state machine starts one), and a
    // rollback is a parameter write. The parameter is also read here for the plan's output; its
    // `value` is marked sensitive by the provider and poisons whatever uses it, so `insecure_value`
    // (000 §9.4).
    this.ami = new DataAwsSsmParameter(this, 'ami', { name: c.aws.amiSsmParameter });
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: c.names.fleet,
      description: `cloudflared connector for tunnel ${c.names.fleet}`,
      imageId: `resolve:ssm:${c.aws.amiSsmParameter}`,
      instanceType: c.fleet.instanceType,
      iamInstanceProfile: { name: this.instanceProfile.name },
      vpcSecurityGroupIds: [this.securityGroup.id],
      updateDefaultVersion: true,
      // IMDSv2 only, and instance tags in IMDS: the bootstrap reads adv:env there to pick its secret;
      // without it the tunnel never starts (000 §6.2).
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'enabled',
      },
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      tags,
    });

    // ---- ASG with rolling instance refresh on every new launch template version.
    this.asg = new AutoscalingGroup(this, 'asg', {
      name: c.names.fleet,
      minSize: c.fleet.minSize,
      maxSize: c.fleet.maxSize,
      desiredCapacity: c.fleet.desiredCapacity,
      vpcZoneIdentifier: c.fleet.subnetIds,
      healthCheckType: 'EC2',
      healthCheckGracePeriod: c.fleet.healthCheckGracePeriodSeconds,
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: c.fleet.minHealthyPercentage,
          maxHealthyPercentage: c.fleet.maxHealthyPercentage,
          instanceWarmup: String(c.fleet.instanceWarmupSeconds),
          // No auto_rollback: the provider updates the group before it starts the refresh, so a
          // rollback would return to the same new version (hashicorp/terraform-provider-aws#34189).
        },
      },
      tag: [
        { key: 'Name', value: c.names.fleet, propagateAtLaunch: false },
        { key: ENV_TAG, value: c.env, propagateAtLaunch: false },
      ],
      // The bootstrap runs once at boot: the secret and the right to read it must exist before the
      // first instance does, or that instance never starts cloudflared.
      dependsOn: [secretVersion, readSecret, ssmCore, putMetrics],
    });
  }
}
