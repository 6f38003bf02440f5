#!/bin/sh
# PgBouncer's configuration from the environment, into /tmp (the root filesystem is read-only), then PgBouncer
# in the foreground. Transaction pooling: a server connection is a client's only for one transaction, so the
# services' many processes share a few (the services run with DCC_PGBOUNCER=true: nothing stays prepared).
#   PGBOUNCER_SERVER_HOST / _PORT   PostgreSQL (required / 5432)
#   PGBOUNCER_USERS_FILE            "user" "password or SCRAM secret" lines: the services' roles (required)
#   PGBOUNCER_POOL_SIZE             server connections per database (default 6)
#   PGBOUNCER_MAX_CLIENTS           client connections in all (default 2000)
#   PGBOUNCER_LISTEN_ADDRESS        where it listens (default every address; the tests' stack: 127.0.0.1)
set -eu
: "${PGBOUNCER_SERVER_HOST:?PGBOUNCER_SERVER_HOST is required}"
: "${PGBOUNCER_USERS_FILE:?PGBOUNCER_USERS_FILE is required}"
conf=${PGBOUNCER_RUN_DIR:-/tmp}/pgbouncer.ini
cat > "$conf" <<INI
[databases]
* = host=${PGBOUNCER_SERVER_HOST} port=${PGBOUNCER_SERVER_PORT:-5432}

[pgbouncer]
listen_addr = ${PGBOUNCER_LISTEN_ADDRESS:-0.0.0.0}
listen_port = ${PGBOUNCER_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${PGBOUNCER_USERS_FILE}
pool_mode = transaction
max_client_conn = ${PGBOUNCER_MAX_CLIENTS:-2000}
default_pool_size = ${PGBOUNCER_POOL_SIZE:-6}
max_db_connections = ${PGBOUNCER_POOL_SIZE:-6}
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 2
tcp_keepalive = 1
tcp_keepidle = 10
tcp_keepintvl = 5
tcp_keepcnt = 3
tcp_user_timeout = 15000
ignore_startup_parameters = extra_float_digits
logfile =
pidfile =
INI
exec pgbouncer "$conf"
