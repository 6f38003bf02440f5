# PgBouncer between the services and PostgreSQL (docs/operations.md "Connection budget"): Debian 12's build,
# the one the tests run. Configured at start from the environment (deploy/pgbouncer-entrypoint.sh).
#   docker build -f deploy/pgbouncer.Dockerfile -t dla-dcc/pgbouncer:0.2.0 .
FROM debian:12.11-slim

# Unpinned on purpose: the archive keeps only the newest security release of 1.18.
RUN apt-get update \
    && apt-get install -y --no-install-recommends pgbouncer \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10002 --no-create-home dcc-pgbouncer
COPY deploy/pgbouncer-entrypoint.sh /usr/local/bin/pgbouncer-entrypoint.sh
USER 10002
EXPOSE 6432
# PgBouncer's safe shutdown (transactions under way finish); SIGTERM is its immediate one.
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/pgbouncer-entrypoint.sh"]
