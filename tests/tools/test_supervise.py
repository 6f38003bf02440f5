"""The stack's process supervisor (tools/supervise.py): one process killed and started again while the others
keep running, and a kill that takes a program's whole process group with it."""
import signal
import subprocess
import sys

import pytest
import requests

from tools.stack import free_port
from tools.supervise import NotReady, Program, Supervisor


def web_server(name, port, child=""):
    """A program that answers HTTP on `port`; `child` is a shell command it starts first, in its group."""
    serve = f"{sys.executable} -m http.server --bind 127.0.0.1 {port}"
    return Program(name, ["sh", "-c", f"{child} & exec {serve}" if child else f"exec {serve}"],
                   f"http://127.0.0.1:{port}/")


@pytest.fixture
def supervisor(tmp_path):
    ports = [free_port(), free_port()]
    programs = [web_server("web.1", ports[0], child="sleep 600"), web_server("web.2", ports[1])]
    supervisor = Supervisor(programs, {"PATH": "/usr/bin:/bin"}, log_dir=tmp_path)
    supervisor.start()
    yield supervisor, ports
    supervisor.stop()


def answers(port):
    try:
        return requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def group_members(program):
    """The live processes of the program's group (a killed child may linger as a zombie until reaped)."""
    listing = subprocess.run(["ps", "-o", "pid=,stat=", "-g", str(program.process.pid)], capture_output=True, text=True)
    return [line.split()[0] for line in listing.stdout.splitlines() if not line.split()[1].startswith("Z")]


def test_one_program_killed_and_started_again_while_the_other_keeps_serving(supervisor):
    supervisor, (first, second) = supervisor
    program = supervisor.programs["web.1"]
    assert len(group_members(program)) == 2  # the shell's `sleep` child and the server

    supervisor.kill("web.1")
    assert not program.alive() and not answers(first)
    assert group_members(program) == []  # the whole group went, the child too
    assert answers(second) and supervisor.programs["web.2"].alive()

    supervisor.start("web.1")
    assert answers(first) and answers(second)


def test_a_service_name_chooses_all_its_instances_and_a_graceful_stop_ends_them(supervisor):
    supervisor, ports = supervisor
    assert [p.name for p in supervisor.select("web")] == ["web.1", "web.2"]
    supervisor.kill("web", signal.SIGTERM)
    assert not any(answers(port) for port in ports)
    with pytest.raises(KeyError, match="no program 'mail'"):
        supervisor.select("mail")


def test_a_program_that_exits_while_starting_is_reported_with_its_output(tmp_path):
    broken = Program("broken.1", ["sh", "-c", "echo cannot bind >&2; exit 3"], f"http://127.0.0.1:{free_port()}/")
    supervisor = Supervisor([broken], {"PATH": "/usr/bin:/bin"}, log_dir=tmp_path)
    with pytest.raises(NotReady, match=r"(?s)broken.1 exited with 3.*cannot bind"):
        supervisor.start()
