"""Prometheus metrics of every service: the catalog, and the per-request ones every app records.

gunicorn runs several worker processes. With METRICS_PORT set, deploy/gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a folder where each worker writes its values, and the master serves their sum on
that port: a port of its own, which no gateway route reaches and which needs no Host header (the kubelet's and
Prometheus's requests name the pod's address). Without it (a test client, `flask run`) the values live in
the process and nobody serves them.

All names are here, so that the dashboard (deploy/grafana-dashboard.json) and alerts read one list.
"""
import time

from flask import Flask, g, request
from prometheus_client import Counter, Histogram

REQUESTS = Counter("dcc_http_requests_total", "Requests answered, by route and status",
                   ["service", "method", "route", "status"])
LATENCY = Histogram("dcc_http_request_duration_seconds", "Time from a request's arrival to its answer",
                    ["service", "method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
SAVES = Counter("dcc_workload_saves_total", "Record changes committed by a district, by part of the record",
                ["part"])
CONFIRMATIONS = Counter("dcc_workload_confirmations_total", "Records confirmed by a province office")
CORRECTIONS = Counter("dcc_workload_corrections_total", "Aspects returned to a district for correction")
SYNC_RUNS = Counter("dcc_directory_sync_runs_total", "Registry syncs from DLA Connect run by this service, by outcome",
                    ["outcome"])
LOGINS = Counter("dcc_sso_logins_total", "Sign-in attempts, by outcome", ["outcome"])

# The route's rule, never the path: /workload/2569/districts/3001 and 8101 are one series, and a scanner's
# made-up paths are all "unmatched" instead of one series each.
UNMATCHED = "unmatched"


def init_metrics(app: Flask, service: str) -> None:
    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _record(response):
        started = g.get("metrics_started")
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(service, request.method, route).observe(time.perf_counter() - started)
        return response

