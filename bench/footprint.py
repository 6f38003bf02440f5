"""`.venv/bin/python -m bench.footprint`: what each process needs, to size Kubernetes requests and limits from.

Starts its own stack with production-like settings (2 gunicorn workers per service, 2 threads for the
workload service, one instance of everything, one nginx worker; PostgreSQL from TEST_DATABASE_URL) and,
every 0.2 s, sums VmRSS and utime+stime over each program's process group (tools.supervise gives each
program a group of its own: master and workers). Each service then gets a short wrk load typical of it,
through the gateway (BENCH_SECONDS, default 10, 16 connections), and the workload service one export of
the nation's evidence workbook. Prints idle RSS, peak RSS under the service's own load, requests/s and
CPU ms per request; nginx's figures cover all the loads together.
"""
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import requests

from bench.run import DATABASE, QUIET, SECONDS, aspect_save_setup, token, wrk  # bench.run defaults TEST_DATABASE_URL
from tools.stack import ROOT, SERVICES, VENV_BIN, running

CONNECTIONS = 16
TICK = os.sysconf("SC_CLK_TCK")
SETTINGS = {**QUIET, "GUNICORN_WORKERS": "2", "WORKLOAD_GUNICORN_THREADS": "2", "GATEWAY_WORKERS": "1",
            **{f"{name.upper()}_INSTANCES": "1" for name in [s.name for s in SERVICES] + ["gateway"]}}
# Production writes an access log, and nginx's CPU per request should include it.
del SETTINGS["GATEWAY_ACCESS_LOG"]
EXPORT = "/api/workload/rounds/2568/exports/evidence.xlsx?basis=all"

# Many users, each its own token: nginx keeps a verdict per token for SSO_VERDICT_SECONDS, so a single token
# would cost the SSO one request every 3 s. Each wrk thread starts at its own place in the list.
TOKENS_LUA = """
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do table.insert(tokens, line:match("\\t(.+)$")) end
local started = 0
function setup(thread) thread:set("offset", started * 439); started = started + 1 end
function init(args) n = offset end
function request()
  n = n % #tokens + 1
  return wrk.format("GET", "/api/workload/me", {["Authorization"] = "Bearer " .. tokens[n]})
end
"""


class Sampler(threading.Thread):
    """Every 0.2 s, each group's RSS; `end(begin())` gives the peak between the two and the CPU it took."""

    def __init__(self, groups: dict[str, int]):
        super().__init__(daemon=True)
        self.groups = groups  # program → process group id (its leader's pid)
        self.peaks: dict[str, float] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()

    def read(self) -> dict[str, tuple[float, float]]:
        """Program → (RSS MB, CPU seconds) summed over the live processes of its group."""
        wanted = {pgid: name for name, pgid in self.groups.items()}
        totals = {name: [0.0, 0.0] for name in self.groups}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                fields = stat[stat.rfind(")") + 2:].split()  # the command name may hold spaces and ')'
                name = wanted.get(int(fields[2]))
                if name is None:
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue  # exited while we looked
            rss_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            totals[name][0] += rss_kb / 1024
            totals[name][1] += (int(fields[11]) + int(fields[12])) / TICK
        return {name: (rss, cpu) for name, (rss, cpu) in totals.items()}

    def pss(self) -> dict[str, float]:
        """Program → PSS MB: shared pages divided among the processes sharing them, closer to what the
        container's cgroup is charged than the RSS sum. Once only: the kernel walks every mapping for it."""
        totals = dict.fromkeys(self.groups, 0.0)
        for name, pgid in self.groups.items():
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if os.getpgid(int(pid)) == pgid:
                        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                        totals[name] += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
                except (FileNotFoundError, ProcessLookupError):
                    continue
        return totals

    def run(self) -> None:
        while not self.done.wait(0.2):
            now = self.read()
            with self.lock:
                for name, (rss, _cpu) in now.items():
                    self.peaks[name] = max(self.peaks.get(name, 0.0), rss)

    def begin(self) -> dict[str, tuple[float, float]]:
        start = self.read()
        with self.lock:
            self.peaks = {name: rss for name, (rss, _cpu) in start.items()}
        return start

    def end(self, start) -> dict[str, tuple[float, float]]:
        """Program → (peak RSS MB, CPU seconds) since `begin()`."""
        now = self.read()
        with self.lock:
            return {name: (max(self.peaks[name], now[name][0]), now[name][1] - start[name][1]) for name in now}


def warm(url: str, headers: dict | None = None, script: str | None = None, env: dict | None = None) -> None:
    """Two seconds of the same load, not measured: first connections, lazy imports, caches filled."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", "-d2s", *(["-s", script] if script else [])]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    subprocess.run(args + [url], capture_output=True, check=True, env=env)


def main() -> int:
    began = time.monotonic()
    var_dir = Path(tempfile.mkdtemp(prefix="dcc-bench-footprint-"))
    work = var_dir / "bench-work"
    with running(var_dir, SETTINGS) as stack:
        base = stack.url
        groups = {p.service: p.process.pid for p in stack.supervisor.select() if p.service != "dlaconnect"}
        sampler = Sampler(groups)
        sampler.start()
        time.sleep(3)  # let the workers finish booting before "idle" counts
        start = sampler.begin()
        time.sleep(3)
        idle = sampler.end(start)

        # Set-up before any measuring: logins cost argon2, and the save load's bodies come from the service.
        central = {"Authorization": f"Bearer {token(base, 'demo-central')}"}
        save_env = {**aspect_save_setup(base, stack.env, work), "BENCH_TOKENS": str(work / "all-districts.tsv")}
        subprocess.run([str(VENV_BIN / "python"), "-m", "bench.sessions", str(work / "all-districts.tsv"), "878"],
                       env=stack.env, check=True, cwd=ROOT)
        (work / "tokens.lua").write_text(TOKENS_LUA)

        loads = [  # (service, what, wrk arguments, warm up first)
            ("sso", "GET /api/workload/me, 878 tokens", dict(url=base + "/", script=str(work / "tokens.lua"),
                                                             env=save_env), True),
            ("portal", "GET / (home)", dict(url=base + "/"), True),
            ("workload", "PUT aspect save (save_aspect.lua)",
             dict(url=base + "/", script=str(ROOT / "bench" / "save_aspect.lua"), env=save_env), False),
            ("workload", "GET /workload/2568/provinces/30/", dict(url=base + "/workload/2568/provinces/30/",
                                                                  headers=central), True),
            ("directory", "GET /directory/provinces/30/", dict(url=base + "/directory/provinces/30/"), True),
            ("news", "GET /news/", dict(url=base + "/news/"), True),
            ("news", "GET /api/news/items", dict(url=base + "/api/news/items"), True),
        ]
        results = []
        for service, what, args, warm_up in loads:
            if warm_up:  # never for the saves: a second run from version 0 would only meet conflicts
                warm(**args)
            start = sampler.begin()
            figures = wrk(**args, warm_up=False, connections=CONNECTIONS)
            results.append((service, what, figures, sampler.end(start)))

        start = sampler.begin()
        started = time.perf_counter()
        with requests.get(base + EXPORT, headers=central, stream=True, timeout=120) as response:
            size = sum(len(chunk) for chunk in response.iter_content(1 << 16))
            export_status = response.status_code
        export_seconds = time.perf_counter() - started
        export = sampler.end(start)
        time.sleep(3)
        settled, settled_pss = sampler.read(), sampler.pss()
        sampler.done.set()
        verdict_seconds = int(stack.env.get("SSO_VERDICT_SECONDS", "3"))
    report(results, idle, export, (size, export_seconds, export_status), settled, settled_pss, verdict_seconds)
    print(f"Run took {time.monotonic() - began:.0f} s.")
    return 0


def report(results, idle, export, download, settled, settled_pss, verdict_seconds) -> None:
    print(f"\n{CONNECTIONS} connections, {SECONDS} s per load (after a 2 s warm-up), wrk -t2, through one nginx\n")
    print("| process | load | idle RSS MB | peak RSS MB | requests/s | CPU ms per request | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for service, what, r, phase in results:
        peak, cpu = phase[service]
        print(f"| {service} | {what} | {idle[service][0]:.0f} | {peak:.0f} | {r['rps']:,.0f} | "
              f"{1000 * cpu / r['requests']:.2f} | {r['non2xx']} |")
    size, seconds, status = download
    peak, cpu = export["workload"]
    print(f"| workload | nation's evidence .xlsx (1 request, {size / 1e6:.1f} MB, {seconds:.1f} s, HTTP {status}) "
          f"| {idle['workload'][0]:.0f} | {peak:.0f} | – | {1000 * cpu:,.0f} | {int(status != 200)} |")
    total = sum(r["requests"] for _s, _w, r, _p in results)
    nginx_cpu = sum(phase["gateway"][1] for *_, phase in results)
    nginx_peak = max([phase["gateway"][0] for *_, phase in results] + [export["gateway"][0]])
    print(f"| nginx | all the loads above ({total:,} requests) | {idle['gateway'][0]:.0f} | {nginx_peak:.0f} "
          f"| {total / (SECONDS * len(results)):,.0f} | {1000 * nginx_cpu / total:.2f} | – |")

    print("\n| process | peak RSS MB, any load | RSS MB after all loads | PSS MB after all loads | CPU s, all loads |")
    print("|---|---:|---:|---:|---:|")
    for name in settled:
        peak = max([phase[name][0] for *_, phase in results] + [export[name][0]])
        cpu = sum(phase[name][1] for *_, phase in results) + export[name][1]
        print(f"| {'nginx' if name == 'gateway' else name} | {peak:.0f} | {settled[name][0]:.0f} "
              f"| {settled_pss[name]:.0f} | {cpu:.1f} |")
    # Behind nginx a service never asks the SSO itself: the SSO's requests are nginx's verdicts, one per token
    # every SSO_VERDICT_SECONDS at most.
    sso_rps, sso_cpu = results[0][2]["rps"], results[0][3]["sso"][1]
    verdicts = min(sso_rps, 878 / verdict_seconds)
    print(f"\nsso: about {verdicts:,.0f} verdicts/s behind those {sso_rps:,.0f} requests/s, "
          f"so about {1000 * sso_cpu / (verdicts * SECONDS):.1f} CPU ms per verdict")
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    print(f"\nmachine: nproc {os.cpu_count()}, {memory_kb / 1024 ** 2:.1f} GB, {datetime.now():%Y-%m-%d %H:%M}, "
          f"database {DATABASE} on the same machine; wrk, PostgreSQL and the whole stack share these cores. "
          "An RSS sum counts the pages a master shares with its forked workers once per process; PSS divides them.")

if __name__ == "__main__":
    sys.exit(main())
