"""Locust's CSV files read back: the figures per request type, the targets' verdict, and the chart."""
import csv
from dataclasses import dataclass, field
from pathlib import Path

from loadtest import names


@dataclass
class Row:
    method: str
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


@dataclass
class Verdict:
    rows: list[Row]
    missing: list[tuple[str, str]]  # request types of the scenario that never ran
    slow: list[Row]  # pages and saves over the p95 target
    failures: int
    exceptions: int
    users_held_seconds: float  # how long every user of the run was on at once
    problems: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.problems


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def rows(prefix: Path) -> list[Row]:
    with open(f"{prefix}_stats.csv", newline="") as file:
        return [Row(r["Type"], r["Name"], int(r["Request Count"]), int(r["Failure Count"]), _number(r["50%"]),
                    _number(r["95%"]), _number(r["99%"]), _number(r["Requests/s"]))
                for r in csv.DictReader(file)]


def history(prefix: Path) -> list[dict]:
    """Locust's row per second for all requests: users, requests/s and the last 10 s's percentiles."""
    with open(f"{prefix}_stats_history.csv", newline="") as file:
        return [r for r in csv.DictReader(file) if r["Name"] == "Aggregated"]


def _count_lines(path: str) -> int:
    try:
        with open(path, newline="") as file:
            return max(0, sum(1 for _ in csv.reader(file)) - 1)
    except FileNotFoundError:
        return 0


def verdict(prefix: Path, users: int, steady_seconds: int, p95_ms: float) -> Verdict:
    found = rows(prefix)
    by_type = {(r.method, r.name): r for r in found}
    missing = [kind for kind in names.EXPECTED if not by_type.get(kind) or not by_type[kind].requests]
    slow = [r for r in found if r.name != "Aggregated" and (r.method, r.name) != names.SIGN_IN and r.p95 > p95_ms]
    total = by_type.get(("", "Aggregated"))
    failures = total.failures if total else 0
    exceptions = _count_lines(f"{prefix}_exceptions.csv")
    full = [int(r["Timestamp"]) for r in history(prefix) if int(r["User Count"]) >= users]
    held = (full[-1] - full[0]) if full else 0.0
    result = Verdict(found, missing, slow, failures, exceptions, held)
    if failures or exceptions:
        result.problems.append(f"{failures} failed requests, {exceptions} exceptions in the users' code")
    if missing:
        result.problems.append("never exercised: " + ", ".join(f"{m} {n}" for m, n in missing))
    if slow:
        result.problems.append(f"p95 over {p95_ms:.0f} ms: " + ", ".join(f"{r.method} {r.name} ({r.p95:.0f} ms)"
                                                                         for r in slow))
    # Locust writes a row a second; its last one may come a moment before the run's end.
    if held < steady_seconds - 5:
        result.problems.append(f"all {users} users were on for {held:.0f} s, not {steady_seconds} s")
    return result


def table(found: list[Row]) -> str:
    lines = ["| request | requests | failures | p50 | p95 | p99 | requests/s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in found:
        label = "**all requests**" if r.name == "Aggregated" else f"`{r.method} {r.name}`"
        lines.append(f"| {label} | {r.requests:,} | {r.failures} | {r.p50:.0f} ms | {r.p95:.0f} ms | "
                     f"{r.p99:.0f} ms | {r.rps:.1f} |")
    return "\n".join(lines)


def chart(prefix: Path, out: Path, load: list[tuple[float, float]], p95_ms: float, title: str) -> None:
    """Latency percentiles (of the last 10 s: Locust's full history keeps them) and users over time, with the machine's
    load average, as a PNG."""
    import matplotlib
    matplotlib.use("Agg")  # no display: write the file only
    from matplotlib import pyplot

    rows_ = history(prefix)
    start = int(rows_[0]["Timestamp"]) if rows_ else 0
    seconds = [int(r["Timestamp"]) - start for r in rows_]
    figure, (latency, users) = pyplot.subplots(2, 1, figsize=(10, 6.5), sharex=True,
                                               gridspec_kw={"height_ratios": [3, 2]})
    for column, colour in (("50%", "tab:green"), ("95%", "tab:orange"), ("99%", "tab:red")):
        latency.plot(seconds, [_number(r[column]) for r in rows_], label=f"p{column[:-1]}", color=colour, lw=1)
    latency.axhline(p95_ms, color="tab:orange", ls="--", lw=0.8, label=f"p95 target {p95_ms:.0f} ms")
    latency.set_ylabel("latency (ms, last 10 s)")
    latency.set_yscale("log")
    latency.legend(loc="upper left", fontsize=8)
    latency.set_title(title, fontsize=10)
    users.plot(seconds, [int(r["User Count"]) for r in rows_], color="tab:blue", label="users")
    users.plot(seconds, [_number(r["Requests/s"]) for r in rows_], color="tab:gray", lw=0.8, label="requests/s")
    users.set_ylabel("users, requests/s")
    users.set_xlabel("seconds since the start")
    users.legend(loc="upper left", fontsize=8)
    machine = users.twinx()
    machine.plot([t for t, _ in load], [v for _, v in load], color="tab:purple", lw=0.8, ls=":")
    machine.set_ylabel("load average (1 min)", color="tab:purple")
    figure.tight_layout()
    figure.savefig(out, dpi=80)
    pyplot.close(figure)
