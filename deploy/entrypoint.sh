#!/bin/sh
# The services' image:
#   entrypoint.sh            serve SERVICE (sso portal workload directory news) with gunicorn
#   entrypoint.sh migrate    bring the databases of SERVICES (default: all five) to the newest migration, once
#                            per release (Kubernetes: the migrate Job; compose: the migrate service, which also
#                            makes the media buckets with DCC_CREATE_BUCKETS=true)
#   entrypoint.sh wait       wait until SERVICE's database is at the newest migration (a pod's init container:
#                            new code never serves an old schema)
# Migrations use <SERVICE>_MIGRATION_DATABASE_URL, a role that may change the schema; the services serve with
# <SERVICE>_DATABASE_URL, a role that may only read and write rows. Without a migration URL the serving URL is
# used for both (a laptop, a single-user database). MIGRATE=true makes a serving container migrate first.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)  # /app in the image; a checkout when the deploy tests run it

migrations_of() {
  case "$1" in
    sso) echo "$root/gateway/migrations" ;;
    portal|workload|directory|news) echo "$root/services/$1/migrations" ;;
    *) echo "SERVICE must be sso, portal, workload, directory or news, got '$1'" >&2; exit 64 ;;
  esac
}

url_of() {  # url_of SERVICE SUFFIX: the value of <SERVICE><SUFFIX>, or nothing
  var=$(echo "$1$2" | tr '[:lower:]' '[:upper:]')
  eval "echo \"\${$var:-}\""
}

migrate() {
  dir=$(migrations_of "$1")
  url=$(url_of "$1" _MIGRATION_DATABASE_URL)
  [ -n "$url" ] || url=$(url_of "$1" _DATABASE_URL)
  [ -n "$url" ] || { echo "$(echo "$1" | tr '[:lower:]' '[:upper:]')_DATABASE_URL is required" >&2; exit 64; }
  echo "migrating $1" >&2
  python -m shared.migrations "$dir" "$url"
  if [ "$1" = portal ]; then
    # The starting content written from the user manual, into an empty portal only (never over edits).
    PORTAL_DATABASE_URL="$url" flask --app portal load-content
  fi
}

if [ "${1:-serve}" = migrate ]; then
  for service in ${SERVICES:-sso portal workload directory news}; do
    migrate "$service"
  done
  # Compose's MinIO starts without buckets; in Kubernetes they are the platform's, and this stays off.
  if [ "${DCC_CREATE_BUCKETS:-false}" = true ]; then
    for service in news portal; do python -m shared.storage ensure "$service"; done
  fi
  exit 0
fi

dir=$(migrations_of "${SERVICE:-}")
url=$(url_of "$SERVICE" _DATABASE_URL)
[ -n "$url" ] || { echo "$(echo "$SERVICE" | tr '[:lower:]' '[:upper:]')_DATABASE_URL is required" >&2; exit 64; }
if [ "${1:-serve}" = wait ]; then
  exec python -m shared.migrations --wait "$dir" "$url"
fi
if [ "${MIGRATE:-true}" = "true" ]; then
  migrate "$SERVICE"
fi
exec gunicorn -c "$root/deploy/gunicorn.conf.py" --name "dcc-$SERVICE" "$SERVICE:create_app()"
