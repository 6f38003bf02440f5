"""The DLA Connect client against the fake over real HTTP: pagination, retries, timeouts, validation."""
import socket

import pytest
import requests

from directory.dlaconnect import DlaConnectClient, DlaConnectError
from tests.directory.conftest import misbehave


def client_for(url, **kwargs):
    sleeps = []
    kwargs.setdefault("timeout", 2)
    client = DlaConnectClient(url, sleep=sleeps.append, **kwargs)
    return client, sleeps


def page_requests(fake):
    return requests.get(fake + "/_fake/stats", timeout=5).json()["page_requests"]


@pytest.mark.parametrize("page_size, pages", [(200, 5), (100, 9), (500, 2), (1000, 2)])  # the fake caps a page at 500
def test_every_page_is_fetched_and_every_record_validated(fake, page_size, pages):
    client, sleeps = client_for(fake, page_size=page_size)
    officers = client.fetch_all()
    client.close()
    assert len(officers) == 878 and len({o.dla_id for o in officers}) == 878
    assert page_requests(fake) == pages and sleeps == []
    first = officers[0]
    assert first.dla_id == "DLA-1101-01" and first.full_name.endswith("(ข้อมูลสมมติ)")
    assert first.upstream_updated_at.tzinfo is None  # stored as naive UTC
    assert sum(not o.active for o in officers) == 31


def test_5xx_is_retried_with_exponential_back_off(fake):
    misbehave(fake, fail_times=2, fail_status=503)
    client, sleeps = client_for(fake, retries=3, backoff=0.5)
    assert len(client.fetch_all()) == 878
    assert sleeps == [0.5, 1.0]


def test_retries_give_up_and_say_which_page(fake):
    misbehave(fake, fail_times=10)
    client, sleeps = client_for(fake, retries=2)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "http_error"
    assert failed.value.detail == {"page": 1, "status": 500, "attempts": 3}
    assert len(sleeps) == 2 and page_requests(fake) == 3


def test_a_4xx_is_not_retried(fake):
    client, sleeps = client_for(fake + "/nowhere")
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.detail["status"] == 404 and sleeps == []


def test_connection_errors_are_retried_then_reported():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client, sleeps = client_for(f"http://127.0.0.1:{port}", retries=2, backoff=0.1)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "unreachable" and failed.value.detail["attempts"] == 3
    assert sleeps == [0.1, 0.2]


def test_a_slow_page_times_out_and_is_retried(fake):
    misbehave(fake, slow_seconds=0.6)
    client, sleeps = client_for(fake, timeout=0.3, retries=1, page_size=500)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "unreachable" and "Timeout" in failed.value.message
    assert len(sleeps) == 1


def test_a_slow_but_timely_page_is_fine(fake):
    misbehave(fake, slow_seconds=0.2)
    client, _ = client_for(fake, timeout=2, page_size=500)
    assert len(client.fetch_all()) == 878


def test_the_whole_fetch_has_a_deadline(fake):
    misbehave(fake, slow_seconds=0.3)
    client, _ = client_for(fake, timeout=2, page_size=100, deadline=0.5)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "deadline"


def test_a_broken_page_in_the_middle(fake):
    misbehave(fake, broken_page=3)
    client, _ = client_for(fake, page_size=100)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "bad_page" and failed.value.detail["page"] == 3


def test_malformed_records_are_all_named(fake):
    misbehave(fake, malformed=["DLA-8101-01", "DLA-3001-01"])
    client, _ = client_for(fake, page_size=200)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "invalid_records" and failed.value.detail["rejected"] == 2
    records = {r["id"]: r for r in failed.value.detail["records"]}
    assert set(records) == {"DLA-8101-01", "DLA-3001-01"}
    assert set(records["DLA-8101-01"]["errors"]) == {"office_district_code", "office_email"}
    assert records["DLA-8101-01"]["page"] >= 1


def test_duplicate_ids_are_refused(fake):
    misbehave(fake, duplicate=True)
    client, _ = client_for(fake)
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "duplicate_ids" and failed.value.detail["ids"] == ["DLA-1101-01"]


def test_a_count_that_does_not_add_up_is_refused():
    client, _ = client_for("http://dla.example")
    pages = {1: {"number": 1, "data": [{}], "total": 2, "total_pages": 1}}
    client.page = lambda number, started: pages[number]
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "inconsistent"


def test_the_token_is_sent_when_configured(fake):
    client, _ = client_for(fake, token="secret-token")
    assert client.session.headers["Authorization"] == "Bearer secret-token"


def test_an_unconfigured_url_fails_clearly():
    client, _ = client_for("")
    with pytest.raises(DlaConnectError) as failed:
        client.fetch_all()
    assert failed.value.code == "not_configured"
