#!/usr/bin/env bash
# Post-deploy smoke probes (seed 001 Phase 7), usable against local dev and any environment:
#   scripts/smoke.sh http://localhost:8787
#   SMOKE_INT_KEY=... SMOKE_API_KEY=... scripts/smoke.sh https://api.adventivestg.com
# Keys come from the environment (defaults: the local seed's `main` pair); they are never printed.
set -uo pipefail
base="${1:?usage: scripts/smoke.sh BASE_URL}"
base="${base%/}"
int_key="${SMOKE_INT_KEY:-int-acct1-main}"
api_key="${SMOKE_API_KEY:-api-acct1-main-0001}"
failures=0

probe() { # name, expected status, curl args...
  local name="$1" expected="$2"; shift 2
  local body status
  body=$(mktemp)
  status=$(curl -sS -o "$body" -w '%{http_code}' --max-time 15 "$@") || status="000"
  if [ "$status" = "$expected" ]; then
    printf 'ok    %-36s %s\n' "$name" "$status"
  else
    printf 'FAIL  %-36s got %s, want %s\n' "$name" "$status" "$expected"
    failures=$((failures + 1))
  fi
  PROBE_BODY="$(cat "$body")"
  rm -f "$body"
}

probe "GET /__health" 200 "$base/__health"
grep -q '"status":"ok"' <<<"$PROBE_BODY" || { echo "FAIL  /__health body: $PROBE_BODY"; failures=$((failures + 1)); }

probe "GET /credentialscheck (valid keys)" 200 "$base/credentialscheck" \
  -H "X-Integration-Key: $int_key" -H "X-Api-Key: $api_key"
[ "$PROBE_BODY" = '{"status":true}' ] || { echo 'FAIL  /credentialscheck body is not {"status":true}'; failures=$((failures + 1)); }

probe "GET /credentialscheck (invalid keys)" 401 "$base/credentialscheck" \
  -H "X-Integration-Key: smoke-invalid" -H "X-Api-Key: smoke-invalid"

probe "GET /advertisers (valid keys)" 200 "$base/advertisers" \
  -H "X-Integration-Key: $int_key" -H "X-Api-Key: $api_key"
grep -q '"data":\[{"id":' <<<"$PROBE_BODY" || { echo 'FAIL  /advertisers has no rows'; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then echo "smoke: $failures probe(s) failed"; exit 1; fi
echo "smoke: all probes passed"
