# Sourced by scripts: Debian's Chromium drives the browser tests (playwright-core cannot download
# its own browser here). Installed with apt-get when missing and we are root.

chromium_path() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; return; fi
  for p in /usr/bin/chromium /usr/bin/chromium-browser; do [ -x "$p" ] && { echo "$p"; return; }; done
}

ensure_chromium() {
  [ -n "$(chromium_path)" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[chromium] installing Debian's chromium for the browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null || true
  fi
  [ -n "$(chromium_path)" ] && return 0
  echo "[chromium] not found; install Debian's chromium package (or set CHROMIUM_PATH)" >&2
  return 1
}
