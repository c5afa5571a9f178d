#!/bin/sh
# First start on an empty volume: the system tables, then the root password, the database and its user, made
# while the server runs without networking, as the official images do. MYSQL_* stands in for any MARIADB_* unset.
set -eu
pick() { eval "v=\${MARIADB_$1:-\${MYSQL_$1:-}}"; printf '%s' "$v"; }
sql_quote() { printf '%s' "$1" | sed "s/'/''/g"; }
datadir=/var/lib/mysql
mkdir -p /run/mysqld
chown mysql:mysql "$datadir" /run/mysqld
if [ ! -d "$datadir/mysql" ]; then
  root_password=$(pick ROOT_PASSWORD)
  if [ -z "$root_password" ] && [ -n "$(pick RANDOM_ROOT_PASSWORD)" ]; then
    root_password=$(head -c 18 /dev/urandom | base64)
    echo "stand-in: GENERATED ROOT PASSWORD: $root_password"
  fi
  [ -n "$root_password" ] || { echo "set MARIADB_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD" >&2; exit 1; }
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
  socket=/run/mysqld/init.sock
  setpriv --reuid=mysql --regid=mysql --init-groups mariadbd --datadir="$datadir" --skip-networking \
    --socket="$socket" &
  pid=$!
  tries=0
  until mariadb-admin --socket="$socket" -u root ping >/dev/null 2>&1; do
    tries=$((tries + 1)); [ "$tries" -lt 120 ] || { echo "the first-start server never answered" >&2; exit 1; }
    sleep 0.5
  done
  db=$(pick DATABASE); user=$(pick USER); password=$(pick PASSWORD)
  {
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(sql_quote "$root_password")';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$(sql_quote "$root_password")';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    [ -z "$db" ] || echo "CREATE DATABASE \`$db\`;"
    if [ -n "$user" ]; then
      echo "CREATE USER '$(sql_quote "$user")'@'%' IDENTIFIED BY '$(sql_quote "$password")';"
      [ -z "$db" ] || echo "GRANT ALL ON \`$db\`.* TO '$(sql_quote "$user")'@'%';"
    fi
  } | mariadb --socket="$socket" -u root
  kill "$pid"; wait "$pid" || true
  echo "stand-in: initialised $datadir (database ${db:-none}, user ${user:-none})"
fi
# log_warnings=1: the health checks' anonymous pings are not logged as denied logins every 5 s.
exec setpriv --reuid=mysql --regid=mysql --init-groups mariadbd --datadir="$datadir" --bind-address=0.0.0.0 \
  --port=3306 --socket=/run/mysqld/mysqld.sock --log-warnings=1
