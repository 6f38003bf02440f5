"""The load test's figures, from LOADTEST_* environment variables (README "Load test"): the season's
defaults, which the smoke test and the step test change."""
import os
from dataclasses import dataclass
from pathlib import Path


def _span(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


@dataclass(frozen=True)
class Config:
    year: int
    districts: int
    provinces: int
    central: int
    public: int
    spawn_rate: float
    steady_seconds: int  # the season's run: how long every user stays on after the last one arrived
    think: tuple[float, float]  # seconds between one person's actions
    province_every: tuple[float, float]  # seconds between a province's visits to its page
    finish_share: float  # districts that complete their record (and then only read)
    revisions: tuple[float, float]  # how many aspects a finishing district saves again before its last one
    officers: int  # district users of one office split aspects 1–7 this many ways (the step test: 4)
    p95_ms: float  # the season's target for pages and saves
    step_users: int  # 0: the season's run; else the step test's users added per step
    step_seconds: int
    step_max_seconds: int
    step_p95_ms: float
    out: Path

    @property
    def users(self) -> int:
        return self.districts + self.provinces + self.central + self.public

    @property
    def ramp_seconds(self) -> float:
        return self.users / self.spawn_rate


def from_environment(env=os.environ) -> Config:
    def get(name, default):
        return env.get(f"LOADTEST_{name}") or default

    step_users = int(get("STEP_USERS", "0"))
    revisions = _span(get("REVISIONS", "0-20"))
    return Config(
        year=int(get("YEAR", "2569")),
        districts=int(get("DISTRICTS", "878")), provinces=int(get("PROVINCES", "76")),
        central=int(get("CENTRAL", "10")), public=int(get("PUBLIC", "10")),
        spawn_rate=float(get("SPAWN_RATE", "5")), steady_seconds=int(get("STEADY_SECONDS", "600")),
        think=_span(get("THINK", "5-15")), province_every=_span(get("PROVINCE_EVERY", "30-60")),
        # The step test adds officers to offices that exist already: nobody finishes, nothing is confirmed.
        finish_share=0.0 if step_users else float(get("FINISH_SHARE", "0.5")),
        revisions=(int(revisions[0]), int(revisions[1])), officers=4 if step_users else 1,
        p95_ms=float(get("P95_MS", "300")),
        step_users=step_users, step_seconds=int(get("STEP_SECONDS", "120")),
        step_max_seconds=int(get("STEP_MAX_SECONDS", "1200")), step_p95_ms=float(get("STEP_P95_MS", "1000")),
        out=Path(get("OUT", str(Path(__file__).resolve().parent.parent / "var" / "loadtest"))),
    )
