"""`make bench-directory` (also part of `make bench`): the registry's figures.

- a full sync of the 878 records of the fake DLA Connect: the first one into an empty registry
  (in process, through the real client over HTTP), then through the gateway's API one where every
  officer changed and one where nothing did;  target ≤ 5 s each;
- the province list and the province pages through the gateway at one connection: wrk on the list
  and on the largest province (นครราชสีมา, 32 districts), and the p50 of every one of the 76
  province pages;  target p50 ≤ 50 ms.

Starts its own stack like bench/run.py (PostgreSQL from TEST_DATABASE_URL, temporary databases).
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

import directory
from bench.run import QUIET, token, wrk  # bench.run also defaults TEST_DATABASE_URL to the local PostgreSQL
from directory.sync import sync_with_settings
from shared import geography
from shared.testing import migrated_app
from tools.fakes import dlaconnect
from tools.stack import SERVICES, running

SYNC_BOUND_S = 5.0
PAGE_BOUND_MS = 50.0
SAMPLES = int(os.environ.get("BENCH_PAGE_SAMPLES", "15"))
MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "directory")


def first_sync(var_dir: Path) -> tuple[float, dict]:
    """Empty registry → 878 records, through the client over HTTP from the fake, in this process."""
    with dlaconnect.serving() as (fake_url, _), \
            migrated_app(directory.create_app, MIGRATIONS, var_dir, "directory_first",
                         DLACONNECT_URL=fake_url) as app, \
            app.app_context():
        started = time.perf_counter()
        run = sync_with_settings(app.config, "command", "bench")
        seconds = time.perf_counter() - started
        return seconds, {"status": run.status, "fetched": run.fetched, "added": run.added}


def api_sync(base: str, headers: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    response = requests.post(base + "/api/directory/admin/sync-runs", headers=headers, timeout=60)
    seconds = time.perf_counter() - started
    response.raise_for_status()
    run = response.json()
    return seconds, {k: run[k] for k in ("status", "fetched", "added", "changed", "removed")}


def page_p50(url: str, samples: int = SAMPLES) -> float:
    session = requests.Session()
    session.get(url, timeout=10).raise_for_status()  # warm
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        session.get(url, timeout=10).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    session.close()
    return statistics.median(times)


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="dcc-bench-directory-"))
    syncs = [("first sync, empty registry → 878 records (in process)", *first_sync(var_dir))]
    pages = []
    with running(var_dir, QUIET) as stack:
        base, env = stack.url, stack.env
        fake = f"http://127.0.0.1:{env['DLACONNECT_FAKE_PORT']}"
        central = {"Authorization": f"Bearer {token(base, 'demo-central')}"}
        ids = [r["id"] for r in dlaconnect.generate_registry()]
        requests.post(fake + "/_fake/behaviour", timeout=10,
                      json={"changes": {i: {"office_phone": "0 2241 9000"} for i in ids}}).raise_for_status()
        syncs.append(("sync via the gateway, every officer changed", *api_sync(base, central)))
        requests.post(fake + "/_fake/reset", timeout=10).raise_for_status()
        api_sync(base, central)  # back to the generated registry
        syncs.append(("sync via the gateway, nothing changed", *api_sync(base, central)))
        pages.append(("province list /directory/ (wrk, 1 connection)", wrk(base + "/directory/", connections=1)))
        pages.append(("province page นครราชสีมา, 32 districts (wrk, 1 connection)",
                      wrk(base + "/directory/provinces/30/", connections=1)))
        pages.append(("API /api/directory/provinces/30 (wrk, 1 connection)",
                      wrk(base + "/api/directory/provinces/30", connections=1)))
        every = {p.code: page_p50(f"{base}/directory/provinces/{p.code}/") for p in geography.provinces()}
    print("\n| sync of the fake DLA Connect (878 records) | seconds | outcome |\n|---|---:|---|")
    for name, seconds, counts in syncs:
        print(f"| {name} | {seconds:.2f} | {counts} |")
    print("\n| page through the gateway | p50 | p99 | requests/s |\n|---|---:|---:|---:|")
    for name, r in pages:
        print(f"| {name} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['rps']:,.0f} |")
    slowest = max(every, key=every.get)
    print(f"\nevery province page, p50 of {SAMPLES} requests each: median {statistics.median(every.values()):.1f} ms, "
          f"slowest {slowest} {geography.province(slowest).name_th} {every[slowest]:.1f} ms")
    sync_ok = all(seconds <= SYNC_BOUND_S and counts["status"] == "succeeded" for _n, seconds, counts in syncs)
    pages_ok = (all(r["p50_ms"] <= PAGE_BOUND_MS and r["non2xx"] == 0 for _n, r in pages)
                and every[slowest] <= PAGE_BOUND_MS)
    print(f"target (full sync of 878 officers ≤ {SYNC_BOUND_S:.0f} s): {'met' if sync_ok else 'NOT met'}")
    print(f"target (province list and every province page p50 ≤ {PAGE_BOUND_MS:.0f} ms through the gateway): "
          f"{'met' if pages_ok else 'NOT met'}")
    return 0 if sync_ok and pages_ok else 1


if __name__ == "__main__":
    sys.exit(main())
