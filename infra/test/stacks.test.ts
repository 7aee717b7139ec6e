import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, ENVIRONMENTS, type EnvName } from '../src/config';
import { RUNTIME_EGRESS } from '../src/constructs/fleet';
import { METRICS_NAMESPACE } from '../src/constructs/fleet-alarms';
import { passwordVariable } from '../src/stack';
import { address, blocks, one, synthAll, type TfJson } from './synth';

let out: Record<EnvName, TfJson>;
beforeAll(() => {
  out = synthAll();
});

describe.each(ENVIRONMENTS)('%s stack', (env) => {
  const c = CONFIG[env];
  const doc = () => out[env];

  it('stores state in an encrypted S3 backend with a DynamoDB lock table and a per-env key', () => {
    const s3 = doc().terraform.backend.s3;
    expect(s3).toMatchObject({ encrypt: true, bucket: c.state.bucket, region: c.state.region });
    expect(s3.dynamodb_table).toBeTruthy();
    expect(s3.key).toBe(c.state.key);
    expect(s3.key).toContain(env);
    expect(Object.keys(doc().terraform.backend)).toEqual(['s3']);
  });

  it('pins the AWS provider to the environment account and region', () => {
    const [aws] = doc().provider.aws;
    expect(aws.region).toBe(c.aws.region);
    expect(aws.allowed_account_ids).toEqual([c.aws.accountId]);
    expect(aws.default_tags[0].tags['adv:env']).toBe(env);
  });

  it('Hyperdrive origins present the Access credentials and carry NO port (000 §10.6)', () => {
    const hyperdrives = blocks(doc(), 'cloudflare_hyperdrive_config');
    expect(hyperdrives.map((h) => h.name).sort()).toEqual(c.databases.map((d) => d.hyperdriveName).sort());
    const token = address(doc(), 'cloudflare_zero_trust_access_service_token');
    for (const db of c.databases) {
      const h = hyperdrives.find((x) => x.name === db.hyperdriveName)!;
      expect(h.origin).not.toHaveProperty('port');
      expect(h.origin).toMatchObject({
        scheme: 'mysql',
        host: db.hostname,
        database: db.database,
        user: db.user,
        password: `\${var.${passwordVariable(db.key)}}`,
        access_client_id: `\${${token}.client_id}`,
        access_client_secret: `\${${token}.client_secret}`,
      });
      // Created only once ingress, DNS and the connector fleet exist (000 §10.4).
      expect(h.depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^cloudflare_zero_trust_tunnel_cloudflared_config\./),
          expect.stringMatching(/^aws_autoscaling_group\./),
          expect.stringMatching(/^cloudflare_zero_trust_access_application\./),
        ]),
      );
    }
  });

  it("Hyperdrive's query cache is off for both databases (README: Placement and the database's round trips)", () => {
    const hyperdrives = blocks(doc(), 'cloudflare_hyperdrive_config');
    expect(hyperdrives).toHaveLength(2);
    for (const h of hyperdrives) expect(h.caching, h.name).toEqual({ disabled: true });
  });

  it('one Access application per database hostname, behind a non_identity policy for the service token', () => {
    const token = address(doc(), 'cloudflare_zero_trust_access_service_token');
    const policyAddr = address(doc(), 'cloudflare_zero_trust_access_policy');
    const policy = one(doc(), 'cloudflare_zero_trust_access_policy');
    expect(policy.decision).toBe('non_identity');
    expect(policy.include).toEqual([{ service_token: { token_id: `\${${token}.id}` } }]);
    const apps = blocks(doc(), 'cloudflare_zero_trust_access_application');
    expect(apps.map((a) => a.domain).sort()).toEqual(c.databases.map((d) => d.hostname).sort());
    for (const app of apps) {
      expect(app.type).toBe('self_hosted');
      expect(app.policies).toEqual([{ id: `\${${policyAddr}.id}`, precedence: 1 }]);
    }
  });

  it('the tunnel secret is 32 random bytes, base64', () => {
    const bytes = one(doc(), 'random_bytes');
    expect(bytes.length).toBe(32);
    const tunnel = one(doc(), 'cloudflare_zero_trust_tunnel_cloudflared');
    expect(tunnel.tunnel_secret).toBe(`\${${address(doc(), 'random_bytes')}.base64}`);
    expect(tunnel.name).toBe(c.names.fleet);
  });

  it('tunnel ingress: each database hostname to its tcp:// origin, then a catch-all http_status:404', () => {
    const config = one(doc(), 'cloudflare_zero_trust_tunnel_cloudflared_config');
    const ingress = config.config.ingress as { hostname?: string; service: string }[];
    expect(ingress.slice(0, -1)).toEqual(
      c.databases.map((d) => ({ hostname: d.hostname, service: d.originService })),
    );
    for (const rule of ingress.slice(0, -1)) expect(rule.service).toMatch(/^tcp:\/\//);
    expect(ingress.at(-1)).toEqual({ service: 'http_status:404' });
  });

  it('proxied CNAMEs to <tunnel>.cfargotunnel.com for the tunnel and database hostnames', () => {
    const tunnel = address(doc(), 'cloudflare_zero_trust_tunnel_cloudflared');
    const cnames = blocks(doc(), 'cloudflare_dns_record').filter((r) => r.type === 'CNAME');
    expect(cnames.map((r) => r.name).sort()).toEqual(
      [c.tunnelHostname, ...c.databases.map((d) => d.hostname)].sort(),
    );
    for (const r of cnames) {
      expect(r).toMatchObject({
        proxied: true,
        zone_id: c.cloudflare.zoneId,
        content: `\${${tunnel}.id}.cfargotunnel.com`,
      });
    }
  });

  it('a proxied AAAA 100:: exists for every Worker route hostname (000 §12.5)', () => {
    const aaaa = blocks(doc(), 'cloudflare_dns_record').filter((r) => r.type === 'AAAA');
    expect(aaaa.map((r) => r.name).sort()).toEqual([...c.workerRouteHostnames].sort());
    expect(c.workerRouteHostnames).toContain(`api.${c.cloudflare.zone}`);
    for (const r of aaaa)
      expect(r).toMatchObject({ content: '100::', proxied: true, zone_id: c.cloudflare.zoneId });
  });

  it('the Secrets Manager secret has the bootstrap shape: config_yaml + credentials_json', () => {
    const secret = one(doc(), 'aws_secretsmanager_secret');
    expect(secret.name).toBe(`/adventive/cloudflared/${env}`);
    const version = one(doc(), 'aws_secretsmanager_secret_version');
    const s = version.secret_string as string;
    expect(s.startsWith('${jsonencode({"config_yaml" = "tunnel: ${')).toBe(true);
    expect(s).toContain('"credentials_json" = jsonencode({');
    for (const key of ['AccountTag', 'TunnelSecret', 'TunnelID']) expect(s).toContain(`"${key}" = `);
    expect(s).toContain(`"TunnelSecret" = ${address(doc(), 'random_bytes')}.base64`);
    // The local config.yml carries the same ingress as the tunnel's remote configuration.
    for (const db of c.databases)
      expect(s).toContain(`- hostname: ${db.hostname}\\n    service: ${db.originService}`);
    expect(s).toContain('- service: http_status:404');
  });

  it('the runtime role: SSM core + GetSecretValue on that one secret only, metrics in its namespace only', () => {
    const role = one(doc(), 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'ec2.amazonaws.com',
    });
    expect(blocks(doc(), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    const inline = blocks(doc(), 'aws_iam_role_policy');
    expect(inline.map((p) => p.name).sort()).toEqual(['put-cflared-metrics', `read-${c.names.fleet}-secret`]);
    const read = inline.find((p) => p.name === `read-${c.names.fleet}-secret`)!;
    const secret = address(doc(), 'aws_secretsmanager_secret');
    expect(read.policy).toContain('"Action" = "secretsmanager:GetSecretValue"');
    expect(read.policy).toContain(`"Resource" = ${secret}.arn}`);
    expect(read.policy).not.toContain('*');
    // PutMetricData has no resource: the namespace condition is its only scope.
    const metrics = inline.find((p) => p.name === 'put-cflared-metrics')!;
    expect(metrics.policy).toContain('"Action" = "cloudwatch:PutMetricData"');
    expect(metrics.policy).toContain(`"cloudwatch:namespace" = "${METRICS_NAMESPACE}"`);
    const profile = one(doc(), 'aws_iam_instance_profile');
    expect(profile.role).toBe(`\${${address(doc(), 'aws_iam_role')}.name}`);
  });

  it('the runtime security group has no inbound rule and egresses only TCP+UDP 7844, TCP 443, TCP 3306', () => {
    const sg = address(doc(), 'aws_security_group');
    const group = one(doc(), 'aws_security_group');
    expect(group.ingress ?? []).toEqual([]);
    expect(group.egress).toBeUndefined();
    expect(group.vpc_id).toBe(c.aws.vpcId);
    expect(doc().resource.aws_security_group_rule).toBeUndefined();
    const ingressOnRuntime = blocks(doc(), 'aws_vpc_security_group_ingress_rule').filter(
      (r) => r.security_group_id === `\${${sg}.id}`,
    );
    expect(ingressOnRuntime).toEqual([]);
    const egress = blocks(doc(), 'aws_vpc_security_group_egress_rule');
    for (const r of egress) expect(r.security_group_id).toBe(`\${${sg}.id}`);
    const rules = egress.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`).sort();
    expect(rules).toEqual(['tcp/3306-3306', 'tcp/443-443', 'tcp/7844-7844', 'udp/7844-7844']);
    expect(RUNTIME_EGRESS).toHaveLength(4);
  });

  it('the RDS security group admits 3306 from the runtime group (000 §10.3)', () => {
    const sg = address(doc(), 'aws_security_group');
    const rule = one(doc(), 'aws_vpc_security_group_ingress_rule');
    expect(rule).toMatchObject({
      security_group_id: c.aws.rdsSecurityGroupId,
      referenced_security_group_id: `\${${sg}.id}`,
      ip_protocol: 'tcp',
      from_port: 3306,
      to_port: 3306,
    });
  });

  it('launch template: AMI resolved from the SSM parameter at launch, IMDSv2 required, metadata tags enabled, adv:env on instance + volume', () => {
    const lt = one(doc(), 'aws_launch_template');
    // A new AMI needs no template version: the rollout's instance refresh launches from the parameter.
    expect(lt.image_id).toBe(`resolve:ssm:${c.aws.amiSsmParameter}`);
    expect(lt.metadata_options).toMatchObject({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      instance_metadata_tags: 'enabled',
    });
    const specs = lt.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
    expect(specs.map((s) => s.resource_type).sort()).toEqual(['instance', 'volume']);
    for (const s of specs) expect(s.tags['adv:env']).toBe(env);
    expect(lt.instance_type).toBe(c.fleet.instanceType);
    expect(lt.iam_instance_profile.name).toBe(`\${${address(doc(), 'aws_iam_instance_profile')}.name}`);
  });

  it('the parameter is read through insecure_value, never the sensitive value (000 §9.4)', () => {
    const param = one(doc(), 'aws_ssm_parameter', 'data');
    expect(param.name).toBe(c.aws.amiSsmParameter);
    const dataAddress = address(doc(), 'aws_ssm_parameter', 'data');
    expect(doc().output.ami_id_published.value).toBe(`\${${dataAddress}.insecure_value}`);
    expect(JSON.stringify(doc())).not.toContain(`${dataAddress}.value}`);
  });

  it('the ASG rolls every new launch template version with a rolling instance refresh', () => {
    const asg = one(doc(), 'aws_autoscaling_group');
    const lt = address(doc(), 'aws_launch_template');
    expect(asg.launch_template).toEqual({ id: `\${${lt}.id}`, version: `\${${lt}.latest_version}` });
    expect(asg.instance_refresh.strategy).toBe('Rolling');
    expect(asg.instance_refresh.preferences.auto_rollback).toBeUndefined();
    // Instances boot only once their secret and the permission to read it exist.
    expect(asg.depends_on).toEqual(
      expect.arrayContaining([
        `${address(doc(), 'aws_secretsmanager_secret_version')}`,
        ...Object.entries(doc().resource.aws_iam_role_policy as Record<string, { name: string }>)
          .filter(([, p]) => p.name.startsWith('read-'))
          .map(([name]) => `aws_iam_role_policy.${name}`),
      ]),
    );
    expect(asg.name).toBe(c.names.fleet);
  });
});

describe('fleet sizing (001 §1.0, 000 §9.4)', () => {
  const asg = (env: EnvName) => one(out[env], 'aws_autoscaling_group');
  const lt = (env: EnvName) => one(out[env], 'aws_launch_template');

  it.each(['dev', 'stg'] as const)(
    '%s: 1 × t3.micro in one subnet, min_healthy 100 (new before old)',
    (env) => {
      const g = asg(env);
      expect(lt(env).instance_type).toBe('t3.micro');
      expect(g).toMatchObject({ min_size: 1, desired_capacity: 1 });
      expect(g.max_size).toBeGreaterThanOrEqual(2);
      expect(g.vpc_zone_identifier).toHaveLength(1);
      expect(g.instance_refresh.preferences.min_healthy_percentage).toBe(100);
      expect(g.instance_refresh.preferences.max_healthy_percentage).toBe(200);
    },
  );

  it('prd: 2 × t3.small across 2 distinct subnets/AZs, min_healthy 50', () => {
    const g = asg('prd');
    expect(lt('prd').instance_type).toBe('t3.small');
    expect(g).toMatchObject({ min_size: 2, desired_capacity: 2 });
    expect(g.vpc_zone_identifier).toHaveLength(2);
    expect(new Set(g.vpc_zone_identifier).size).toBe(2);
    expect(g.instance_refresh.preferences.min_healthy_percentage).toBe(50);
    expect(g.max_size).toBeGreaterThanOrEqual(3);
  });

  it('dev uses the seed 000 §2 subnet and VPC', () => {
    expect(asg('dev').vpc_zone_identifier).toEqual(['subnet-2ef28677']);
    expect(one(out.dev, 'aws_security_group').vpc_id).toBe('vpc-e1636084');
  });
});

describe('across environments', () => {
  it('state keys, secret names and tunnel names are distinct per environment', () => {
    const keys = ENVIRONMENTS.map((e) => out[e].terraform.backend.s3.key);
    const secrets = ENVIRONMENTS.map((e) => one(out[e], 'aws_secretsmanager_secret').name);
    const tunnels = ENVIRONMENTS.map((e) => one(out[e], 'cloudflare_zero_trust_tunnel_cloudflared').name);
    for (const list of [keys, secrets, tunnels]) expect(new Set(list).size).toBe(ENVIRONMENTS.length);
  });
});
