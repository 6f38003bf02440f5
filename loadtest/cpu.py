"""Where this machine's CPU went between two moments, per kind of process (Linux /proc): the load test's
own services, nginx, PgBouncer and load generator (the processes under LOADTEST_ROOT_PID, the run's
driver), the PostgreSQL server (shared with anyone else using it), and everything else (other work)."""
import os
import re
import time
from collections import defaultdict

TICKS = os.sysconf("SC_CLK_TCK")


def _group(cmdline: str, own: bool) -> str:
    if "postgres" in cmdline and "pgbouncer" not in cmdline:
        return "postgresql (shared server)"
    if not own:
        return "other processes"
    named = re.search(r"dcc-(?:fake-)?([a-z]+)", cmdline)  # gunicorn's --name of each service (tools/stack.py)
    if named:
        return named.group(1)
    for word in ("nginx", "pgbouncer", "locust"):
        if word in cmdline:
            return word
    return "load test (driver)"


def snapshot() -> dict:
    """CPU seconds used so far per group of the processes alive now, and the machine's busy/total ticks."""
    processes = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                cmdline = file.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if cmdline:  # fields[1]: the parent; [11] and [12]: user and system time
            processes[int(pid)] = (int(fields[1]), cmdline, (int(fields[11]) + int(fields[12])) / TICKS)
    root = int(os.environ.get("LOADTEST_ROOT_PID") or os.getpid())

    def own(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = processes[pid][0] if pid in processes else 0
        return False

    used: dict[str, float] = defaultdict(float)
    for pid, (_parent, cmdline, seconds) in processes.items():
        used[_group(cmdline, own(pid))] += seconds
    with open("/proc/stat") as file:
        ticks = [int(v) for v in file.readline().split()[1:]]
    return {"time": time.monotonic(), "used": dict(used), "busy": sum(ticks) - ticks[3] - ticks[4],
            "total": sum(ticks)}


def between(before: dict, after: dict) -> dict:
    """Cores used on average per group (largest first), the machine's busy share and its load average."""
    seconds = after["time"] - before["time"] or 1
    cores = {group: round((seconds_used - before["used"].get(group, 0)) / seconds, 2)
             for group, seconds_used in after["used"].items()}
    cores = {g: c for g, c in sorted(cores.items(), key=lambda item: -item[1]) if c >= 0.01}
    busy = (after["busy"] - before["busy"]) / max(1, after["total"] - before["total"])
    return {"cores_by_process": cores, "busy_share": round(busy, 3), "load_average": os.getloadavg()}
