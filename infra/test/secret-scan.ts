/**
 * Looks for secret material in synthesized Terraform JSON. Terraform references (`${var.x}`,
 * `${random_bytes.y.base64}`) are fine: they are resolved at apply time, into state, never into code.
 */
import type { TfJson } from './synth';

export interface Finding {
  path: string;
  reason: string;
  value: string;
}

/** Keys whose value must never be a literal. */
const SECRET_KEY = /(password|passwd|secret|token|private_key|credential|api_key)/i;
/** Keys that merely name or point at a secret. */
const SECRET_KEY_OK = /^(secret_id|token_id|name|description|comment|secret_arn|http_tokens)$/i;
/** A literal assigned to a secret-like key inside an HCL expression (jsonencode({...})). */
const HCL_LITERAL_SECRET = /"([A-Za-z_]*(?:secret|password|passwd|token)[A-Za-z_]*)"\s*=\s*"/gi;
/** Credentials in a URL: scheme://user:password@host. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@"]+:[^\s@/"]+@/i;
/** Long opaque runs of base64/hex-ish characters with letters and digits mixed. */
const OPAQUE = /[A-Za-z0-9+/=_-]{20,}/g;

const isReference = (v: string) => /^\$\{[\s\S]*\}$/.test(v);
/** A cdktf asset path (assets/<construct id>/<content hash>/<file>): generated names, not secrets. */
const ASSET_PATH =
  /^(\$\{filebase64sha256\(")?assets\/[A-Za-z0-9_-]+\/[0-9A-F]{32}\/[A-Za-z0-9._-]+("\)\})?$/;

/** Opaque-looking tokens of a string, as the scan sees them. */
export function opaqueTokens(value: string): string[] {
  return (value.match(OPAQUE) ?? [])
    .flatMap((t) => t.split('/'))
    .filter((t) => t.length >= 20 && /[0-9]/.test(t) && /[A-Za-z]/.test(t));
}

export function scanForSecrets(doc: TfJson, allowed: Set<string>): Finding[] {
  const findings: Finding[] = [];
  // Terraform addresses (resource, data, variable, output names) are allowed opaque tokens.
  const known = new Set(allowed);
  for (const kind of ['resource', 'data']) {
    for (const byName of Object.values(doc[kind] ?? {})) {
      for (const name of Object.keys(byName as object)) known.add(name);
    }
  }

  const checkString = (value: string, path: string, key: string) => {
    if (SECRET_KEY.test(key) && !SECRET_KEY_OK.test(key) && !isReference(value)) {
      findings.push({ path, reason: `literal value for secret-like key "${key}"`, value });
    }
    for (const m of value.matchAll(HCL_LITERAL_SECRET)) {
      findings.push({ path, reason: `literal assigned to "${m[1]}" inside an expression`, value });
    }
    if (URL_CREDENTIALS.test(value)) findings.push({ path, reason: 'credentials in a URL', value });
    if (ASSET_PATH.test(value)) return;
    for (const token of opaqueTokens(value)) {
      if (!known.has(token) && !token.startsWith('REPLACE_WITH_')) {
        findings.push({ path, reason: `opaque token ${token}`, value });
      }
    }
  };

  const walk = (node: unknown, path: string, key: string) => {
    if (typeof node === 'string') checkString(node, path, key);
    else if (Array.isArray(node)) for (const [i, v] of node.entries()) walk(v, `${path}[${i}]`, key);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '//') continue; // cdktf's construct-path metadata
        walk(v, path ? `${path}.${k}` : k, k);
      }
    }
  };
  walk(doc, '', '');
  return findings;
}

/** Every opaque token that appears in the configuration (account, zone, VPC, subnet ids ...). */
export function allowedTokens(config: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === 'string') for (const t of opaqueTokens(node)) out.add(t);
    else if (Array.isArray(node)) for (const v of node) walk(v);
    else if (node && typeof node === 'object') for (const v of Object.values(node)) walk(v);
  };
  walk(config);
  return out;
}
