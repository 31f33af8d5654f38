# Sourced by start.sh and cluster.sh (from the repository root): installs what is missing, brings
# up Kafka and Postgres with migrations, builds web and engine, seeds the demo tenant, and sets
# `creds` (the demo's sign-in, printed by the caller) and `LOGS`. `pids` collects the processes the
# caller starts; they are stopped on Ctrl-C, TERM or exit.
source scripts/lib/node.sh
ensure_node
ensure_deps
bash scripts/infra-up.sh

echo "[build] web and engine"
npx turbo run build --filter=@tripwire/web --filter=@tripwire/engine --output-logs=errors-only >/dev/null

creds="$(node apps/web/src/cli/seed-demo.ts)"
LOGS="$ROOT/.data/logs"
mkdir -p "$LOGS"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
