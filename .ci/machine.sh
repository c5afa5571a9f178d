# Sourced by .ci/run and benchmarks/run: finds a JDK 21 or newer, and the machine's local database servers.
# Expects say() to be defined by the caller.

# --- a JDK 21 or newer ----------------------------------------------------------------------------
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  if command -v javac >/dev/null 2>&1; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
  local best="" best_major=0 m
  for c in "${candidates[@]}"; do
    m=$(java_major "$c" 2>/dev/null || echo 0); m=${m%%.*}
    if [ "${m:-0}" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best=$c; best_major=$m; fi
  done
  [ -n "$best" ] || { echo "No JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm and PATH)." >&2; exit 1; }
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}

# local_engines: starts the local PostgreSQL and MariaDB servers where they are installed but down, and sets
# PG_URL and MARIADB_URL to their admin URLs (empty for a server this machine does not have).
local_engines() {
  PG_URL=""; MARIADB_URL=""
  postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
  mariadb_up() { mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; }
  wait_for() { local what=$1 check=$2; for _ in $(seq 1 60); do $check && return 0; sleep 1; done; echo "$what did not come up" >&2; return 1; }

  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    if ! postgres_up; then
      say "Starting the local PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
      wait_for PostgreSQL postgres_up
    fi
    PG_URL="postgresql://postgres@127.0.0.1:5432/postgres"
  else
    echo "No local PostgreSQL server on this machine: it is left out."
  fi
  if [ -x /usr/sbin/mariadbd ]; then
    if ! mariadb_up; then
      say "Starting the local MariaDB"
      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
      wait_for MariaDB mariadb_up
    fi
    MARIADB_URL="mariadb://root@127.0.0.1:3306/mysql"
  else
    echo "No local MariaDB server on this machine: it is left out."
  fi
}
