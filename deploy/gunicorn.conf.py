"""gunicorn settings shared by every service (local runs and the container images alike)."""
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core and one thread per process: on the 2-core reference machine more threads
# only add GIL hand-offs to the tail latency (make bench: p99 36 ms at 2x1, 58-80 ms at 2x2 and 2x4).
# Deployments scale the workload service out in replicas instead. gthread keeps nginx's
# upstream connections alive even with one thread.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = 30
timeout = 30
graceful_timeout = 5
accesslog = None  # each service logs one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): with five
# services on one machine they would fight over it, and nothing here uses it.
control_socket_disable = True
# The longest request line gunicorn takes (its default is 4094): above nginx's own limit (8k), so that an
# over-long URL is refused by nginx, in Thai, and never by gunicorn in English.
limit_request_line = 8190
