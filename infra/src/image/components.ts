/**
 * The Adventive Image Builder components (000 §4.3, 001 §1.1.1), as component documents rendered
 * from the files under infra/image/files/ so that what is tested locally is what gets baked.
 *
 * Components and recipes are immutable per version: any change to a document needs a new version here
 * (and a new RECIPE_VERSION). test/image-versions.test.ts fails until both are bumped.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

export const RECIPE_VERSION = '1.1.0';
/** Recipe versions whose images the lifecycle policy still manages (000 §2: 1.0.2 as built). */
export const EARLIER_RECIPE_VERSIONS = ['1.0.2'];

export const COMPONENT_VERSIONS = {
  cloudflared: '1.1.0',
  bootstrap: '1.1.0',
  metrics: '1.0.0',
} as const;
export type ComponentKey = keyof typeof COMPONENT_VERSIONS;

/** Where each baked file lands on the AMI. */
export const PATHS = {
  cloudflaredUnit: '/etc/systemd/system/cloudflared.service',
  bootstrapScript: '/usr/local/sbin/cflared-bootstrap',
  bootstrapUnit: '/etc/systemd/system/cflared-bootstrap.service',
  metricsScript: '/usr/local/sbin/cflared-metrics',
  metricsUnit: '/etc/systemd/system/cflared-metrics.service',
  metricsTimer: '/etc/systemd/system/cflared-metrics.timer',
  buildTime: '/etc/adv-cflared/build-time',
} as const;

const file = (name: string) => readFileSync(new URL(`../../image/files/${name}`, import.meta.url), 'utf8');

type Step = { name: string; action: string; inputs: unknown; onFailure?: string };
const bash = (name: string, ...commands: string[]): Step => ({
  name,
  action: 'ExecuteBash',
  inputs: { commands: ['set -euo pipefail', ...commands] },
});
// CreateFile does not create parent directories (000 §4.8): only paths whose directory exists.
const createFile = (name: string, path: string, content: string, permissions: string): Step => ({
  name,
  action: 'CreateFile',
  inputs: [{ path, content, permissions, owner: 'root', group: 'root', overwrite: true }],
});

interface ComponentDocument {
  name: string;
  description: string;
  schemaVersion: number;
  phases: { name: 'build' | 'validate' | 'test'; steps: Step[] }[];
}

const render = (doc: ComponentDocument) => stringify(doc, { lineWidth: 0 });

/**
 * cloudflared from Cloudflare's apt repository, started by a primary unit at
 * /etc/systemd/system/cloudflared.service: the package ships no unit, so a drop-in has nothing to
 * override (000 §4.8).
 */
export function cloudflaredComponent(name: string, ubuntuCodename: string): string {
  return render({
    name,
    description: 'cloudflared from the Cloudflare apt repository and its primary systemd unit',
    schemaVersion: 1.0,
    phases: [
      {
        name: 'build',
        steps: [
          bash(
            'AddCloudflareAptRepository',
            'install -d -m 0755 /usr/share/keyrings',
            'curl -fsSL https://pkg.cloudflare.com/cloudflare-main.gpg -o /usr/share/keyrings/cloudflare-main.gpg',
            `echo 'deb [signed-by=/usr/share/keyrings/cloudflare-main.gpg] https://pkg.cloudflare.com/cloudflared ${ubuntuCodename} main' > /etc/apt/sources.list.d/cloudflared.list`,
            'apt-get update',
          ),
          bash('InstallCloudflared', 'DEBIAN_FRONTEND=noninteractive apt-get install -y cloudflared'),
          createFile('WriteCloudflaredUnit', PATHS.cloudflaredUnit, file('cloudflared.service'), '0644'),
          bash('EnableCloudflared', 'systemctl daemon-reload', 'systemctl enable cloudflared.service'),
        ],
      },
      {
        name: 'validate',
        steps: [
          bash('CloudflaredVersion', "cloudflared --version | grep -E '^cloudflared version 20'"),
          bash(
            'UnitIsPrimary',
            `test -f ${PATHS.cloudflaredUnit}`,
            'test ! -d /etc/systemd/system/cloudflared.service.d',
          ),
        ],
      },
      {
        name: 'test',
        steps: [
          bash('CloudflaredVersion', "cloudflared --version | grep -E '^cloudflared version 20'"),
          bash('CloudflaredEnabled', 'systemctl is-enabled cloudflared.service'),
        ],
      },
    ],
  });
}

/**
 * The boot-time bootstrap (adv:env tag → tunnel secret → /etc/cloudflared) and its oneshot unit,
 * ordered before cloudflared.service, which requires it.
 */
export function bootstrapComponent(name: string): string {
  return render({
    name,
    description: 'cflared-bootstrap: resolve adv:env, fetch the tunnel secret, write /etc/cloudflared',
    schemaVersion: 1.0,
    phases: [
      {
        name: 'build',
        steps: [
          bash('InstallTools', 'DEBIAN_FRONTEND=noninteractive apt-get install -y jq curl'),
          createFile('WriteBootstrapScript', PATHS.bootstrapScript, file('cflared-bootstrap.sh'), '0755'),
          createFile('WriteBootstrapUnit', PATHS.bootstrapUnit, file('cflared-bootstrap.service'), '0644'),
          bash('EnableBootstrap', 'systemctl daemon-reload', 'systemctl enable cflared-bootstrap.service'),
        ],
      },
      {
        name: 'validate',
        steps: [
          bash('BootstrapParses', `bash -n ${PATHS.bootstrapScript}`, `test -x ${PATHS.bootstrapScript}`),
          bash(
            'UnitsVerify',
            `systemd-analyze verify ${PATHS.bootstrapUnit} ${PATHS.cloudflaredUnit}`,
            'systemctl is-enabled cflared-bootstrap.service',
          ),
        ],
      },
      {
        name: 'test',
        steps: [bash('BootstrapEnabled', 'systemctl is-enabled cflared-bootstrap.service')],
      },
    ],
  });
}

/** The per-minute health publisher the fleet alarms read, and the AMI's build time it reports the age of. */
export function metricsComponent(name: string): string {
  return render({
    name,
    description: 'cflared-metrics: ReplicaUp, RestartsLastHour, AmiAgeDays to CloudWatch every minute',
    schemaVersion: 1.0,
    phases: [
      {
        name: 'build',
        steps: [
          createFile('WriteMetricsScript', PATHS.metricsScript, file('cflared-metrics.py'), '0755'),
          createFile('WriteMetricsService', PATHS.metricsUnit, file('cflared-metrics.service'), '0644'),
          createFile('WriteMetricsTimer', PATHS.metricsTimer, file('cflared-metrics.timer'), '0644'),
          bash('RecordBuildTime', 'install -d -m 0755 /etc/adv-cflared', `date -u +%s > ${PATHS.buildTime}`),
          bash('EnableMetrics', 'systemctl daemon-reload', 'systemctl enable cflared-metrics.timer'),
        ],
      },
      {
        name: 'validate',
        steps: [
          bash(
            'MetricsParses',
            `python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' ${PATHS.metricsScript}`,
            `systemd-analyze verify ${PATHS.metricsUnit} ${PATHS.metricsTimer}`,
          ),
        ],
      },
      {
        name: 'test',
        steps: [
          bash('MetricsEnabled', 'systemctl is-enabled cflared-metrics.timer', `test -s ${PATHS.buildTime}`),
        ],
      },
    ],
  });
}
