#!/usr/bin/env bash
# Post-deploy smoke probes (seed 001 Phase 7), usable against local dev and any environment:
#   scripts/smoke.sh http://localhost:8787
#   SMOKE_INT_KEY=... SMOKE_API_KEY=... scripts/smoke.sh https://api.adventivestg.com
# Probes: /__health (and the commit it runs), /credentialscheck with valid keys and invalid ones (401
# problem+json), an unknown path (404 problem+json), /advertisers with a row, /campaigns then
# /analytics of its first campaign (the aggregate database), and /v2.0/dataconnector for one day,
# streamed: read to its end and parsed whole.
#
# Environment:
#   SMOKE_INT_KEY, SMOKE_API_KEY  a key pair of that environment (default: the local seed's `main`
#                                 pair); never printed, and kept out of the process list
#   SMOKE_DAY                     the /dataconnector day, YYYY-MM-DD (default: yesterday in New York)
#   SMOKE_EXPECT_COMMIT           fail unless /__health names this commit (a release's GITHUB_SHA)
#   SMOKE_PIN_WORKER, SMOKE_PIN_VERSION
#                                 send every probe to that version of that Worker
#                                 (Cloudflare-Workers-Version-Overrides: WORKER="VERSION"): a canary's.
#                                 The edge ignores an override for a version outside the deployment, so
#                                 pair it with SMOKE_EXPECT_COMMIT to know the pinned version answered.
# One run makes 5 requests that count against the key pair's hourly allowance. Exit 0: all passed;
# 1: a probe failed; 2: bad usage.
set -uo pipefail

usage() { echo "smoke: $*" >&2; exit 2; }
base="${1:-}"
[ -n "$base" ] || usage "usage: scripts/smoke.sh BASE_URL"
base="${base%/}"
command -v curl >/dev/null || usage "curl is needed"
command -v node >/dev/null || usage "node is needed (JSON checks)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Header file: the keys never appear in curl's arguments (ps) nor in this script's output.
umask 077
printf 'X-Integration-Key: %s\nX-Api-Key: %s\n' \
  "${SMOKE_INT_KEY:-int-acct1-main}" "${SMOKE_API_KEY:-api-acct1-main-0001}" >"$work/keys"

curl_opts=(-sS --max-time 20)
if [ -n "${SMOKE_PIN_WORKER:-}${SMOKE_PIN_VERSION:-}" ]; then
  # A malformed dictionary is ignored by the edge, silently: refuse it here.
  [[ "${SMOKE_PIN_WORKER:-}" =~ ^[a-z][a-z0-9_.-]*$ ]] || usage "SMOKE_PIN_WORKER must be a Worker name"
  [[ "${SMOKE_PIN_VERSION:-}" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
    usage "SMOKE_PIN_VERSION must be a version id (UUID)"
  curl_opts+=(-H "Cloudflare-Workers-Version-Overrides: ${SMOKE_PIN_WORKER}=\"${SMOKE_PIN_VERSION}\"")
  echo "smoke: every probe pinned to ${SMOKE_PIN_WORKER} version ${SMOKE_PIN_VERSION}"
fi
day="${SMOKE_DAY:-$(node -e 'process.stdout.write(new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(Date.now() - 864e5))')}"
[[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || usage "SMOKE_DAY must be YYYY-MM-DD"

failures=0
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }

# json EXPR: the value of a JS expression over `b`, the last body parsed as JSON; empty when the body
# is not JSON.
json() {
  node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = new Function("b", `return (${process.argv[2]});`)(b);
    process.stdout.write(v === undefined || v === null ? "" : String(v));' \
    "$work/body" "$1" 2>/dev/null
}

# probe NAME STATUS CONTENT_TYPE URL [curl args...]: one request, its body in $work/body. Returns 1
# (reported) unless the status and the Content-Type's media type are the expected ones and curl read
# the whole body.
probe() {
  local name="$1" want_status="$2" want_type="$3" url="$4" out rc status type
  shift 4
  out=$(curl "${curl_opts[@]}" -o "$work/body" -w '%{http_code} %{content_type}' "$@" "$url" 2>"$work/err")
  rc=$?
  status="${out%% *}"
  type="${out#* }"
  type="${type%%;*}"
  if [ "$status" = 000 ] || [ -z "$status" ]; then
    fail "$name: no answer (curl exit $rc: $(head -c 200 "$work/err"))"
    return 1
  fi
  if [ "$status" != "$want_status" ]; then
    fail "$name: got $status, want $want_status$(detail)"
    return 1
  fi
  if [ "$rc" -ne 0 ]; then
    fail "$name: body incomplete (curl exit $rc: $(head -c 200 "$work/err"))"
    return 1
  fi
  if [ "$type" != "$want_type" ]; then
    fail "$name: Content-Type $type, want $want_type"
    return 1
  fi
}
detail() {
  local text
  text=$(json 'b.detail ?? b.title')
  [ -n "$text" ] && printf ' (%s)' "${text:0:200}"
}
ok() { printf 'ok    %-44s %s\n' "$1" "$2"; }

if probe "GET /__health" 200 application/json "$base/__health"; then
  commit=$(json 'b.commit_sha')
  if [ "$(json 'b.status')" != ok ]; then
    fail "GET /__health: status is not \"ok\""
  elif [ -n "${SMOKE_EXPECT_COMMIT:-}" ] && [ "$commit" != "$SMOKE_EXPECT_COMMIT" ]; then
    fail "GET /__health: answered by commit ${commit:-?}, want $SMOKE_EXPECT_COMMIT (not the version under test)"
  else
    ok "GET /__health" "200 $(json 'b.environment') @ ${commit:-?}"
  fi
fi

if probe "GET /credentialscheck (valid keys)" 200 application/json "$base/credentialscheck" -H @"$work/keys"; then
  if [ "$(cat "$work/body")" = '{"status":true}' ]; then ok "GET /credentialscheck (valid keys)" 200
  else fail 'GET /credentialscheck (valid keys): body is not {"status":true}'; fi
fi

if probe "GET /credentialscheck (invalid keys)" 401 application/problem+json "$base/credentialscheck" \
  -H "X-Integration-Key: smoke-invalid" -H "X-Api-Key: smoke-invalid"; then
  if [ "$(json 'b.status')" = 401 ]; then ok "GET /credentialscheck (invalid keys)" "401 problem+json"
  else fail "GET /credentialscheck (invalid keys): problem body without status 401"; fi
fi

if probe "GET /smoke/unknown-path" 404 application/problem+json "$base/smoke/unknown-path"; then
  if [ "$(json 'b.status')" = 404 ]; then ok "GET /smoke/unknown-path" "404 problem+json"
  else fail "GET /smoke/unknown-path: problem body without status 404"; fi
fi

if probe "GET /advertisers" 200 application/json "$base/advertisers" -H @"$work/keys"; then
  rows=$(json 'Array.isArray(b.data) ? b.data.length : ""')
  if [ "${rows:-0}" -gt 0 ]; then ok "GET /advertisers" "200 $rows rows"
  else fail "GET /advertisers: no rows"; fi
fi

if probe "GET /campaigns" 200 application/json "$base/campaigns" -H @"$work/keys"; then
  campaign=$(json 'b.data[0].id')
  if [ -z "$campaign" ]; then
    fail "GET /campaigns: the key pair's account has no campaign, so /analytics cannot be probed"
  else
    ok "GET /campaigns" "200 first id $campaign"
    if probe "GET /analytics/$campaign" 200 application/json "$base/analytics/$campaign" -H @"$work/keys"; then
      if [ -n "$(json 'typeof b.data.impressions === "number" ? b.data.impressions : undefined')" ]; then
        ok "GET /analytics/$campaign (aggregate)" "200 $(json 'b.data.impressions') impressions"
      else
        fail "GET /analytics/$campaign: no impressions in the body"
      fi
    fi
  fi
fi

# Streamed: chunked until the last row. curl fails (18, 56) when the stream breaks off, and a body
# cut between two chunks is not JSON.
connector="GET /v2.0/dataconnector ($day)"
if probe "$connector" 200 application/json "$base/v2.0/dataconnector?from=$day&to=$day" \
  -H @"$work/keys" --max-time 120; then
  rows=$(json 'Array.isArray(b.data) ? b.data.length : undefined')
  bytes=$(wc -c <"$work/body" | tr -d ' ')
  if [ -n "$rows" ]; then ok "$connector" "200 $rows rows, $bytes bytes, complete"
  else fail "$connector: the body ($bytes bytes) is not a whole JSON document"; fi
fi

if [ "$failures" -gt 0 ]; then
  echo "smoke: $failures probe(s) failed against $base"
  exit 1
fi
echo "smoke: all probes passed against $base"
