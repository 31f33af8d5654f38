#!/usr/bin/env bash
# Runs a command with Node >= 22.12 first on PATH (installing Node 24 if needed)
# and the workspace's packages installed.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
ensure_node
ensure_deps
exec "$@"
