#!/usr/bin/env bash
# Brings up local infrastructure, idempotently: the Kafka broker (real Apache Kafka, KRaft, from
# Maven Central jars) with its topics, and Postgres with the dev/test databases, app role and migrations.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/lib/node.sh"
source "$ROOT/scripts/lib/postgres.sh"

bash "$ROOT/scripts/kafka/up.sh"

ensure_postgres
ensure_node
ensure_deps
echo "[postgres] provisioning databases and migrating"
(cd "$ROOT/packages/db" && node src/provision-cli.ts)
echo "[infra] up: Kafka ${KAFKA_BROKERS:-127.0.0.1:9092}, Postgres $(pg_admin_url | sed -E 's#//[^@]*@#//#')"
