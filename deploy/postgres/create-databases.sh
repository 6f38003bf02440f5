#!/bin/sh
# The postgres container's first start (docker-entrypoint-initdb.d): one database per service (no service
# reads another's tables), each with its owner role for migrations and a role for the service that may only
# read and write rows (roles.sql). compose gives every role the one POSTGRES_PASSWORD; production gives each
# its own.
set -eu
for service in sso portal workload directory news; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v service="$service" -v owner_password="$POSTGRES_PASSWORD" -v app_password="$POSTGRES_PASSWORD" \
       -f /docker-entrypoint-initdb.d/roles.sql.in
done
