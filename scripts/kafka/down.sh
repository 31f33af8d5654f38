#!/usr/bin/env bash
# Stop the local Kafka broker started by scripts/kafka/up.sh.
#
#   scripts/kafka/down.sh          stop it (SIGTERM, then SIGKILL after $KAFKA_STOP_TIMEOUT s, default 30)
#   scripts/kafka/down.sh --wipe   stop it and delete .data/kafka (topics, offsets, logs)
#
# Idempotent: nothing running is not an error. A broker not started by up.sh is left alone.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lib.sh"

wipe=0
for arg in "$@"; do
  case "$arg" in
  --wipe) wipe=1 ;;
  -h | --help)
    sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) kafka_die "unknown argument: $arg (try --help)" ;;
  esac
done

if [ ! -d "$KAFKA_DATA_ROOT" ]; then
  kafka_log "broker not running (no $(kafka_rel "$KAFKA_DATA_ROOT"))"
  exit 0
fi

kafka_lock

if pid="$(kafka_running_pid)"; then
  kafka_log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kafka_pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  if kafka_pid_alive "$pid"; then
    kafka_warn "broker did not stop within ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kafka_pid_alive "$pid" || break
      sleep 0.1
    done
    kafka_pid_alive "$pid" && kafka_die "broker (pid $pid) is still alive after SIGKILL"
  fi
  kafka_log "broker stopped"
else
  kafka_log "broker not running"
fi
rm -f "$KAFKA_PID_FILE"

if [ "$wipe" = 1 ]; then
  case "$KAFKA_DATA_ROOT" in
  */.data/kafka) rm -rf "$KAFKA_DATA_ROOT" ;;
  *) kafka_die "refusing to wipe unexpected path $KAFKA_DATA_ROOT" ;;
  esac
  kafka_log "wiped $(kafka_rel "$KAFKA_DATA_ROOT")"
fi
