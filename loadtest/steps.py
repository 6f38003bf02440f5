"""The step test's book-keeping inside Locust: each step's latencies and failures, the CPU it took, and
the highest step whose p95 stayed within the limit (written to step.json for run.py)."""
import json
import math

from loadtest import cpu
from loadtest.names import SIGN_IN


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


class StepRecorder:
    def __init__(self, config):
        self.config = config
        self.steps: list[dict] = []
        self.step = -1
        self.cpu_before = cpu.snapshot()
        self.finished = False

    def add(self, request_type, name, response_time, exception=None, **_kwargs):
        if self.step < 0:
            return
        current = self.current
        if exception:
            current["failures"] += 1
        times = current["sign_in"] if (request_type, name) == SIGN_IN else current["times"]
        times.append(response_time)
        current["by_name"].setdefault(f"{request_type} {name}", []).append(response_time)

    @property
    def current(self) -> dict:
        return self.steps[-1]

    def at_step(self, step: int, users: int) -> bool:
        """Called every second with the step the clock is in: closes the step before when a new one
        begins; False once a closed step missed the limit."""
        if step != self.step:
            if self.steps:
                self._close()
                if self.current["p95_ms"] > self.config.step_p95_ms:
                    return False
            self.step = step
            self.steps.append({"users": users, "times": [], "sign_in": [], "by_name": {}, "failures": 0})
        return True

    def _close(self) -> None:
        current, after = self.current, cpu.snapshot()
        times = current.pop("times")
        sign_in = current.pop("sign_in")
        by_name = current.pop("by_name")
        current.update(requests=len(times) + len(sign_in), p50_ms=percentile(times, 0.5),
                       p95_ms=percentile(times, 0.95), p99_ms=percentile(times, 0.99),
                       sign_in_p95_ms=percentile(sign_in, 0.95),
                       slowest={name: percentile(values, 0.95) for name, values in
                                sorted(by_name.items(), key=lambda item: -percentile(item[1], 0.95))[:4]},
                       cpu=cpu.between(self.cpu_before, after))
        self.cpu_before = after

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        if self.steps and "times" in self.current:
            self._close()
        self.steps = [s for s in self.steps if s["requests"]]
        passed = [s for s in self.steps if s["p95_ms"] <= self.config.step_p95_ms]
        self.config.out.mkdir(parents=True, exist_ok=True)
        (self.config.out / "step.json").write_text(json.dumps({
            "limit_p95_ms": self.config.step_p95_ms,
            "highest_users_within_limit": max((s["users"] for s in passed), default=0),
            "steps": self.steps}, indent=1, ensure_ascii=False))
