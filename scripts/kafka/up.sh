#!/usr/bin/env bash
# Start a local single-node Apache Kafka (KRaft) for Tripwire and make sure its topics exist.
#
#   scripts/kafka/up.sh
#
# - If a broker already answers at $KAFKA_BROKERS (default 127.0.0.1:9092), it is used as is.
# - Otherwise the real Kafka broker (jars from Maven Central, cached in .tools/kafka/<version>/)
#   is started detached with data, logs and pid under .data/kafka/; stop it with down.sh.
# - Topics: ${EVENTS_TOPIC:-tripwire.events} (${EVENTS_PARTITIONS:-6} partitions) and
#   ${DLQ_TOPIC:-tripwire.events.dlq} (${DLQ_PARTITIONS:-3} partitions), created if missing.
# Needs only bash, Java >= 17 and (for the first download) Maven. See lib.sh for all knobs.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lib.sh"

EVENTS_TOPIC="${EVENTS_TOPIC:-tripwire.events}"
EVENTS_PARTITIONS="${EVENTS_PARTITIONS:-6}"
DLQ_TOPIC="${DLQ_TOPIC:-tripwire.events.dlq}"
DLQ_PARTITIONS="${DLQ_PARTITIONS:-3}"

case "${1:-}" in
-h | --help)
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
"") ;;
*) kafka_die "unknown argument: $1 (try --help)" ;;
esac

started_at=$SECONDS
kafka_lock
kafka_init_java
kafka_ensure_libs
kafka_write_client_configs

if pid="$(kafka_running_pid)"; then
  kafka_log "broker already running (pid $pid), checking it answers at $KAFKA_BROKERS"
  kafka_wait_ready "$pid"
elif kafka_probe; then
  kafka_log "a broker already answers at $KAFKA_BROKERS; not starting another"
else
  if ! kafka_brokers_are_local; then
    kafka_die "no broker answers at KAFKA_BROKERS=$KAFKA_BROKERS, and it is not a single local address (127.0.0.1/localhost), so none is started"
  fi
  host="$(kafka_broker_host)"
  port="$(kafka_broker_port)"
  for p in "$port" "$KAFKA_CONTROLLER_PORT"; do
    if kafka_port_open "$host" "$p"; then
      [ -s "$KAFKA_PROBE_ERR" ] && tail -n 5 "$KAFKA_PROBE_ERR" >&2
      kafka_die "port $p on $host is in use by something that does not answer as this Kafka broker"
    fi
  done
  kafka_write_broker_configs
  kafka_format_storage
  kafka_start_broker
  kafka_log "starting Kafka $KAFKA_VERSION (pid $KAFKA_STARTED_PID) on 127.0.0.1:$port, logs in $(kafka_rel "$KAFKA_LOG_DIR")"
  kafka_wait_ready "$KAFKA_STARTED_PID"
  kafka_log "broker answers at $KAFKA_BROKERS after $((SECONDS - started_at))s"
fi

kafka_ensure_topic "$EVENTS_TOPIC" "$EVENTS_PARTITIONS"
kafka_ensure_topic "$DLQ_TOPIC" "$DLQ_PARTITIONS"
kafka_warm_group_coordinator
kafka_log "ready at $KAFKA_BROKERS ($((SECONDS - started_at))s)"
