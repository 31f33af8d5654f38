#!/usr/bin/env bash
# The README's first command: installs what is missing, brings up Kafka and Postgres, migrates,
# creates the demo tenant, builds and starts the web app and the engine, and prints where to go.
# Stays in the foreground; Ctrl-C stops web and engine (`npm run infra:down` stops Kafka).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib/bring-up.sh

(cd apps/engine && WEBHOOK_ALLOWED_HOSTS="${WEBHOOK_ALLOWED_HOSTS:-127.0.0.1}" exec node --max-old-space-size=256 --max-semi-space-size=16 dist/main.js) >>"$LOGS/engine.log" 2>&1 &
pids+=($!)
(cd apps/web && WEBHOOK_ALLOWED_HOSTS="${WEBHOOK_ALLOWED_HOSTS:-127.0.0.1}" NODE_ENV=production exec node server.ts) >>"$LOGS/web.log" 2>&1 &
pids+=($!)

WEB_URL="${PUBLIC_URL:-http://localhost:${WEB_PORT:-3000}}"
ENGINE_URL="http://127.0.0.1:${ENGINE_PORT:-3001}"
wait_for() { # name url
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "[$1] exited; see $LOGS" >&2; tail -20 "$LOGS"/*.log >&2; exit 1; }; done
    sleep 1
  done
  echo "[$1] did not answer at $2; see $LOGS" >&2
  exit 1
}
wait_for web "http://127.0.0.1:${WEB_PORT:-3000}/healthz"
wait_for engine "$ENGINE_URL/health"

field() { node -e 'process.stdout.write(JSON.parse(process.argv[1])[process.argv[2]])' "$creds" "$1"; }
cat <<BANNER

  Tripwire is running.

    Open          $WEB_URL
    Login         $(field email)  /  $(field password)
    Tenant        $(field tenantId)
    Write key     $(field writeKey)     (scope: ingest)
    Admin key     $(field adminKey)     (scope: admin)
    Engine        $ENGINE_URL/health  ·  $ENGINE_URL/metrics
    Web metrics   http://127.0.0.1:${WEB_METRICS_PORT:-3002}/metrics
    Dashboards    with Docker: docker compose up prometheus grafana (Grafana on :3003);
                  without: prometheus --config.file=ops/prometheus/prometheus.local.yml,
                  then import ops/grafana/dashboards/tripwire-operations.json (see ops/README.md)
    Logs          $LOGS/web.log, $LOGS/engine.log

  Ctrl-C stops web and engine; \`npm run infra:down\` stops Kafka.

BANNER
wait -n "${pids[@]}" || true
echo "a process exited; stopping" >&2
