"""gunicorn settings shared by every service: local runs, the tests and the container images alike.

Every setting comes from the environment, the same way everywhere: `<SERVICE>_GUNICORN_<NAME>` for one service
(SERVICE names it: sso, portal, workload, directory, news), else `GUNICORN_<NAME>`, else the default here.
"""
import os
import shutil
import tempfile

_service = os.environ.get("SERVICE", "").upper()


def _setting(name: str, default: str) -> str:
    return os.environ.get(f"{_service}_GUNICORN_{name}") or os.environ.get(f"GUNICORN_{name}") or default


bind = _setting("BIND", "0.0.0.0:8000")
# One process per core and one thread per process: on the 2-core reference machine more threads
# only add GIL hand-offs to the tail latency (make bench: p99 36 ms at 2x1, 58-80 ms at 2x2 and 2x4).
# Deployments scale out in replicas instead; the workload service, which waits on the database while
# saving, takes a second thread (WORKLOAD_GUNICORN_THREADS=2), and the SSO four (SSO_GUNICORN_THREADS=4: a login's
# argon2 hash releases the GIL, and nginx's token checks must not queue behind it). gthread keeps nginx's upstream
# connections alive even with one thread.
workers = int(_setting("WORKERS", "2"))
worker_class = "gthread"
threads = int(_setting("THREADS", "1"))
keepalive = 30
timeout = int(_setting("TIMEOUT", "30"))
# After SIGTERM, requests under way may finish this long (the nation's export takes about 10 s); the pod's
# terminationGracePeriodSeconds leaves room for the preStop pause before it and this after it.
graceful_timeout = int(_setting("GRACEFUL_TIMEOUT", "20"))
accesslog = None  # each service logs one structured line per request itself
errorlog = "-"
loglevel = _setting("LOG_LEVEL", "warning")
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): with five
# services on one machine they would fight over it, and nothing here uses it.
control_socket_disable = True
# The longest request line gunicorn takes (its default is 4094): above nginx's own limit (8k), so that an
# over-long URL is refused by nginx, in Thai, and never by gunicorn in English.
limit_request_line = 8190

# Prometheus metrics (shared/metrics.py): each worker writes its values into a folder of this master's, and
# the master serves their sum on METRICS_PORT. The folder must be named before any worker imports
# prometheus_client, so it is set here, in the master, before the workers are forked.
_metrics_port = os.environ.get("METRICS_PORT")
if _metrics_port:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.path.join(
        tempfile.gettempdir(), f"dcc-metrics-{_service.lower() or 'app'}-{_metrics_port}")


def on_starting(server):
    if _metrics_port:
        # A previous run's files would add its counts to this one's.
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def when_ready(server):
    if _metrics_port:
        # Not shared.metrics: defining the metrics here would give the master files of its own.
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # every worker's values, those of exited workers too
        start_http_server(int(_metrics_port), addr=os.environ.get("METRICS_ADDRESS", "0.0.0.0"), registry=registry)


def child_exit(server, worker):
    if _metrics_port:
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
