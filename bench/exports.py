"""`make bench` (last step), or `.venv/bin/python -m bench.exports`: the nation's evidence exports.

Loads the demo rounds (workload.demo.load_demo_rounds) into a fresh database — PostgreSQL on the
server TEST_DATABASE_URL names (a temporary database, dropped afterwards), else SQLite in a
temporary folder — and times, through the Flask test client in this process, the central office's
download of the nation's workbook (.xlsx) and of its answers as CSV, on the basis "all" (every
district with a record: the 878 of round 2568, some 61,000 answers), each read to its last byte.
Target: ≤ 5 s each (the median of BENCH_EXPORT_RUNS runs, default 3).
"""
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import workload
from shared.testing import TokenFactory, migrated_app
from tools.stack import SERVICES
from workload.demo import load_demo_rounds

BOUND_S = 5.0
RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "3"))
MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "workload")
DOWNLOADS = {
    "xlsx": "/api/workload/rounds/2568/exports/evidence.xlsx?basis=all",
    "csv (answers)": "/api/workload/rounds/2568/exports/evidence.csv?basis=all&level=answers",
}


def timed_download(client, path: str, headers: dict) -> tuple[float, int]:
    """Seconds from the request to the last byte, and the size."""
    started = time.perf_counter()
    with client.get(path, headers=headers) as response:
        size = len(response.get_data())  # a streamed body is produced while it is read
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}")
    return seconds, size


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        tokens = TokenFactory(Path(tmp) / "keys")
        with migrated_app(workload.create_app, MIGRATIONS, Path(tmp), "workload_exports",
                          SSO_JWKS=str(tokens.jwks_path), LOG_LEVEL="WARNING") as app:  # no request log lines
            return measure(app, tokens)


def measure(app, tokens: TokenFactory) -> int:
    """Load the demo, download each nation-wide export RUNS times; 1 when a median misses the bound."""
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    with app.app_context():
        started = time.perf_counter()
        loaded = load_demo_rounds()
        print(f"demo loaded on {database} in {time.perf_counter() - started:.1f} s: {loaded}")
    client = app.test_client()
    headers = tokens.bearer("bench-central", ["central"])
    failed = False
    for name, path in DOWNLOADS.items():
        runs = [timed_download(client, path, headers) for _ in range(RUNS)]
        median = statistics.median(seconds for seconds, _ in runs)
        verdict = "met" if median <= BOUND_S else "NOT met"
        failed |= median > BOUND_S
        print(f"nation {name}: {', '.join(f'{s:.2f}' for s, _ in runs)} s (median {median:.2f} s, "
              f"{runs[0][1] / 1e6:.1f} MB) — target ≤ {BOUND_S:.0f} s {verdict}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (demo load included): {peak_mb:.0f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
