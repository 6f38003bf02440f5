# The gateway: Debian's nginx (the very build `make test` runs), configured when the container starts from
# its environment by the same gateway/render.py as on a laptop, so every GATEWAY_* setting of the README works
# in a container too (deploy/gateway-entrypoint.sh).
#   docker build -f deploy/nginx.Dockerfile -t dla-dcc/gateway:0.2.0 .
# Each upstream is a service name that the platform balances (a Kubernetes Service; in compose a name with one
# address per replica, all of which nginx takes at start), or a list of instances:
#   docker run -e GATEWAY_UPSTREAM_WORKLOAD="workload-a:8000 workload-b:8000" …
# DCC_GATEWAY_SECRET (shared with the services) is a secret, never part of the image: it comes from the
# container's environment, and the container does not start without a strong one.
FROM python:3.11.7-slim-bookworm

# Debian 12's nginx, unpinned on purpose: the archive keeps only the newest security release of 1.22.1.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled \
    && pip install --no-cache-dir Jinja2==3.1.6 \
    && useradd --system --uid 101 --no-create-home dcc-gateway

WORKDIR /app
COPY gateway/nginx.conf.j2 gateway/render.py gateway/
COPY shared/__init__.py shared/config.py shared/statuses.py shared/
COPY shared/static /usr/share/nginx/dcc-static
COPY gateway/errors /usr/share/nginx/dcc-errors
COPY deploy/gateway-entrypoint.sh deploy/gateway-require-secret.sh deploy/

ENV PYTHONDONTWRITEBYTECODE=1 \
    GATEWAY_PORT=8080 \
    GATEWAY_UPSTREAM_SSO=sso:8000 \
    GATEWAY_UPSTREAM_PORTAL=portal:8000 \
    GATEWAY_UPSTREAM_WORKLOAD=workload:8000 \
    GATEWAY_UPSTREAM_DIRECTORY=directory:8000 \
    GATEWAY_UPSTREAM_NEWS=news:8000 \
    GATEWAY_WORKERS=1 \
    GATEWAY_STATIC_DIR=/usr/share/nginx/dcc-static \
    GATEWAY_ERRORS_DIR=/usr/share/nginx/dcc-errors \
    GATEWAY_MIME_TYPES=/etc/nginx/mime.types \
    GATEWAY_ACCESS_LOG="/dev/stdout json" \
    GATEWAY_RUN_AS_ROOT=false \
    GATEWAY_RUN_DIR=/tmp/nginx
USER 101
EXPOSE 8080
# nginx stops gracefully on SIGQUIT (requests under way finish); SIGTERM would cut them off.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/app/deploy/gateway-entrypoint.sh"]
