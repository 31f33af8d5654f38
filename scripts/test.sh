#!/usr/bin/env bash
# The full test suite, as the README's second command: installs what is missing (Node 24, npm
# packages, Kafka jars, Chromium), brings up local infra, then runs typecheck, lint, unit,
# integration and browser tests. Ends with one line "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib/node.sh
source scripts/lib/chromium.sh
ensure_node || exit 1
ensure_deps || exit 1
ensure_chromium || exit 1
bash scripts/infra-up.sh || { echo "infra:up failed"; exit 1; }

REPORTS="$ROOT/.data/test-results"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
export TRIPWIRE_TEST_REPORT_DIR="$REPORTS"
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(chromium_path)}"

status=0
failed_steps=()
step() {
  local name="$1"; shift
  echo; echo "== $name"
  "$@" || { echo "!! step failed: $name"; status=1; failed_steps+=("$name"); }
}
step "typecheck" npx turbo run typecheck --output-logs=errors-only
step "typecheck (repo files)" npx tsc -p tsconfig.json
step "lint" npx biome check .
step "repo checks" npx vitest run --config vitest.repo.config.ts
step "unit tests" npx turbo run test --concurrency=2 --continue --output-logs=full
step "integration tests (real Postgres and Kafka)" npx turbo run test:int --concurrency=1 --continue --output-logs=full
step "fuzz (bounded: 600 hostile requests, 40 s)" node apps/web/fuzz/fuzz.ts --count 600 --seconds 40
step "build" npx turbo run build --output-logs=errors-only
step "browser tests (Chromium)" npx turbo run test:e2e --concurrency=1 --continue --output-logs=full

node scripts/test-summary.mjs "$REPORTS" "${failed_steps[@]}"
exit $status
