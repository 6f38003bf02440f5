"""`make bench` part: the portal's pages through the gateway; target: home p50 ≤ 50 ms.

The home page asks the news and directory services (shared.upstream) and keeps their answers for a
short time, so that under load it costs one render and no database or sibling round trip. Measured
with wrk at one connection (a reader's latency) and at BENCH_CONNECTIONS (the machine's throughput),
anonymous and signed in (a token the service verifies again), plus Toolkits with and without a Thai
search and the FAQ. Starts its own stack like bench/run.py (PostgreSQL from TEST_DATABASE_URL).
"""
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import requests

from bench.run import (  # bench.run also defaults TEST_DATABASE_URL to the local PostgreSQL
    CONNECTIONS,
    QUIET,
    token,
    wrk,
)
from tools.stack import running

HOME_BOUND_MS = 50.0


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="dcc-bench-portal-"))
    rows = []
    with running(var_dir, QUIET) as stack:
        base = stack.url
        home = requests.get(base + "/", timeout=10).text
        answered = "จาก 878 อำเภอ" in home and "ขณะนี้ไม่สามารถแสดงข่าว" not in home
        signed_in = {"Authorization": f"Bearer {token(base, 'demo-district')}"}
        rows.append(("home /, anonymous (1 connection)", wrk(base + "/", connections=1)))
        rows.append(("home /, signed in (1 connection)", wrk(base + "/", headers=signed_in, connections=1)))
        rows.append((f"home /, anonymous ({CONNECTIONS} connections)", wrk(base + "/")))
        rows.append(("toolkits /toolkits/ (1 connection)", wrk(base + "/toolkits/", connections=1)))
        rows.append(("toolkits search ?q=ยุทธศาสตร์ (1 connection)",
                     wrk(base + "/toolkits/?q=" + quote("ยุทธศาสตร์"), connections=1)))
        rows.append(("FAQ /faq/ (1 connection)", wrk(base + "/faq/", connections=1)))
    print("\n| portal page through the gateway | p50 | p99 | requests/s | non-2xx |\n|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['rps']:,.0f} | {r['non2xx']} |")
    homes = [r for name, r in rows if name.startswith("home") and "(1 connection)" in name]
    ok = answered and all(r["p50_ms"] <= HOME_BOUND_MS for r in homes) and all(r["non2xx"] == 0 for _n, r in rows)
    print(f"news and coverage shown on the home page: {'yes' if answered else 'NO'}")
    print(f"target (home p50 ≤ {HOME_BOUND_MS:.0f} ms through the gateway, the other services answering): "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
