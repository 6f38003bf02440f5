"""gunicorn settings shared by every service (local runs and the container images alike)."""
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Threads keep a worker useful while it waits on the database, and let nginx reuse connections.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 30
timeout = 30
graceful_timeout = 5
accesslog = None  # each service logs one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
