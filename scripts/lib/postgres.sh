# Sourced by infra scripts: makes sure a Postgres server answers for DATABASE_ADMIN_URL.
# Only the machine's own local server is ever started here; a remote DATABASE_ADMIN_URL is used as is.

pg_admin_url() { echo "${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/tripwire}"; }

pg_answers() {
  local url; url="$(pg_admin_url)"
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -d "$url" -t 3
  else
    (exec 3<>"/dev/tcp/127.0.0.1/5432") 2>/dev/null
  fi
}

ensure_postgres() {
  if pg_answers; then return 0; fi
  local url; url="$(pg_admin_url)"
  case "$url" in
    *@127.0.0.1:5432/*|*@localhost:5432/*|*@127.0.0.1/*|*@localhost/*) ;;
    *) echo "[postgres] $url does not answer" >&2; return 1 ;;
  esac
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version; version="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "[postgres] local server is down; starting cluster $version/main" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_answers && return 0; sleep 1; done
  fi
  echo "[postgres] no server answers at $url; start PostgreSQL or set DATABASE_ADMIN_URL" >&2
  return 1
}
