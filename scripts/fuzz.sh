#!/usr/bin/env bash
# The fuzz suite (apps/web/fuzz): hostile requests against a real web process on 127.0.0.1 over the
# local Postgres (the test database) and Kafka. Bounded: --count requests, --seconds, --seed.
#   npm run fuzz -- --count 10000 --seconds 600
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib/node.sh
ensure_node
ensure_deps
bash scripts/infra-up.sh >/dev/null
exec node apps/web/fuzz/fuzz.ts "$@"
