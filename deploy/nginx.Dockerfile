# The gateway: gateway/nginx.conf.j2 rendered for containers at build time, served by unprivileged nginx.
#   docker build -f deploy/nginx.Dockerfile -t dcc-gateway .
# Each upstream is a service name that the platform balances (a Kubernetes Service; in compose a name with one
# address per replica, all of which nginx takes at start), or a list of instances given at build time:
#   docker build --build-arg GATEWAY_UPSTREAM_WORKLOAD="workload-a:8000 workload-b:8000" …
# Behind an ingress controller, name the addresses it connects from (its pods' range, nothing wider), so that
# its X-Forwarded-For and X-Forwarded-Proto are believed and nobody else's:
#   docker build --build-arg GATEWAY_TRUSTED_PROXIES="10.244.3.0/24" …
# DCC_GATEWAY_SECRET (shared with the services) is a secret, never part of the image: the rendered file holds
# ${DCC_GATEWAY_SECRET}, which the image's entrypoint fills in from the container's environment at start.
FROM python:3.11.7-slim-bookworm AS render
WORKDIR /src
RUN pip install --no-cache-dir Jinja2==3.1.6
COPY gateway/nginx.conf.j2 gateway/render.py gateway/
COPY shared/__init__.py shared/config.py shared/statuses.py shared/
ARG GATEWAY_UPSTREAM_SSO=sso:8000 \
    GATEWAY_UPSTREAM_PORTAL=portal:8000 \
    GATEWAY_UPSTREAM_WORKLOAD=workload:8000 \
    GATEWAY_UPSTREAM_DIRECTORY=directory:8000 \
    GATEWAY_UPSTREAM_NEWS=news:8000 \
    GATEWAY_TRUSTED_PROXIES=""
ENV GATEWAY_PORT=8080 \
    GATEWAY_STATIC_DIR=/usr/share/nginx/dcc-static \
    GATEWAY_ERRORS_DIR=/usr/share/nginx/dcc-errors \
    GATEWAY_MIME_TYPES=/etc/nginx/mime.types \
    GATEWAY_ACCESS_LOG="/dev/stdout json" \
    GATEWAY_RUN_AS_ROOT=false \
    GATEWAY_RUN_DIR=/tmp
RUN DCC_GATEWAY_SECRET='${DCC_GATEWAY_SECRET}' PYTHONPATH=/src python gateway/render.py /src/dcc.conf.template

FROM nginxinc/nginx-unprivileged:1.27.3-alpine
# The official entrypoint substitutes the DCC_ variables of templates/*.template into /tmp (the root is read-only).
ENV NGINX_ENVSUBST_TEMPLATE_DIR=/etc/nginx/templates \
    NGINX_ENVSUBST_OUTPUT_DIR=/tmp \
    NGINX_ENVSUBST_FILTER=^DCC_
COPY --from=render /src/dcc.conf.template /etc/nginx/templates/dcc.conf.template
COPY deploy/gateway-require-secret.sh /docker-entrypoint.d/05-require-secret.sh
COPY shared/static /usr/share/nginx/dcc-static
COPY gateway/errors /usr/share/nginx/dcc-errors
USER 101
EXPOSE 8080
CMD ["nginx", "-c", "/tmp/dcc.conf"]
