#!/usr/bin/env bash
# `npm run cluster -- --web 2 --engines 3`: several web processes and several engines on one
# machine, against the same Kafka and Postgres, as production runs them behind a load balancer.
# The engines share one consumer group (the partitions of tripwire.events are split between them)
# and one pg-boss schema; each web and engine has its own ports:
#   web i (0-based):    WEB_PORT = CLUSTER_WEB_PORT + i          (default 3000, 3001, ...)
#                       WEB_METRICS_PORT = CLUSTER_WEB_METRICS_PORT + i   (default 3100, ...)
#   engine j:           ENGINE_PORT = CLUSTER_ENGINE_PORT + j    (/health, /metrics; default 3200, ...)
# Stays in the foreground. Kill one process (kill -9 <pid>) to watch the others take over; the
# rest keep running. Ctrl-C stops them all (`npm run infra:down` stops Kafka).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

WEBS=2
ENGINES=2
usage() { echo "usage: npm run cluster -- [--web N] [--engines M]   (1 <= N, M <= 16)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --web | --webs) WEBS="${2:-}"; shift 2 || usage ;;
    --engine | --engines) ENGINES="${2:-}"; shift 2 || usage ;;
    -h | --help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
for n in "$WEBS" "$ENGINES"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 16 ] || usage
done
WEB_BASE="${CLUSTER_WEB_PORT:-3000}"
WEB_METRICS_BASE="${CLUSTER_WEB_METRICS_PORT:-3100}"
ENGINE_BASE="${CLUSTER_ENGINE_PORT:-3200}"

source scripts/lib/bring-up.sh
names=()

# Engines: the shipped bundle with its start flags, one consumer group (KAFKA_GROUP_ID as configured).
for j in $(seq 0 $((ENGINES - 1))); do
  (cd apps/engine && ENGINE_PORT=$((ENGINE_BASE + j)) KAFKA_CLIENT_ID="tripwire-engine-$j" \
    WEBHOOK_ALLOWED_HOSTS="${WEBHOOK_ALLOWED_HOSTS:-127.0.0.1}" \
    exec node --max-old-space-size=256 --max-semi-space-size=16 dist/main.js) >>"$LOGS/engine-$j.log" 2>&1 &
  pids+=($!)
  names+=("engine-$j")
done
for i in $(seq 0 $((WEBS - 1))); do
  (cd apps/web && NODE_ENV=production WEB_PORT=$((WEB_BASE + i)) WEB_METRICS_PORT=$((WEB_METRICS_BASE + i)) \
    WEBHOOK_ALLOWED_HOSTS="${WEBHOOK_ALLOWED_HOSTS:-127.0.0.1}" exec node server.ts) >>"$LOGS/web-$i.log" 2>&1 &
  pids+=($!)
  names+=("web-$i")
done

wait_for() { # name url
  for _ in $(seq 1 90); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "[$1] a process exited while starting; see $LOGS" >&2; tail -20 "$LOGS"/*.log >&2; exit 1; }
    done
    sleep 1
  done
  echo "[$1] did not answer at $2; see $LOGS" >&2
  exit 1
}
for i in $(seq 0 $((WEBS - 1))); do wait_for "web-$i" "http://127.0.0.1:$((WEB_BASE + i))/healthz"; done
for j in $(seq 0 $((ENGINES - 1))); do wait_for "engine-$j" "http://127.0.0.1:$((ENGINE_BASE + j))/health"; done

field() { node -e 'process.stdout.write(JSON.parse(process.argv[1])[process.argv[2]])' "$creds" "$1"; }
echo
echo "  Tripwire cluster: $WEBS web, $ENGINES engines (consumer group ${KAFKA_GROUP_ID:-tripwire-engine})."
echo
echo "    Login         $(field email)  /  $(field password)"
echo "    Write key     $(field writeKey)     (scope: ingest)"
echo "    Admin key     $(field adminKey)     (scope: admin)"
for i in $(seq 0 $((WEBS - 1))); do
  printf '    %-13s http://localhost:%s  ·  metrics http://127.0.0.1:%s/metrics  ·  pid %s\n' \
    "web-$i" $((WEB_BASE + i)) $((WEB_METRICS_BASE + i)) "${pids[$((ENGINES + i))]}"
done
for j in $(seq 0 $((ENGINES - 1))); do
  printf '    %-13s http://127.0.0.1:%s/health  ·  /metrics  ·  pid %s\n' "engine-$j" $((ENGINE_BASE + j)) "${pids[$j]}"
done
echo "    Logs          $LOGS/web-*.log, $LOGS/engine-*.log"
echo
echo "  Ctrl-C stops them all; a process that dies is reported and the others keep running."
echo

# Report each exit; keep serving with the rest until none is left (or Ctrl-C).
live=("${pids[@]}")
while [ "${#live[@]}" -gt 0 ]; do
  exited=""
  wait -n -p exited "${live[@]}" && code=0 || code=$?
  [ -n "$exited" ] || break
  rest=()
  for idx in "${!pids[@]}"; do
    [ "${pids[$idx]}" = "$exited" ] && echo "[${names[$idx]}] pid $exited exited ($code); see $LOGS/${names[$idx]}.log" >&2
  done
  for pid in "${live[@]}"; do [ "$pid" = "$exited" ] || rest+=("$pid"); done
  live=("${rest[@]}")
done
