# One image for the SSO app and the four services; SERVICE picks which one a container runs:
#   docker build -f deploy/python.Dockerfile -t dla-dcc/python:0.2.0 .
#   docker run -e SERVICE=workload -e WORKLOAD_DATABASE_URL=... dla-dcc/python:0.2.0
#   docker run -e WORKLOAD_MIGRATION_DATABASE_URL=... dla-dcc/python:0.2.0 migrate   (once per release)
# gunicorn takes every setting from the environment (deploy/gunicorn.conf.py: GUNICORN_*, <SERVICE>_GUNICORN_*);
# its master serves the Prometheus metrics on METRICS_PORT.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app:/app/gateway:/app/services/portal:/app/services/workload:/app/services/directory:/app/services/news \
    DCC_ENV=production \
    DCC_VAR_DIR=/tmp/dcc \
    GUNICORN_BIND=0.0.0.0:8000 \
    METRICS_PORT=9100

# pg_dump and pg_restore of the server's major version (15, compose's server) for the backup CronJob and the
# restore Job, which run this image: they archive the media buckets with shared/storage.py.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY shared shared
COPY gateway gateway
COPY services services
COPY deploy/gunicorn.conf.py deploy/entrypoint.sh deploy/

RUN useradd --system --uid 10001 --no-create-home dcc \
    # the SSO's key and the news and portal uploads: a volume mounted here starts owned by the service's user
    && mkdir -p /var/lib/dcc/keys /var/lib/dcc/news-media /var/lib/dcc/portal-media \
    && chown dcc /var/lib/dcc/keys /var/lib/dcc/news-media /var/lib/dcc/portal-media
USER 10001
EXPOSE 8000 9100
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
