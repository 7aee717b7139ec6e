#!/usr/bin/env bash
# Puts back the versions that served before a deploy job of .github/workflows/ci.yml, each at 100 %
# with `wrangler versions deploy`: the Public API first (the previous API with the new auth helper is
# what the canary ran), then the auth helper, then the tail Worker. A Worker given no version (a
# first release, or a deploy step that never ran) is left as it is. All three are tried; exit 1 if
# one failed.
#   DEPLOY_ENV=prd API=<id> HELPER=<id> TAIL=<id> scripts/rollback.sh "rollback of v1.2.3"
# A version older than a Durable Object migration cannot be deployed again: after a release with a
# migration, fix forward.
set -uo pipefail
message="${1:?usage: scripts/rollback.sh MESSAGE}"
env_name="${DEPLOY_ENV:?DEPLOY_ENV is required}"
failed=0

rollback() { # label, version, wrangler config arguments...
  local label="$1" version="$2"
  shift 2
  if [ -z "$version" ]; then
    echo "rollback: $label: no previous version to put back"
    return
  fi
  echo "rollback: $label to $version"
  if ! npm exec -- wrangler versions deploy "${version}@100%" "$@" --env "$env_name" --yes --message "$message"; then
    echo "::error::the rollback of the $label to $version failed"
    failed=1
  fi
}

rollback "Public API" "${API:-}"
rollback "auth helper" "${HELPER:-}" -c auth-helper/wrangler.toml
rollback "tail Worker" "${TAIL:-}" -c tail-worker/wrangler.toml
exit "$failed"
