"""`make loadtest`: the season's deadline day against a stack of its own, with Locust.

    python -m loadtest.run          the season: 974 users for LOADTEST_STEADY_SECONDS after the ramp-up;
                                    exits 1 when a target is missed (failures, p95 of pages and saves)
    python -m loadtest.run step     the step test: +200 users every 2 minutes until p95 passes 1 s

The stack runs on PostgreSQL (TEST_DATABASE_URL, default the local server) through PgBouncer, with two
workload instances behind nginx, which trusts X-Forwarded-For from 127.0.0.1 as it trusts the ingress.
Results go to LOADTEST_OUT (var/loadtest/): Locust's CSV files, a chart, and a summary in Markdown.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from loadtest import cpu, report, settings
from tools.stack import ROOT, VENV_BIN, running

STACK_SETTINGS = {
    "WORKLOAD_INSTANCES": "2",
    # Production's least (deploy/k8s/sso.yaml: minReplicas 2): the logins' argon2 hashes and every
    # token's verdict share the SSO's workers.
    "SSO_INSTANCES": "2",
    # Locust stands in for the load balancer: its X-Forwarded-For names each user's own address, so the
    # login limit (GATEWAY_LOGIN_RATE, left at its default) counts per client as in production.
    "GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
    "DCC_LOG_LEVEL": "WARNING",
    "GATEWAY_ACCESS_LOG": "off",
}


class LoadSampler(threading.Thread):
    """The machine's load average every 10 s and its CPU per kind of process over the whole run: the
    machine is shared, and the figures mean little without it."""

    def __init__(self):
        super().__init__(daemon=True)
        self.started, self.load, self.done = time.monotonic(), [], threading.Event()
        self.cpu_before = cpu.snapshot()

    def run(self):
        while not self.done.wait(10):
            self.load.append((time.monotonic() - self.started, os.getloadavg()[0]))

    def stop(self) -> dict:
        self.done.set()
        return cpu.between(self.cpu_before, cpu.snapshot())


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def locust(config: settings.Config, url: str, prefix: Path, env: dict) -> None:
    args = [str(VENV_BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--host", url,
            "--csv", str(prefix), "--csv-full-history", "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0"]
    if not config.step_users:
        args += ["--users", str(config.users), "--spawn-rate", str(config.spawn_rate),
                 "--run-time", f"{round(config.ramp_seconds + config.steady_seconds)}s"]
    subprocess.run(args, env=env, check=True, cwd=ROOT)


def season(overrides: dict | None = None) -> tuple[report.Verdict, Path]:
    """Run the scenario against a fresh stack; the verdict, and the Markdown summary's path."""
    env = {**os.environ, **(overrides or {}), "LOADTEST_ROOT_PID": str(os.getpid())}
    config = settings.from_environment(env)
    mode = "step" if config.step_users else "season"
    config.out.mkdir(parents=True, exist_ok=True)
    prefix = config.out / mode
    var_dir = Path(tempfile.mkdtemp(prefix="dcc-loadtest-"))
    try:
        with running(var_dir, STACK_SETTINGS) as stack:
            before = uptime()
            sampler = LoadSampler()
            sampler.start()
            locust(config, stack.url, prefix, env)
            machine = sampler.stop()
            after = uptime()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    users = config.step_users or config.users
    result = report.verdict(prefix, users, 0 if config.step_users else config.steady_seconds, config.p95_ms)
    database = env.get("TEST_DATABASE_URL", "sqlite").split("+")[0].split(":")[0]
    title = (f"{mode}: {config.users if not config.step_users else 'stepped'} users, {database}, "
             f"{os.cpu_count()} cores shared with the load generator")
    report.chart(prefix, config.out / f"{mode}.png", sampler.load,
                 config.step_p95_ms if config.step_users else config.p95_ms, title)
    summary = [f"# Load test ({mode}), {time.strftime('%Y-%m-%d %H:%M')}", "", title, "",
               f"- before: `{before}`", f"- after: `{after}`",
               f"- CPU over the run (cores): {machine['cores_by_process']}, machine busy {machine['busy_share']:.0%}",
               "", report.table(result.rows), ""]
    if config.step_users:
        steps = json.loads((config.out / "step.json").read_text())
        summary += [f"Highest step with p95 ≤ {config.step_p95_ms:.0f} ms (sign-in excluded): "
                    f"**{steps['highest_users_within_limit']} users**", "",
                    "| users | requests | failures | p50 | p95 | p99 | sign-in p95 | slowest p95 | CPU (cores) |",
                    "|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for s in steps["steps"]:
            slowest = ", ".join(f"{n} {v:.0f}" for n, v in list(s["slowest"].items())[:2])
            summary.append(f"| {s['users']} | {s['requests']:,} | {s['failures']} | {s['p50_ms']:.0f} | "
                           f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {s['sign_in_p95_ms']:.0f} | {slowest} | "
                           f"{s['cpu']['cores_by_process']} |")
    else:
        summary += [f"All {config.users} users on for {result.users_held_seconds:.0f} s. "
                    f"Target (0 failures, p95 ≤ {config.p95_ms:.0f} ms for pages and saves, "
                    f"{config.steady_seconds} s at full load): **{'met' if result.met else 'NOT met'}**"]
        summary += [f"- {problem}" for problem in result.problems]
    path = config.out / f"{mode}.md"
    path.write_text("\n".join(summary) + "\n")
    return result, path


def main(argv: list[str]) -> int:
    # The figures are meant for PostgreSQL behind PgBouncer, as in production (as `make bench`).
    os.environ.setdefault("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    overrides = {}
    if argv[1:] == ["step"]:
        overrides["LOADTEST_STEP_USERS"] = os.environ.get("LOADTEST_STEP_USERS") or "200"
    elif argv[1:]:
        raise SystemExit(__doc__)
    result, path = season(overrides)
    print(path.read_text())
    if overrides:
        return 0  # the step test finds a limit; it has no target to miss
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
