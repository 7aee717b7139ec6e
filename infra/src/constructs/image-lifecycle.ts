import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ImagebuilderLifecyclePolicy } from '@cdktf/provider-aws/lib/imagebuilder-lifecycle-policy';
import { Construct } from 'constructs';
import type { ImageConfig } from '../config';
import { EARLIER_RECIPE_VERSIONS, RECIPE_VERSION } from '../image/components';

const LIFECYCLE_POLICY = 'arn:aws:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy';

/**
 * #20: old AMIs no longer pile up. Of the images built from this recipe, Image Builder keeps the
 * newest `keepImages` and deletes the rest with their AMIs and snapshots, except an AMI that launched
 * an instance recently (a rollback may have pinned an older one).
 */
export class ImageLifecycle extends Construct {
  readonly policy: ImagebuilderLifecyclePolicy;

  constructor(scope: Construct, id: string, image: ImageConfig) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: `${image.names.lifecyclePolicy}-lifecycle`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'imagebuilder.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const attachment = new IamRolePolicyAttachment(this, 'role-policy', {
      role: role.name,
      policyArn: LIFECYCLE_POLICY,
    });

    this.policy = new ImagebuilderLifecyclePolicy(this, 'policy', {
      name: image.names.lifecyclePolicy,
      description: `Keep the ${image.keepImages} newest cloudflared AMIs and their snapshots`,
      executionRole: role.arn,
      resourceType: 'AMI_IMAGE',
      status: 'ENABLED',
      // Selection by recipe needs exact versions: earlier ones stay listed until their images are gone.
      resourceSelection: [
        {
          recipe: [RECIPE_VERSION, ...EARLIER_RECIPE_VERSIONS].map((semanticVersion) => ({
            name: image.names.recipe,
            semanticVersion,
          })),
        },
      ],
      policyDetail: [
        {
          action: [{ type: 'DELETE', includeResources: [{ amis: true, snapshots: true }] }],
          filter: [{ type: 'COUNT', value: image.keepImages }],
          exclusionRules: [
            { amis: [{ lastLaunched: [{ unit: 'DAYS', value: image.keepLaunchedWithinDays }] }] },
          ],
        },
      ],
      dependsOn: [attachment],
    });
  }
}
