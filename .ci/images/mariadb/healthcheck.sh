#!/bin/sh
# The stand-in's version of the official mariadb image's healthcheck.sh, for the two checks the Compose file asks:
#   --connect             the server answers on TCP (not merely on its socket, which the first start uses)
#   --innodb_initialized  InnoDB has started: mariadbd opens its TCP port only after the storage engines have,
#                         so an answer on TCP covers this too
# Any other argument is refused, so that a Compose file asking for more does not pass here by accident.
for arg in "$@"; do
  case $arg in
    --connect|--innodb_initialized) ;;
    *) echo "healthcheck.sh (stand-in): $arg is not supported" >&2; exit 2 ;;
  esac
done
# ping succeeds when the server answers, even when it refuses this anonymous login.
exec mariadb-admin ping -h 127.0.0.1 -P 3306 --connect-timeout=3 --silent
