#!/usr/bin/env bash
# Stops what infra:up started (the Kafka broker). Postgres is the machine's own server and keeps running.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/kafka/down.sh" "$@"
