"""One log line per request, naming the instance that answered when a service runs as several."""
import json
import logging

from flask import Flask

from shared.requestlog import init_request_log


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(record.getMessage()))


def test_each_request_line_names_service_instance_and_request_id(monkeypatch):
    monkeypatch.setenv("DCC_INSTANCE", "workload.2")
    app = Flask(__name__)
    init_request_log(app, "workload")
    app.get("/ping")(lambda: "pong")
    logger = logging.getLogger("dcc.request")
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        app.test_client().get("/ping", headers={"X-Request-ID": "abc123"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    [line] = handler.lines
    assert ((line["service"], line["instance"], line["request_id"], line["status"])
            == ("workload", "workload.2", "abc123", 200))
