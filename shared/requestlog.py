"""One structured log line per request, carrying the request id that nginx assigns."""
import json
import logging
import sys
import time

from flask import Flask, g, request

from shared import config

log = logging.getLogger("dcc.request")


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("dcc")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def init_request_log(app: Flask, service: str) -> None:
    # Which instance answered, when a service runs as several (tools.stack sets it; a pod may set its name).
    instance = config.env_str("DCC_INSTANCE")

    @app.before_request
    def _start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        if not log.isEnabledFor(logging.INFO):
            return response
        started = g.get("request_started")
        user = g.get("identity")
        log.info(json.dumps({
            "service": service,
            "instance": instance,
            "request_id": request.headers.get("X-Request-ID", ""),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "user": user.username if user else None,
        }, ensure_ascii=False))
        return response
