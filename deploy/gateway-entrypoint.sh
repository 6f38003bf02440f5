#!/bin/sh
# The gateway container's start: nginx.conf rendered from this container's environment (the root filesystem
# is read-only: into GATEWAY_RUN_DIR), then nginx in the foreground. Also run natively by the deploy tests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/gateway-require-secret.sh"
run_dir=${GATEWAY_RUN_DIR:?GATEWAY_RUN_DIR is required}
mkdir -p "$run_dir"
PYTHONPATH="$here/.." "${PYTHON:-python3}" "$here/../gateway/render.py" "$run_dir/nginx.conf"
# -e: nginx opens its compiled-in error log before reading the configuration; that path is not writable here.
exec "${NGINX:-nginx}" -e stderr -p "$run_dir" -c "$run_dir/nginx.conf"
