# shellcheck shell=bash disable=SC2034
# Shared helpers for scripts/kafka/up.sh and scripts/kafka/down.sh. Source it, don't run it.
#
# Layout (all relative to the repo root, i.e. this directory's ../..):
#   .tools/kafka/<version>/libs/    broker + tools jars, fetched from Maven Central via pom.xml
#   .tools/kafka/<version>/.complete  marker written after a complete download
#   .data/kafka/data/               KRaft metadata + topic data
#   .data/kafka/logs/               server.log (log4j2) and kafka.out (JVM stdout/stderr)
#   .data/kafka/conf/               rendered server.properties, log4j2 and admin-client configs
#   .data/kafka/kafka.pid           pid of the broker started by up.sh
#   .data/kafka/cluster.id          cluster id used when the storage was formatted
#
# Environment knobs (all optional):
#   KAFKA_BROKERS         bootstrap servers to check/use        (default 127.0.0.1:9092)
#   KAFKA_VERSION         Apache Kafka version to fetch          (default 4.3.1)
#   KAFKA_CONTROLLER_PORT KRaft controller port of local broker  (default 9093)
#   KAFKA_START_TIMEOUT   seconds to wait for the broker         (default 90)
#   KAFKA_STOP_TIMEOUT    seconds to wait after SIGTERM          (default 30)
#   KAFKA_HEAP_OPTS       broker heap                            (default -Xmx768m -Xms256m)
#   JAVA_HOME             if set, $JAVA_HOME/bin/java is used instead of java from PATH

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
KAFKA_REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd -P)"

KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx768m -Xms256m}"
KAFKA_NODE_ID=1

KAFKA_TOOLS_DIR="$KAFKA_REPO_ROOT/.tools/kafka/$KAFKA_VERSION"
KAFKA_LIBS_DIR="$KAFKA_TOOLS_DIR/libs"
KAFKA_LIBS_MARKER="$KAFKA_TOOLS_DIR/.complete"

KAFKA_DATA_ROOT="$KAFKA_REPO_ROOT/.data/kafka"
KAFKA_DATA_DIR="$KAFKA_DATA_ROOT/data"
KAFKA_LOG_DIR="$KAFKA_DATA_ROOT/logs"
KAFKA_CONF_DIR="$KAFKA_DATA_ROOT/conf"
KAFKA_PID_FILE="$KAFKA_DATA_ROOT/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DATA_ROOT/cluster.id"
KAFKA_LOCK_FILE="$KAFKA_DATA_ROOT/.lock"
KAFKA_SERVER_PROPS="$KAFKA_CONF_DIR/server.properties"
KAFKA_ADMIN_PROPS="$KAFKA_CONF_DIR/admin.properties"
KAFKA_BROKER_LOG4J="$KAFKA_CONF_DIR/log4j2.properties"
KAFKA_TOOLS_LOG4J="$KAFKA_CONF_DIR/tools-log4j2.properties"
KAFKA_PROBE_ERR="$KAFKA_LOG_DIR/probe.err"

KAFKA_JAVA=""
KAFKA_TOPICS_OUT=""
KAFKA_STARTED_PID=""

kafka_log() { printf '[kafka] %s\n' "$*"; }
kafka_warn() { printf '[kafka] WARNING: %s\n' "$*" >&2; }
kafka_die() {
  printf '[kafka] ERROR: %s\n' "$*" >&2
  exit 1
}

# Path relative to the repo root, for messages.
kafka_rel() { printf '%s' "${1#"$KAFKA_REPO_ROOT"/}"; }

# Serialise up.sh/down.sh runs of this checkout (no-op where flock is missing, e.g. macOS).
# Uses fd 9; anything long-lived started while holding it must close it (9>&-).
kafka_lock() {
  mkdir -p "$KAFKA_DATA_ROOT"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$KAFKA_LOCK_FILE"
  if ! flock -w 600 9; then
    kafka_die "another scripts/kafka/up.sh or down.sh holds $(kafka_rel "$KAFKA_LOCK_FILE")"
  fi
}

kafka_init_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    KAFKA_JAVA="$JAVA_HOME/bin/java"
  else
    if [ -n "${JAVA_HOME:-}" ]; then
      kafka_warn "JAVA_HOME=$JAVA_HOME has no bin/java; using java from PATH"
    fi
    KAFKA_JAVA="$(command -v java 2>/dev/null || true)"
    [ -n "$KAFKA_JAVA" ] || kafka_die "java not found: install a JDK/JRE >= 17 or set JAVA_HOME"
  fi
  local ver major
  ver="$("$KAFKA_JAVA" -version 2>&1 </dev/null | awk -F'"' '/version/ { print $2; exit }')"
  major="${ver%%.*}"
  if [ "$major" = "1" ]; then
    major="$(printf '%s' "$ver" | cut -d. -f2)"
  fi
  major="${major%%[!0-9]*}"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    kafka_die "Kafka $KAFKA_VERSION needs Java >= 17, but $KAFKA_JAVA is '${ver:-unknown}'"
  fi
}

# Fetch the broker/tool jars into .tools/kafka/<version>/libs unless a complete copy is there.
kafka_ensure_libs() {
  local pom="$KAFKA_SCRIPT_DIR/pom.xml" want
  want="kafka=$KAFKA_VERSION pom=$(cksum <"$pom" | awk '{ print $1 }')"
  if [ -f "$KAFKA_LIBS_MARKER" ] && [ -d "$KAFKA_LIBS_DIR" ] &&
    [ "$(cat "$KAFKA_LIBS_MARKER")" = "$want" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || kafka_die "mvn (Maven) not found; it is needed once to fetch the Kafka jars"
  kafka_log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $(kafka_rel "$KAFKA_LIBS_DIR") ..."
  mkdir -p "$KAFKA_TOOLS_DIR"
  rm -rf "$KAFKA_LIBS_DIR" "$KAFKA_LIBS_DIR.partial" "$KAFKA_LIBS_MARKER"
  cp "$pom" "$KAFKA_TOOLS_DIR/pom.xml"
  local mvn_env=()
  if [ -n "${JAVA_HOME:-}" ] && [ ! -x "$JAVA_HOME/bin/java" ]; then
    mvn_env=(-u JAVA_HOME) # mvn refuses to run with a broken JAVA_HOME
  fi
  if ! (cd "$KAFKA_TOOLS_DIR" && env ${mvn_env[@]+"${mvn_env[@]}"} mvn -B -q -Dstyle.color=never -f pom.xml \
    -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIBS_DIR.partial" \
    </dev/null >"$KAFKA_TOOLS_DIR/mvn.log" 2>&1); then
    tail -n 30 "$KAFKA_TOOLS_DIR/mvn.log" >&2 || true
    kafka_die "Maven could not fetch Kafka $KAFKA_VERSION (full log: $(kafka_rel "$KAFKA_TOOLS_DIR/mvn.log"))"
  fi
  local jar
  for jar in "kafka_2.13-$KAFKA_VERSION.jar" "kafka-tools-$KAFKA_VERSION.jar" "kafka-clients-$KAFKA_VERSION.jar"; do
    [ -f "$KAFKA_LIBS_DIR.partial/$jar" ] || kafka_die "download incomplete: $jar missing (see $(kafka_rel "$KAFKA_TOOLS_DIR/mvn.log"))"
  done
  mv "$KAFKA_LIBS_DIR.partial" "$KAFKA_LIBS_DIR"
  printf '%s\n' "$want" >"$KAFKA_LIBS_MARKER"
  kafka_log "fetched $(find "$KAFKA_LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars"
}

# ---------------------------------------------------------------------------
# KAFKA_BROKERS parsing: the first entry decides whether we may start a local broker.
kafka_first_broker() {
  local first="${KAFKA_BROKERS%%,*}"
  first="${first#*://}"
  first="${first// /}"
  printf '%s' "$first"
}
kafka_broker_host() {
  local b
  b="$(kafka_first_broker)"
  b="${b%:*}"
  b="${b#[}"
  printf '%s' "${b%]}"
}
kafka_broker_port() {
  local b
  b="$(kafka_first_broker)"
  case "$b" in
  *:*) printf '%s' "${b##*:}" ;;
  *) printf '9092' ;;
  esac
}
kafka_brokers_are_local() {
  case "$KAFKA_BROKERS" in *,*) return 1 ;; esac
  case "$(kafka_broker_host)" in
  127.0.0.1 | localhost) return 0 ;;
  *) return 1 ;;
  esac
}

# True when something accepts TCP connections on host:port.
kafka_port_open() {
  if command -v timeout >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

# ---------------------------------------------------------------------------
# Process helpers (the broker is not our child, so poll instead of wait).
kafka_pid_alive() {
  local pid="$1" stat state
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/stat" ]; then
    stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
    state="${stat##*) }"
    state="${state%% *}"
    [ "$state" != "Z" ] && [ "$state" != "X" ]
  elif command -v ps >/dev/null 2>&1; then
    state="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
    case "$state" in Z* | "") return 1 ;; esac
  fi
}

kafka_pid_cmdline() {
  if [ -r "/proc/$1/cmdline" ]; then
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
  elif command -v ps >/dev/null 2>&1; then
    ps -o command= -p "$1" 2>/dev/null || true
  fi
}

# Is $1 a live broker started by up.sh of this checkout?
kafka_pid_is_ours() {
  local pid="$1" cmd
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  kafka_pid_alive "$pid" || return 1
  cmd="$(kafka_pid_cmdline "$pid")"
  case "$cmd" in *kafka.Kafka*"$KAFKA_SERVER_PROPS"*) return 0 ;; esac
  return 1
}

# Prints the pid of this checkout's broker, if one runs (pid file first, /proc scan as fallback).
kafka_running_pid() {
  local pid="" f
  if [ -f "$KAFKA_PID_FILE" ]; then
    pid="$(tr -cd '0-9' <"$KAFKA_PID_FILE" 2>/dev/null || true)"
    if kafka_pid_is_ours "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  if [ -d /proc/self ]; then
    for f in $(grep -l -F -- "$KAFKA_SERVER_PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
      pid="${f#/proc/}"
      pid="${pid%/cmdline}"
      if kafka_pid_is_ours "$pid"; then
        printf '%s' "$pid"
        return 0
      fi
    done
  fi
  return 1
}

kafka_tail_logs() {
  local f
  for f in "$KAFKA_LOG_DIR/server.log" "$KAFKA_LOG_DIR/kafka.out"; do
    if [ -s "$f" ]; then
      printf '[kafka] ---- last lines of %s ----\n' "$(kafka_rel "$f")" >&2
      tail -n "${1:-40}" "$f" >&2 || true
    fi
  done
}

# ---------------------------------------------------------------------------
# Config files.
kafka_sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

kafka_write_client_configs() {
  mkdir -p "$KAFKA_CONF_DIR" "$KAFKA_LOG_DIR"
  # Admin client used by the CLI tools: fail fast so readiness polling stays responsive.
  cat >"$KAFKA_ADMIN_PROPS" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=15000
socket.connection.setup.timeout.ms=2000
socket.connection.setup.timeout.max.ms=3000
reconnect.backoff.max.ms=500
retry.backoff.ms=200
EOF
  cat >"$KAFKA_TOOLS_LOG4J" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = STDERR
EOF
}

kafka_write_broker_configs() {
  local host port tmp
  host="127.0.0.1"
  port="$(kafka_broker_port)"
  [ "$port" != "$KAFKA_CONTROLLER_PORT" ] ||
    kafka_die "client port and KAFKA_CONTROLLER_PORT are both $port"
  mkdir -p "$KAFKA_CONF_DIR" "$KAFKA_DATA_DIR" "$KAFKA_LOG_DIR"
  tmp="$KAFKA_SERVER_PROPS.tmp"
  sed \
    -e "s|@NODE_ID@|$KAFKA_NODE_ID|g" \
    -e "s|@QUORUM_VOTERS@|$KAFKA_NODE_ID@$host:$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@CLIENT_HOST@|$host|g" \
    -e "s|@CLIENT_PORT@|$port|g" \
    -e "s|@CONTROLLER_HOST@|$host|g" \
    -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$(kafka_sed_escape "$KAFKA_DATA_DIR")|g" \
    "$KAFKA_SCRIPT_DIR/server.properties.tmpl" >"$tmp"
  if grep -v '^[[:space:]]*#' "$tmp" | grep -q '@[A-Z_]*@'; then
    kafka_die "unfilled placeholder in server.properties.tmpl: $(grep -v '^[[:space:]]*#' "$tmp" | grep -o '@[A-Z_]*@' | head -n 1)"
  fi
  mv "$tmp" "$KAFKA_SERVER_PROPS"

  cat >"$KAFKA_BROKER_LOG4J" <<'EOF'
status = warn
name = tripwire-kafka
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 5
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
}

# ---------------------------------------------------------------------------
# Running Kafka classes.

# Short-lived CLI tool JVM (TopicCommand, StorageTool).
kafka_tool() {
  "$KAFKA_JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" \
    -cp "$KAFKA_LIBS_DIR/*" "$@" </dev/null
}

# Lists topics at KAFKA_BROKERS into KAFKA_TOPICS_OUT: a real client round trip.
kafka_list_topics() {
  local out
  if out="$(kafka_tool org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$KAFKA_BROKERS" --command-config "$KAFKA_ADMIN_PROPS" \
    --list 2>"$KAFKA_PROBE_ERR")"; then
    KAFKA_TOPICS_OUT="$out"
    return 0
  fi
  return 1
}

# Does a Kafka broker answer at KAFKA_BROKERS right now?
kafka_probe() {
  : >"$KAFKA_PROBE_ERR"
  if kafka_brokers_are_local && ! kafka_port_open "$(kafka_broker_host)" "$(kafka_broker_port)"; then
    return 1
  fi
  kafka_list_topics
}

kafka_format_storage() {
  if [ -f "$KAFKA_DATA_DIR/meta.properties" ]; then
    return 0
  fi
  local id=""
  if [ -s "$KAFKA_CLUSTER_ID_FILE" ]; then
    id="$(tr -cd 'A-Za-z0-9_-' <"$KAFKA_CLUSTER_ID_FILE")"
  fi
  while [ "${#id}" -ne 22 ] || [ "${id#-}" != "$id" ]; do
    # 16 random bytes, URL-safe base64 without padding: the shape of a Kafka Uuid.
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  printf '%s\n' "$id" >"$KAFKA_CLUSTER_ID_FILE"
  kafka_log "formatting storage in $(kafka_rel "$KAFKA_DATA_DIR") (cluster id $id)"
  if ! kafka_tool kafka.tools.StorageTool format --cluster-id "$id" \
    --config "$KAFKA_SERVER_PROPS" --ignore-formatted \
    >"$KAFKA_LOG_DIR/format.log" 2>&1; then
    cat "$KAFKA_LOG_DIR/format.log" >&2 || true
    kafka_die "formatting KRaft storage failed"
  fi
}

kafka_start_broker() {
  local heap perf
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  perf=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
  rm -f "$KAFKA_PID_FILE"
  printf '\n===== %s starting Kafka %s =====\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$KAFKA_VERSION" \
    >>"$KAFKA_LOG_DIR/kafka.out"
  # The inner bash records its own pid and then execs java, so the pid file holds the JVM's pid.
  # setsid (where available) + nohup detach it from this shell's session and terminal.
  local launcher=(nohup)
  if command -v setsid >/dev/null 2>&1; then
    launcher=(setsid nohup)
  fi
  # shellcheck disable=SC2016 # expanded by the inner bash
  "${launcher[@]}" bash -c 'printf "%s\n" "$$" >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
    "$KAFKA_PID_FILE" \
    "$KAFKA_JAVA" "${heap[@]}" "${perf[@]}" \
    -Dkafka.logs.dir="$KAFKA_LOG_DIR" \
    -Dlog4j2.configurationFile="$KAFKA_BROKER_LOG4J" \
    -cp "$KAFKA_LIBS_DIR/*" kafka.Kafka "$KAFKA_SERVER_PROPS" \
    </dev/null >>"$KAFKA_LOG_DIR/kafka.out" 2>&1 9>&- &
  local _
  for _ in $(seq 1 50); do
    [ -s "$KAFKA_PID_FILE" ] && break
    sleep 0.1
  done
  [ -s "$KAFKA_PID_FILE" ] || kafka_die "broker process did not start (see $(kafka_rel "$KAFKA_LOG_DIR/kafka.out"))"
  KAFKA_STARTED_PID="$(tr -cd '0-9' <"$KAFKA_PID_FILE")"
}

# Waits until the broker answers a real admin request; fails early if the process dies.
kafka_wait_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while :; do
    if [ -n "$pid" ] && ! kafka_pid_alive "$pid"; then
      kafka_tail_logs 40
      rm -f "$KAFKA_PID_FILE"
      kafka_die "broker process $pid exited during startup"
    fi
    if kafka_probe; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      kafka_tail_logs 40
      if [ -s "$KAFKA_PROBE_ERR" ]; then
        printf '[kafka] ---- last probe error ----\n' >&2
        tail -n 10 "$KAFKA_PROBE_ERR" >&2 || true
      fi
      kafka_die "broker at $KAFKA_BROKERS did not answer within ${KAFKA_START_TIMEOUT}s (it is left running; scripts/kafka/down.sh stops it)"
    fi
    sleep 1
  done
}

# Creates a topic unless KAFKA_TOPICS_OUT (from the last probe) already lists it.
kafka_ensure_topic() {
  local name="$1" partitions="$2" out
  if grep -Fxq -- "$name" <<<"$KAFKA_TOPICS_OUT"; then
    kafka_log "topic $name exists"
    return 0
  fi
  if ! out="$(kafka_tool org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$KAFKA_BROKERS" --command-config "$KAFKA_ADMIN_PROPS" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" 2>&1)"; then
    printf '%s\n' "$out" >&2
    kafka_die "could not create topic $name"
  fi
  kafka_log "topic $name created ($partitions partitions)"
}

# On a fresh cluster, have the broker create and load __consumer_offsets now (a FindCoordinator
# round trip via describing a non-existent group), so the first consumer group of a test does
# not hit "group coordinator is not available" retries. Best effort.
kafka_warm_group_coordinator() {
  if grep -Fxq -- "__consumer_offsets" <<<"$KAFKA_TOPICS_OUT"; then
    return 0
  fi
  if kafka_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
    --bootstrap-server "$KAFKA_BROKERS" --command-config "$KAFKA_ADMIN_PROPS" \
    --describe --group tripwire.up.warmup >/dev/null 2>&1; then
    kafka_log "group coordinator ready"
  else
    kafka_warn "group coordinator warm-up failed (harmless; consumers will retry)"
  fi
}
