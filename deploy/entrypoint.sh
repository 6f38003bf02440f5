#!/bin/sh
# Migrate this service's database to head (replicas take turns under a PostgreSQL advisory lock),
# then serve it with gunicorn. SERVICE is one of: sso portal workload directory news.
set -eu
case "$SERVICE" in
  sso) migrations=/app/gateway/migrations ;;
  portal|workload|directory|news) migrations=/app/services/$SERVICE/migrations ;;
  *) echo "SERVICE must be sso, portal, workload, directory or news" >&2; exit 64 ;;
esac
url_var=$(echo "${SERVICE}_DATABASE_URL" | tr '[:lower:]' '[:upper:]')
eval "url=\${$url_var:?$url_var is required}"
if [ "${MIGRATE:-true}" = "true" ]; then
  python -m shared.migrations "$migrations" "$url"
fi
exec gunicorn -c /app/deploy/gunicorn.conf.py --name "dcc-$SERVICE" "$SERVICE:create_app()"
