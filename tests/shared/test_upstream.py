"""Asking a sibling service (shared.upstream): with several instances, one that is down is passed over."""
from flask import Flask

from shared.testing import serving
from shared.upstream import CachedJson, service_url
from tools.stack import free_port


def test_service_url_names_every_instance(monkeypatch):
    monkeypatch.setenv("GATEWAY_UPSTREAM_NEWS", "127.0.0.1:8094, 127.0.0.1:8194")
    assert service_url("news", 8094) == "http://127.0.0.1:8094 http://127.0.0.1:8194"
    monkeypatch.delenv("GATEWAY_UPSTREAM_NEWS")
    assert service_url("news", 8094) == "http://127.0.0.1:8094"


def test_an_instance_that_refuses_the_connection_is_passed_over_for_the_next():
    app = Flask(__name__)
    app.get("/items")(lambda: {"items": [1, 2]})
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with serving(app) as up:
        client = CachedJson(f"{down} {up}", timeout=1, cache_seconds=0)
        assert client.get("/items") == {"items": [1, 2]}
    assert CachedJson(down, timeout=1, cache_seconds=0).get("/items") is None
