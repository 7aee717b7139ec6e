import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOUDFLARE_MANAGED_RULESET_ID, CONFIG, ENVIRONMENTS, type EnvName } from '../src/config';
import { EDGE_LIMIT_RESPONSE, hostExpression } from '../src/constructs/edge-defences';
import { fleetAlarmNames, METRICS_NAMESPACE } from '../src/constructs/fleet-alarms';
import { blocks, synthAll, type TfJson } from './synth';

let out: Record<EnvName, TfJson>;
beforeAll(() => {
  out = synthAll();
});
const publisher = readFileSync(new URL('../image/files/cflared-metrics.py', import.meta.url), 'utf8');

describe.each(ENVIRONMENTS)('%s: fleet alarms (001 Phase 1 observability)', (env) => {
  const c = CONFIG[env];
  const alarm = (name: string) =>
    blocks(out[env], 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === name)!;
  const topic = (kind: 'page' | 'warn') =>
    expect.stringMatching(new RegExp(`^\\$\\{aws_sns_topic\\.alarms_topics_${kind}_[0-9A-F]+\\.arn\\}$`));

  it('connected replicas below the desired count for 2 minutes pages; silence counts as none', () => {
    expect(alarm(fleetAlarmNames(c).replicas)).toMatchObject({
      namespace: METRICS_NAMESPACE,
      metric_name: 'ReplicaUp',
      dimensions: { Env: env },
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      comparison_operator: 'LessThanThreshold',
      threshold: c.fleet.desiredCapacity,
      treat_missing_data: 'breaching',
      alarm_actions: [topic('page')],
    });
  });

  it('more than 3 cloudflared restarts in an hour on one instance pages', () => {
    expect(alarm(fleetAlarmNames(c).restarts)).toMatchObject({
      metric_name: 'RestartsLastHour',
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 3,
      alarm_actions: [topic('page')],
    });
  });

  it('an AMI older than 21 days warns', () => {
    expect(alarm(fleetAlarmNames(c).amiAge)).toMatchObject({
      metric_name: 'AmiAgeDays',
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 21,
      alarm_actions: [topic('warn')],
    });
  });

  it('the alarms read what the publisher on the instances sends', () => {
    expect(publisher).toContain(`NAMESPACE = "${METRICS_NAMESPACE}"`);
    for (const a of blocks(out[env], 'aws_cloudwatch_metric_alarm')) {
      expect(publisher).toContain(`"${a.metric_name}"`);
      expect(Object.keys(a.dimensions)).toEqual(['Env']);
    }
    expect(publisher).toContain('[{"Name": "Env", "Value": env}]');
  });

  it('the topics take messages from CloudWatch and EventBridge of this account only', () => {
    const policies = blocks(out[env], 'aws_iam_policy_document', 'data');
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.statement[0].condition[0]).toEqual({
        test: 'StringEquals',
        variable: 'aws:SourceAccount',
        values: [c.aws.accountId],
      });
    }
  });
});

describe.each(ENVIRONMENTS)('%s: the edge in front of the Worker (backlog #37)', (env) => {
  const c = CONFIG[env];
  const ruleset = (phase: string) => blocks(out[env], 'cloudflare_ruleset').find((r) => r.phase === phase);

  it('rate limiting per client IP, on the Worker route hostnames only, answered in JSON', () => {
    const rs = ruleset('http_ratelimit')!;
    expect(rs).toMatchObject({ kind: 'zone', zone_id: c.cloudflare.zoneId });
    expect(rs.rules).toHaveLength(c.edge.rateLimits.length);
    for (const [i, r] of c.edge.rateLimits.entries()) {
      expect(rs.rules[i]).toMatchObject({
        ref: r.id,
        action: 'block',
        expression: hostExpression(c.workerRouteHostnames),
        ratelimit: {
          characteristics: ['cf.colo.id', 'ip.src'],
          period: r.periodSeconds,
          requests_per_period: r.requestsPerPeriod,
          mitigation_timeout: r.mitigationTimeoutSeconds,
        },
        action_parameters: { response: { status_code: 429, content_type: 'application/json' } },
      });
      expect(JSON.parse(rs.rules[i].action_parameters.response.content)).toEqual(EDGE_LIMIT_RESPONSE);
    }
    expect(hostExpression(c.workerRouteHostnames)).toBe(`(http.host in {"api.${c.cloudflare.zone}"})`);
  });

  it(`managed ruleset ${c.edge.managedRuleset}`, () => {
    const rs = ruleset('http_request_firewall_managed');
    if (c.edge.managedRuleset === 'off') {
      expect(rs).toBeUndefined();
      return;
    }
    expect(rs!.rules).toEqual([
      expect.objectContaining({
        action: 'execute',
        action_parameters: { id: CLOUDFLARE_MANAGED_RULESET_ID },
        expression: hostExpression(c.workerRouteHostnames),
      }),
    ]);
  });
});

describe('systemd units of the image', () => {
  const verify = spawnSync('systemd-analyze', ['--version']);
  it.skipIf(verify.status !== 0)('systemd-analyze verify finds nothing but the binaries absent here', () => {
    const dir = mkdtempSync(join(tmpdir(), 'units-'));
    try {
      const files = [
        'cloudflared.service',
        'cflared-bootstrap.service',
        'cflared-metrics.service',
        'cflared-metrics.timer',
      ];
      for (const f of files) {
        writeFileSync(join(dir, f), readFileSync(new URL(`../image/files/${f}`, import.meta.url), 'utf8'));
      }
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...files.map((f) => join(dir, f))], {
        encoding: 'utf8',
      });
      const complaints = `${r.stdout}${r.stderr}`
        .split('\n')
        .filter((l) => l.trim() && !/is not executable: No such file or directory/.test(l));
      expect(complaints).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
