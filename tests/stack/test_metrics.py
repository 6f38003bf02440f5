"""Prometheus metrics on the running stack: each instance's gunicorn master serves the sum of its workers on a
port of its own; the gateway refuses /metrics (and /livez) from outside; the counts follow what happened."""
import re

import pytest
import requests

from tools.stack import SERVICES

pytestmark = pytest.mark.stack

YEAR = 2569


def scrape(url: str) -> str:
    response = requests.get(url, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    return response.text


def value(metrics: str, name: str, **labels) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when there is none yet)."""
    total = 0.0
    for line in metrics.splitlines():
        found = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if found and all(f'{k}="{v}"' in found.group(1) for k, v in labels.items()):
            total += float(found.group(2))
    return total


def test_every_instance_of_every_service_serves_its_metrics(stack):
    for service in SERVICES:
        for url, metrics_url in zip(stack.service_urls(service.name), stack.metrics_urls(service.name), strict=True):
            assert requests.get(url + "/livez", timeout=5).json() == {"status": "ok", "service": service.name}
            requests.get(url + "/healthz", timeout=5)
            metrics = scrape(metrics_url)
            assert value(metrics, "dcc_http_requests_total", service=service.name, route="/healthz", status="200") >= 1
            assert "dcc_http_request_duration_seconds_bucket" in metrics


def test_the_gateway_never_answers_what_only_the_platform_asks(stack):
    for url in stack.gateway_urls:
        for path in ("/metrics", "/livez", "/metrics/", "/metrics?format=prometheus"):
            response = requests.get(url + path, timeout=5)
            assert response.status_code == 404, path
            assert "dcc_http_requests_total" not in response.text and '"status": "ok"' not in response.text


def test_saves_and_routes_are_counted_across_workers_and_instances(stack):
    headers = stack.bearer("d-6101")
    before = sum(value(scrape(u), "dcc_workload_saves_total", part="aspect") for u in stack.metrics_urls("workload"))
    record = stack.get(f"/api/workload/rounds/{YEAR}/districts/6101/record", headers=headers).json()
    aspect = record["aspects"][1]
    version = aspect["version"]
    for volume in (1, 2, 3, 4):
        body = {"version": version, "answers": [{"question_id": q["id"], "volume": str(volume), "days": "0",
                                                 "hours": "1"} for q in aspect["questions"]]}
        saved = stack.send("PUT", f"/api/workload/rounds/{YEAR}/districts/6101/aspects/{aspect['number']}",
                           json=body, headers=headers)
        assert saved.status_code == 200, saved.text
        version = saved.json()["version"]
    scraped = [scrape(u) for u in stack.metrics_urls("workload")]
    after = sum(value(m, "dcc_workload_saves_total", part="aspect") for m in scraped)
    assert after - before == 4
    # One series per route, never per district: the path's values are not labels.
    route = "/api/workload/rounds/<int:year>/districts/<district>/aspects/<int:aspect>"
    assert sum(value(m, "dcc_http_requests_total", route=route, method="PUT", status="200") for m in scraped) >= 4
    assert not any("6101" in m for m in scraped)
    # A path no route matches is one series, whatever was asked.
    assert stack.get("/api/workload/no-such-thing-" + "x" * 20, headers=headers).status_code == 404
    assert any(value(scrape(u), "dcc_http_requests_total", route="unmatched") >= 1
               for u in stack.metrics_urls("workload"))
