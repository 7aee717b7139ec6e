#!/usr/bin/env bash
# Runs once at boot (cflared-bootstrap.service, before cloudflared.service). The AMI serves every
# environment: the instance's adv:env tag, read from instance metadata, names the Secrets Manager
# secret <prefix>/<env> = {config_yaml, credentials_json}, which becomes /etc/cloudflared/config.yml and
# /etc/cloudflared/<tunnel id>.json (000 §1, §5.2, §6.3).
set -euo pipefail

CONF_DIR="${CFLARED_CONF_DIR:-/etc/cloudflared}"
IMDS="${CFLARED_IMDS:-http://169.254.169.254}"
SECRET_PREFIX="${CFLARED_SECRET_PREFIX:-/adventive/cloudflared}"
ATTEMPTS="${CFLARED_ATTEMPTS:-30}"
RETRY_SECONDS="${CFLARED_RETRY_SECONDS:-2}"

log() { echo "cflared-bootstrap: $*" >&2; }

# IMDSv2: the launch template requires session tokens.
imds() {
  local token
  token=$(curl -fsS -X PUT "$IMDS/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') || return 1
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "$IMDS/latest/meta-data/$1"
}

# The network and the instance profile's credentials can lag the first seconds of boot.
retry() {
  local i
  for ((i = 1; i <= ATTEMPTS; i++)); do
    if "$@"; then return 0; fi
    sleep "$RETRY_SECONDS"
  done
  return 1
}

env_name=$(retry imds tags/instance/adv:env) || {
  log "no adv:env tag in instance metadata (the launch template must enable InstanceMetadataTags)"
  exit 1
}
if [[ ! "$env_name" =~ ^[a-z0-9-]+$ ]]; then
  log "adv:env is not an environment name"
  exit 1
fi
region=$(retry imds placement/region) || {
  log "no region in instance metadata"
  exit 1
}
secret_id="$SECRET_PREFIX/$env_name"
secret=$(retry aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_id" \
  --query SecretString --output text) || {
  log "cannot read $secret_id"
  exit 1
}

# The credentials name the tunnel; cloudflared looks for <tunnel id>.json (config.yml says where).
tunnel_id=$(jq -er '.credentials_json | fromjson | .TunnelID' <<<"$secret") || {
  log "$secret_id has no credentials_json.TunnelID"
  exit 1
}
if [[ ! "$tunnel_id" =~ ^[0-9a-f-]{36}$ ]]; then
  log "$secret_id: TunnelID is not a tunnel UUID"
  exit 1
fi

umask 077
install -d -m 0755 "$CONF_DIR"
tmp=$(mktemp -d "$CONF_DIR/.bootstrap.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
jq -er '.config_yaml' <<<"$secret" >"$tmp/config.yml"
jq -er '.credentials_json' <<<"$secret" >"$tmp/$tunnel_id.json"
if ! grep -qx "tunnel: $tunnel_id" "$tmp/config.yml"; then
  log "$secret_id: config_yaml is for another tunnel than credentials_json"
  exit 1
fi
chmod 0644 "$tmp/config.yml"
chmod 0600 "$tmp/$tunnel_id.json"
# Credentials first: config.yml points at them.
mv -f "$tmp/$tunnel_id.json" "$CONF_DIR/$tunnel_id.json"
mv -f "$tmp/config.yml" "$CONF_DIR/config.yml"
log "tunnel $tunnel_id configured for $env_name"
