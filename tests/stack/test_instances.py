"""The workload service runs as two instances behind the gateway (tests/conftest.py): what one instance
saved, the other serves; a stale version is refused whichever instance is asked; and an instance killed in
the middle of saves loses no acknowledged save while the other keeps answering."""
import json
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.stack

YEAR = 2569


def aspect_one(base_url, headers, district):
    response = requests.get(f"{base_url}/api/workload/rounds/{YEAR}/districts/{district}/record", headers=headers,
                            timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["aspects"][0]


def answers(aspect, volume):
    return [{"question_id": q["id"], "volume": str(volume), "days": "0", "hours": "1"} for q in aspect["questions"]]


def save(base_url, headers, district, version, body):
    return requests.put(f"{base_url}/api/workload/rounds/{YEAR}/districts/{district}/aspects/1", headers=headers,
                        json={"version": version, "answers": body}, timeout=10)


def audited_volumes(stack, district) -> list[int]:
    """The volume of every save of aspect 1 that the audit log holds, oldest first (each save here gives all
    its questions one volume)."""
    engine = create_engine(stack.env.get("WORKLOAD_DATABASE_URL") or f"sqlite:///{stack.var_dir}/workload.sqlite3")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.new_values FROM audit_log a JOIN records r ON r.id = a.record_id "
            "JOIN rounds o ON o.id = r.round_id "
            "WHERE r.district_code = :d AND o.fiscal_year = :y AND a.action = 'save_aspect' AND a.target = 'aspect:1' "
            "ORDER BY a.id"), {"d": district, "y": YEAR}).scalars().all()
    engine.dispose()
    volumes = []
    for values in rows:
        values = values if isinstance(values, dict) else json.loads(values)  # SQLite gives text
        volumes.append({value["volume"] for value in values.values()}.pop())
    return volumes


def test_the_stack_runs_two_workload_instances_and_two_gateways(stack):
    first, second = stack.service_urls("workload")
    assert first != second and len(stack.gateway_urls) == 2
    for url in (first, second, *stack.gateway_urls):
        assert requests.get(url + "/healthz", timeout=5).status_code == 200


def test_a_save_on_one_instance_is_served_by_the_other_and_a_stale_version_refused_on_both(stack):
    first, second = stack.service_urls("workload")  # each instance on its own port, without the gateway
    headers = stack.bearer("d-5001")
    aspect = aspect_one(first, headers, "5001")
    saved = save(first, headers, "5001", aspect["version"], answers(aspect, 7))
    assert saved.status_code == 200, saved.text

    seen = aspect_one(second, headers, "5001")
    assert seen["version"] == saved.json()["version"]
    assert {a["volume"] for a in (q["answer"] for q in seen["questions"])} == {7}

    # The version read before the save is stale everywhere: on the instance that saved and on the other.
    for url in (second, first):
        stale = save(url, headers, "5001", aspect["version"], answers(aspect, 8))
        assert stale.status_code == 409, stale.text
    assert {q["answer"]["volume"] for q in aspect_one(stack.url, headers, "5001")["questions"]} == {7}


def test_each_instance_alone_serves_through_the_gateway(stack):
    """Either instance down, the gateway sends every request to the one left, for reads and for saves."""
    headers = stack.bearer("d-5002")
    for down in ("workload.1", "workload.2"):
        stack.kill(down)
        try:
            for gateway in stack.gateway_urls:
                aspect = aspect_one(gateway, headers, "5002")
                response = save(gateway, headers, "5002", aspect["version"], answers(aspect, 3))
                assert response.status_code == 200, (down, gateway, response.status_code, response.text)
        finally:
            stack.start(down)


def test_killing_an_instance_during_saves_loses_no_acknowledged_save(stack):
    headers = stack.bearer("d-5003")
    acknowledged: list[int] = []
    refused: list[int] = []
    attempted: list[int] = []
    stop = threading.Event()

    def save_in_a_loop():
        volume = 0
        aspect = aspect_one(stack.url, headers, "5003")
        version = aspect["version"]
        while not stop.is_set() or not acknowledged or acknowledged[-1] != volume:
            volume += 1
            attempted.append(volume)
            try:
                response = save(stack.url, headers, "5003", version, answers(aspect, volume))
            except requests.RequestException:
                response = None
            if response is not None and response.status_code == 200:
                acknowledged.append(volume)
                version = response.json()["version"]
            else:
                # Not acknowledged (the instance died under it): read the version again, as the page would.
                refused.append(response.status_code if response is not None else 0)
                version = current_version()

    def current_version():
        for _ in range(50):
            response = requests.get(f"{stack.url}/api/workload/rounds/{YEAR}/districts/5003/record",
                                    headers=headers, timeout=10)
            if response.status_code == 200:
                return response.json()["aspects"][0]["version"]
            time.sleep(0.1)
        raise AssertionError(f"the record cannot be read: {response.status_code}")

    saver = threading.Thread(target=save_in_a_loop)
    saver.start()
    try:
        while len(acknowledged) < 20:
            time.sleep(0.05)
        stack.kill("workload.1")  # SIGKILL to its master and workers, in the middle of the loop
        killed_at = len(acknowledged)
        deadline = time.monotonic() + 30
        while len(acknowledged) < killed_at + 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(acknowledged) >= killed_at + 30, "the other instance stopped answering"
        stack.start("workload.1")
        assert requests.get(stack.service_urls("workload")[0] + "/healthz", timeout=5).status_code == 200
        back_at = len(acknowledged)
        while len(acknowledged) < back_at + 20:
            time.sleep(0.05)
    finally:
        stop.set()
        saver.join(timeout=60)
    assert not saver.is_alive()

    audited = audited_volumes(stack, "5003")
    assert set(acknowledged) <= set(audited), "an acknowledged save is missing from the database"
    assert set(audited) <= set(attempted)
    assert audited == sorted(audited)  # in the order they were sent, none applied twice
    final = {q["answer"]["volume"] for q in aspect_one(stack.url, headers, "5003")["questions"]}
    assert final == {acknowledged[-1]} and audited[-1] == acknowledged[-1]
    # At most the saves in flight when the instance died go unacknowledged (refused as stale on a retry).
    assert len(refused) <= 3, refused
