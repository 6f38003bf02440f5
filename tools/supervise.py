"""The stack's processes, each in a process group of its own, so that one can be stopped, killed and started
again while the rest keep running: what a test needs to prove that nothing lives in one process.

honcho, which ran the stack before, stops every process when one exits; supervisord signals only a
program's main process, not its gunicorn or nginx workers. Killing the whole group is what a container
dying looks like, and it frees the port at once for the next start.

    supervisor = Supervisor(programs, env, log_dir)
    supervisor.start()                  # every program, waits until each answers
    supervisor.kill("workload.2")       # SIGKILL to that instance's master and workers
    supervisor.start("workload.2")      # back, and answering
    supervisor.stop("sso")              # every instance of a service, SIGTERM
    supervisor.stop()                   # everything
"""
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests


@dataclass
class Program:
    name: str  # "workload.2": service and instance; "dlaconnect" for a single helper
    argv: list[str]
    ready_url: str | None = None  # answers 200 once the program serves
    env: dict[str, str] = field(default_factory=dict)  # this program's own settings, over the stack's
    process: subprocess.Popen | None = None

    @property
    def service(self) -> str:
        return self.name.split(".", 1)[0]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class NotReady(RuntimeError):
    """A program exited while starting, or did not answer in time."""


class Supervisor:
    def __init__(self, programs: list[Program], env: dict[str, str], log_dir: Path | None = None,
                 cwd: Path | None = None):
        """log_dir: each program appends its output to <log_dir>/<name>.log; None: to this process's
        standard output, each line behind the program's name (as honcho did, for `make run`)."""
        self.programs = {program.name: program for program in programs}
        self.env = env
        self.log_dir = log_dir
        self.cwd = cwd
        self._print_lock = threading.Lock()

    def select(self, name: str | None = None) -> list[Program]:
        """None: every program; "workload": all its instances; "workload.2": that one."""
        if name is None:
            return list(self.programs.values())
        chosen = [p for p in self.programs.values() if name in (p.name, p.service)]
        if not chosen:
            raise KeyError(f"no program {name!r}; there are {', '.join(self.programs)}")
        return chosen

    def start(self, name: str | None = None, timeout: float = 60) -> None:
        """Start what is not running of `name` (default everything) and wait until all of it answers."""
        chosen = [p for p in self.select(name) if not p.alive()]
        for program in chosen:
            self._spawn(program)
        self.wait_ready(chosen, timeout)

    def wait_ready(self, programs: list[Program], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        waiting = [p for p in programs if p.ready_url]
        while waiting:
            program = waiting[0]
            if not program.alive():
                raise NotReady(f"{program.name} exited with {program.process.returncode}:\n{self.tail(program)}")
            if time.monotonic() > deadline:
                raise NotReady(f"{program.name} did not answer {program.ready_url} within {timeout} s:\n"
                               f"{self.tail(program)}")
            try:
                if requests.get(program.ready_url, timeout=2).status_code == 200:
                    waiting.pop(0)
                    continue
            except requests.RequestException:
                pass  # not listening yet, or still booting
            time.sleep(0.1)

    def kill(self, name: str, sig: int = signal.SIGKILL, timeout: float = 15) -> None:
        """Send `sig` to each chosen program's whole process group and wait until it is gone."""
        for program in self.select(name):
            self._signal(program, sig)
        for program in self.select(name):
            self._reap(program, timeout)

    def stop(self, name: str | None = None, timeout: float = 15) -> None:
        """SIGTERM, then SIGKILL whatever is still there after `timeout` seconds."""
        self.kill(name, signal.SIGTERM, timeout)

    def _spawn(self, program: Program) -> None:
        env = {**self.env, **program.env, "DCC_INSTANCE": program.name}
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            with self.log_path(program).open("a") as out:
                program.process = subprocess.Popen(program.argv, env=env, cwd=self.cwd, stdout=out,
                                                   stderr=subprocess.STDOUT, start_new_session=True)
            return
        program.process = subprocess.Popen(program.argv, env=env, cwd=self.cwd, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, start_new_session=True)
        threading.Thread(target=self._echo, args=(program, program.process), daemon=True).start()

    def _echo(self, program: Program, process: subprocess.Popen) -> None:
        width = max(len(name) for name in self.programs)
        for line in iter(process.stdout.readline, b""):
            text = line.decode("utf-8", "replace").rstrip("\n")
            with self._print_lock:
                print(f"{datetime.now():%H:%M:%S} {program.name:<{width}} | {text}", flush=True)

    def _signal(self, program: Program, sig: int) -> None:
        if program.process is None:
            return
        try:
            os.killpg(program.process.pid, sig)  # the group's id is the leader's pid (start_new_session)
        except ProcessLookupError:
            pass  # already gone, group and all

    def _reap(self, program: Program, timeout: float) -> None:
        if program.process is None:
            return
        try:
            program.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal(program, signal.SIGKILL)
            program.process.wait()
        # Workers of a killed master may outlive it for a moment; the port is free only once they are gone.
        self._signal(program, signal.SIGKILL)

    def log_path(self, program: Program) -> Path:
        return self.log_dir / f"{program.name}.log"

    def tail(self, program: Program, size: int = 4000) -> str:
        if self.log_dir is None or not self.log_path(program).exists():
            return ""
        return self.log_path(program).read_text(errors="replace")[-size:]

    def run_forever(self, restart_after: float = 1.0) -> None:
        """For `make run`: everything up; a program that exits is said and started again; Ctrl-C or
        SIGTERM stops it all."""
        def finish(_signum, _frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, finish)
        try:
            self.start()
            while True:
                time.sleep(restart_after)
                for program in self.select():
                    if not program.alive():
                        print(f"{program.name} exited with {program.process.returncode}; starting it again",
                              file=sys.stderr, flush=True)
                        self._spawn(program)
        except NotReady as exc:
            print(exc, file=sys.stderr, flush=True)
            raise SystemExit(1) from None
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
