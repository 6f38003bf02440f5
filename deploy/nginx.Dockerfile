# The gateway: gateway/nginx.conf.j2 rendered for containers at build time, served by unprivileged nginx.
#   docker build -f deploy/nginx.Dockerfile -t dcc-gateway .
# Each upstream is a service name that the platform balances (a Kubernetes Service; in compose a name with one
# address per replica, all of which nginx takes at start), or a list of instances given at build time:
#   docker build --build-arg GATEWAY_UPSTREAM_WORKLOAD="workload-a:8000 workload-b:8000" …
FROM python:3.11.7-slim-bookworm AS render
WORKDIR /src
RUN pip install --no-cache-dir Jinja2==3.1.6
COPY gateway/nginx.conf.j2 gateway/render.py gateway/
COPY shared/__init__.py shared/config.py shared/
ARG GATEWAY_UPSTREAM_SSO=sso:8000 \
    GATEWAY_UPSTREAM_PORTAL=portal:8000 \
    GATEWAY_UPSTREAM_WORKLOAD=workload:8000 \
    GATEWAY_UPSTREAM_DIRECTORY=directory:8000 \
    GATEWAY_UPSTREAM_NEWS=news:8000
ENV GATEWAY_PORT=8080 \
    GATEWAY_STATIC_DIR=/usr/share/nginx/dcc-static \
    GATEWAY_MIME_TYPES=/etc/nginx/mime.types \
    GATEWAY_ACCESS_LOG="/dev/stdout json" \
    GATEWAY_RUN_AS_ROOT=false \
    GATEWAY_RUN_DIR=/tmp
RUN PYTHONPATH=/src python gateway/render.py /src/nginx.conf

FROM nginxinc/nginx-unprivileged:1.27.3-alpine
COPY --from=render /src/nginx.conf /etc/nginx/dcc.conf
COPY shared/static /usr/share/nginx/dcc-static
USER 101
EXPOSE 8080
CMD ["nginx", "-c", "/etc/nginx/dcc.conf"]
