import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG, ENVIRONMENTS, IMAGE } from '../src/config';
import { imageArnPrefix } from '../src/constructs/ami-promotion';
import { fleetAlarmNames } from '../src/constructs/fleet-alarms';
import { COMPONENT_VERSIONS, PATHS, RECIPE_VERSION } from '../src/image/components';
import { type Call, simulate } from './rollout-sim';
import { address, blocks, one, synthAll, type TfBlock, type TfJson } from './synth';

let out: ReturnType<typeof synthAll>;
let doc: TfJson;
beforeAll(() => {
  out = synthAll();
  doc = out.image;
});
const file = (name: string) => readFileSync(new URL(`../image/files/${name}`, import.meta.url), 'utf8');
const component = (name: string) => blocks(doc, 'aws_imagebuilder_component').find((c) => c.name === name)!;
type Step = { name: string; action: string; inputs: TfBlock };
const steps = (name: string, phase: string): Step[] =>
  parse(component(name).data).phases.find((p: TfBlock) => p.name === phase).steps;

describe('image stack: the pipeline (001 §1.1, 000 §4)', () => {
  it('state in the encrypted S3 backend under its own key, AWS pinned to the build account', () => {
    expect(doc.terraform.backend.s3).toMatchObject({ encrypt: true, key: IMAGE.state.key });
    expect(doc.provider.aws[0]).toMatchObject({
      region: IMAGE.aws.region,
      allowed_account_ids: [IMAGE.aws.accountId],
    });
  });

  it('recipe: Ubuntu 22.04, AWS-managed components at x.x.x (newest at build time, no data source), then ours', () => {
    const recipe = one(doc, 'aws_imagebuilder_image_recipe');
    expect(recipe).toMatchObject({ name: IMAGE.names.recipe, version: RECIPE_VERSION });
    expect(recipe.parent_image).toBe(
      `arn:aws:imagebuilder:${IMAGE.aws.region}:aws:image/ubuntu-server-22-lts-x86/x.x.x`,
    );
    const arns = (recipe.component as { component_arn: string }[]).map((c) => c.component_arn);
    expect(arns.slice(0, 2)).toEqual(
      IMAGE.managedComponents.map((n) => `arn:aws:imagebuilder:${IMAGE.aws.region}:aws:component/${n}/x.x.x`),
    );
    const ours = ['cloudflared', 'bootstrap', 'metrics'].map(
      (k) =>
        `\${aws_imagebuilder_component.${Object.keys(doc.resource.aws_imagebuilder_component).find((n) => n.includes(`component-${k}`))}.arn}`,
    );
    expect(arns.slice(2)).toEqual(ours);
    // one() over a set of versions fails and sort() ranks 1.0.10 below 1.0.9 (000 §4.8): no lookup at all.
    expect(doc.data?.aws_imagebuilder_components).toBeUndefined();
    expect(doc.data?.aws_imagebuilder_component).toBeUndefined();
  });

  it('versioned components and the recipe are created before the old version goes, old components kept', () => {
    for (const c of blocks(doc, 'aws_imagebuilder_component')) {
      expect(c.lifecycle).toEqual({ create_before_destroy: true });
      expect(c.skip_destroy).toBe(true);
      expect(c.platform).toBe('Linux');
    }
    expect(one(doc, 'aws_imagebuilder_image_recipe').lifecycle).toEqual({ create_before_destroy: true });
    const versions = blocks(doc, 'aws_imagebuilder_component').map((c) => [c.name, c.version]);
    expect(versions.sort()).toEqual(
      [
        [IMAGE.names.cloudflaredComponent, COMPONENT_VERSIONS.cloudflared],
        [IMAGE.names.bootstrapComponent, COMPONENT_VERSIONS.bootstrap],
        [IMAGE.names.metricsComponent, COMPONENT_VERSIONS.metrics],
      ].sort(),
    );
  });

  it('cloudflared comes from the Cloudflare apt repository for jammy and runs from a primary unit, not a drop-in', () => {
    const build = steps(IMAGE.names.cloudflaredComponent, 'build');
    const commands = build.flatMap((s) => (s.action === 'ExecuteBash' ? s.inputs.commands : []));
    expect(commands.join('\n')).toContain('https://pkg.cloudflare.com/cloudflared jammy main');
    expect(commands).toContain('DEBIAN_FRONTEND=noninteractive apt-get install -y cloudflared');
    const files = build.filter((s) => s.action === 'CreateFile').flatMap((s) => s.inputs);
    expect(files.map((f: TfBlock) => f.path)).toEqual(['/etc/systemd/system/cloudflared.service']);
    expect(files[0].content).toBe(file('cloudflared.service'));
    // The validate phase also checks that no drop-in directory exists.
    const validate = steps(IMAGE.names.cloudflaredComponent, 'validate').flatMap((st) => st.inputs.commands);
    expect(validate).toContain('test ! -d /etc/systemd/system/cloudflared.service.d');
    expect(file('cloudflared.service')).toMatch(/^Requires=cflared-bootstrap\.service$/m);
    expect(file('cloudflared.service')).toMatch(/^After=cflared-bootstrap\.service/m);
  });

  it('the bootstrap and its oneshot unit run before cloudflared; the metrics publisher every minute', () => {
    const files = [IMAGE.names.bootstrapComponent, IMAGE.names.metricsComponent].flatMap((n) =>
      steps(n, 'build')
        .filter((s) => s.action === 'CreateFile')
        .flatMap((s) => s.inputs as TfBlock[]),
    );
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect(byPath[PATHS.bootstrapScript]).toMatchObject({
      content: file('cflared-bootstrap.sh'),
      permissions: '0755',
    });
    expect(byPath[PATHS.bootstrapUnit].content).toBe(file('cflared-bootstrap.service'));
    expect(byPath[PATHS.metricsScript]).toMatchObject({
      content: file('cflared-metrics.py'),
      permissions: '0755',
    });
    expect(byPath[PATHS.metricsTimer].content).toBe(file('cflared-metrics.timer'));
    const unit = file('cflared-bootstrap.service');
    expect(unit).toMatch(/^Type=oneshot$/m);
    expect(unit).toMatch(/^RemainAfterExit=yes$/m);
    expect(unit).toMatch(/^Before=cloudflared\.service$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/local\/sbin\/cflared-bootstrap$/m);
  });

  it('CreateFile writes only into directories that exist on Ubuntu (it does not create parents, 000 §4.8)', () => {
    const existing = ['/etc/systemd/system', '/usr/local/sbin'];
    for (const name of [
      IMAGE.names.cloudflaredComponent,
      IMAGE.names.bootstrapComponent,
      IMAGE.names.metricsComponent,
    ]) {
      for (const phase of parse(component(name).data).phases) {
        for (const s of phase.steps as Step[]) {
          if (s.action !== 'CreateFile') continue;
          for (const f of s.inputs as TfBlock[]) {
            expect(existing, `${name}: ${f.path}`).toContain(f.path.slice(0, f.path.lastIndexOf('/')));
            expect(f.permissions, `${f.path}: a string, never a YAML octal`).toMatch(/^0[0-7]{3}$/);
          }
        }
      }
    }
  });

  it('the builder role may write its logs under the prefix only; builds log there; weekly schedule', () => {
    const logs = blocks(doc, 'aws_iam_role_policy').find((p) => p.name === 'write-build-logs')!;
    expect(logs.policy).toContain('"Action" = "s3:PutObject"');
    expect(logs.policy).toContain(
      `"Resource" = "arn:aws:s3:::${IMAGE.aws.logsBucket}/${IMAGE.aws.logsPrefix}/*"`,
    );
    const infra = one(doc, 'aws_imagebuilder_infrastructure_configuration');
    expect(infra.logging.s3_logs).toEqual({
      s3_bucket_name: IMAGE.aws.logsBucket,
      s3_key_prefix: IMAGE.aws.logsPrefix,
    });
    expect(infra).toMatchObject({ subnet_id: IMAGE.aws.buildSubnetId, terminate_instance_on_failure: true });
    const pipeline = one(doc, 'aws_imagebuilder_image_pipeline');
    expect(pipeline.schedule).toEqual({
      schedule_expression: 'cron(0 6 ? * TUE *)',
      pipeline_execution_start_condition: 'EXPRESSION_MATCH_ONLY',
    });
    expect(pipeline.image_tests_configuration.image_tests_enabled).toBe(true);
    const dist = one(doc, 'aws_imagebuilder_distribution_configuration');
    expect(dist.distribution[0].ami_distribution_configuration.ami_tags['adv:image']).toBe('cflared');
  });

  it('the build network: no inbound, egress TCP 443 and 80 only', () => {
    const sg = one(doc, 'aws_security_group');
    expect(sg.ingress ?? []).toEqual([]);
    expect(doc.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const rules = blocks(doc, 'aws_vpc_security_group_egress_rule').map(
      (r) => `${r.ip_protocol}/${r.from_port}`,
    );
    expect(rules.sort()).toEqual(['tcp/443', 'tcp/80']);
  });
});

describe('image stack: lifecycle policy (#20)', () => {
  it('keeps the 4 newest AMIs of the recipe, deleting older AMIs with their snapshots, never a recently launched one', () => {
    const p = one(doc, 'aws_imagebuilder_lifecycle_policy');
    expect(p.resource_type).toBe('AMI_IMAGE');
    expect(p.policy_detail).toEqual([
      {
        action: [{ type: 'DELETE', include_resources: [{ amis: true, snapshots: true }] }],
        filter: [{ type: 'COUNT', value: 4 }],
        exclusion_rules: [
          { amis: [{ last_launched: [{ unit: 'DAYS', value: IMAGE.keepLaunchedWithinDays }] }] },
        ],
      },
    ]);
    const recipes = p.resource_selection[0].recipe as { name: string; semantic_version: string }[];
    expect(recipes).toContainEqual({ name: IMAGE.names.recipe, semantic_version: RECIPE_VERSION });
  });
});

describe('image stack: promotion (#21)', () => {
  const rule = (name: string) => blocks(doc, 'aws_cloudwatch_event_rule').find((r) => r.name === name)!;

  it('the rule matches what the event carries: detail-type, detail.state.status AVAILABLE, the image ARN by prefix in resources', () => {
    expect(JSON.parse(rule(IMAGE.names.publishRule).event_pattern)).toEqual({
      source: ['aws.imagebuilder'],
      'detail-type': ['EC2 Image Builder Image State Change'],
      resources: [{ prefix: imageArnPrefix(IMAGE) }],
      detail: { state: { status: ['AVAILABLE'] } },
    });
    expect(imageArnPrefix(IMAGE)).toBe(
      `arn:aws:imagebuilder:${IMAGE.aws.region}:${IMAGE.aws.accountId}:image/${IMAGE.names.recipe}/`,
    );
  });

  it('the rule invokes the Lambda, which may be invoked by that rule only', () => {
    const fn = address(doc, 'aws_lambda_function');
    const target = blocks(doc, 'aws_cloudwatch_event_target').find((t) => t.target_id === 'publish-ami')!;
    expect(target.arn).toBe(`\${${fn}.arn}`);
    const permission = one(doc, 'aws_lambda_permission');
    expect(permission).toMatchObject({ principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(permission.source_arn).toMatch(/^\$\{aws_cloudwatch_event_rule\..*available.*\.arn\}$/);
  });

  it('the Lambda: Python 3.12, its source from the repo, told the parameter, the recipe prefix and the rollout', () => {
    const fn = one(doc, 'aws_lambda_function');
    expect(fn).toMatchObject({
      runtime: 'python3.12',
      handler: 'handler.handler',
      function_name: IMAGE.names.publishFunction,
    });
    expect(fn.filename).toMatch(/^assets\/.*\/adv-cflared-publish-ami\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
    expect(fn.environment.variables).toEqual({
      AMI_PARAMETER: IMAGE.aws.amiSsmParameter,
      ROLLOUT_STATE_MACHINE_ARN: `\${${address(doc, 'aws_sfn_state_machine')}.arn}`,
      IMAGE_ARN_PREFIX: imageArnPrefix(IMAGE),
    });
    const policy = blocks(doc, 'aws_iam_role_policy').find((p) => p.name === 'publish-ami')!.policy as string;
    for (const action of [
      'imagebuilder:GetImage',
      'ssm:PutParameter',
      'ec2:DescribeImages',
      'states:StartExecution',
    ]) {
      expect(policy).toContain(action);
    }
  });

  it('the parameter is an aws:ec2:image String the Lambda owns after creation', () => {
    const p = one(doc, 'aws_ssm_parameter');
    expect(p).toMatchObject({ name: IMAGE.aws.amiSsmParameter, type: 'String', data_type: 'aws:ec2:image' });
    expect(p.lifecycle.ignore_changes).toContain('insecure_value');
    for (const env of ENVIRONMENTS) expect(CONFIG[env].aws.amiSsmParameter).toBe(p.name);
  });

  it('failed and cancelled builds and Lambda errors reach the warn topic', () => {
    expect(JSON.parse(rule(`${IMAGE.names.pipeline}-failed`).event_pattern).detail.state.status).toEqual([
      'FAILED',
      'CANCELLED',
    ]);
    const errors = blocks(doc, 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'Errors')!;
    expect(errors.alarm_actions[0]).toMatch(/aws_sns_topic\..*warn.*\.arn/);
  });
});

describe('image stack: staggered rolling refresh (001 §1.6)', () => {
  const definition = () => JSON.parse(one(doc, 'aws_sfn_state_machine').definition);
  const refreshes = (calls: Call[]) =>
    calls
      .filter((c) => c.resource.endsWith('startInstanceRefresh'))
      .map((c) => c.params.AutoScalingGroupName);

  /** AWS stand-in: a refresh succeeds after `pollsBeforeDone` polls unless listed; alarms fire where listed. */
  const run = (
    input: object,
    o: { failRefreshOf?: string; firingIn?: string; pollsBeforeDone?: number } = {},
  ) => {
    const polls = new Map<string, number>();
    return simulate(definition(), input, (c) => {
      const asg = c.params.AutoScalingGroupName;
      if (c.resource.endsWith('startInstanceRefresh')) return { InstanceRefreshId: `id-${asg}` };
      if (c.resource.endsWith('describeInstanceRefreshes')) {
        expect(c.params.InstanceRefreshIds).toEqual([`id-${asg}`]);
        const n = (polls.get(asg) ?? 0) + 1;
        polls.set(asg, n);
        const status =
          asg === o.failRefreshOf ? 'Failed' : n > (o.pollsBeforeDone ?? 0) ? 'Successful' : 'InProgress';
        return { InstanceRefreshes: [{ Status: status }] };
      }
      if (c.resource.endsWith('describeAlarms')) {
        expect(c.params.StateValue).toBe('ALARM');
        const firing =
          o.firingIn && c.params.AlarmNames.some((n: string) => n.startsWith(`adv-cflared-${o.firingIn}-`));
        return { MetricAlarms: firing ? [{ AlarmName: c.params.AlarmNames[0], StateValue: 'ALARM' }] : [] };
      }
      throw new Error(`unexpected call ${c.resource}`);
    });
  };

  it('refreshes dev, then stg, then prd, waiting 2 h between them', () => {
    const r = run({ ami_id: 'ami-1', acceleration: 'normal' }, { pollsBeforeDone: 2 });
    expect(r.status).toBe('SUCCEEDED');
    expect(refreshes(r.calls)).toEqual(['adv-cflared-dev', 'adv-cflared-stg', 'adv-cflared-prd']);
    expect(r.waits.filter((w) => w === IMAGE.rollout.soakSeconds)).toHaveLength(3);
    // Polled until done: 3 polls per environment.
    expect(r.calls.filter((c) => c.resource.endsWith('describeInstanceRefreshes'))).toHaveLength(9);
  });

  it('"fast" collapses the wait to 15 minutes (emergency CVE)', () => {
    const r = run({ acceleration: 'fast' });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.waits.filter((w) => w !== IMAGE.rollout.pollSeconds)).toEqual([900, 900, 900]);
  });

  it('a failed dev refresh stops everything: stg and prd are never touched', () => {
    const r = run({}, { failRefreshOf: 'adv-cflared-dev' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'RefreshFailed' });
    expect(refreshes(r.calls)).toEqual(['adv-cflared-dev']);
  });

  it('stg alarms firing after its soak stop the rollout before prd', () => {
    const r = run({}, { firingIn: 'stg' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'EnvironmentUnhealthy' });
    expect(refreshes(r.calls)).toEqual(['adv-cflared-dev', 'adv-cflared-stg']);
  });

  it('each refresh uses the fleet sizing of the config and is failed by the fleet alarms the env stacks create', () => {
    const r = run({});
    const starts = r.calls.filter((c) => c.resource.endsWith('startInstanceRefresh'));
    for (const [i, env] of IMAGE.rollout.order.entries()) {
      const c = CONFIG[env];
      expect(starts[i]!.params).toEqual({
        AutoScalingGroupName: c.names.fleet,
        Strategy: 'Rolling',
        Preferences: {
          MinHealthyPercentage: c.fleet.minHealthyPercentage,
          MaxHealthyPercentage: c.fleet.maxHealthyPercentage,
          InstanceWarmup: c.fleet.instanceWarmupSeconds,
          SkipMatching: false,
          AlarmSpecification: { Alarms: [fleetAlarmNames(c).replicas, fleetAlarmNames(c).restarts] },
        },
      });
      const alarmsInEnvStack = blocks(out[env], 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name);
      for (const name of starts[i]!.params.Preferences.AlarmSpecification.Alarms) {
        expect(alarmsInEnvStack).toContain(name);
      }
    }
  });

  it('the role may refresh those groups only, and is assumed by Step Functions of this account', () => {
    const policy = blocks(doc, 'aws_iam_role_policy').find((p) => p.name === 'refresh-fleets')!
      .policy as string;
    for (const env of IMAGE.rollout.order) {
      expect(policy).toContain(`autoScalingGroupName/${CONFIG[env].names.fleet}`);
    }
    const role = blocks(doc, 'aws_iam_role').find((r) => r.name === IMAGE.names.rollout)!;
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: 'states.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': IMAGE.aws.accountId } },
    });
  });

  it('failed or timed-out executions page', () => {
    const alarms = blocks(doc, 'aws_cloudwatch_metric_alarm').filter((a) => a.namespace === 'AWS/States');
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const a of alarms) expect(a.alarm_actions[0]).toMatch(/aws_sns_topic\..*page.*\.arn/);
  });
});
