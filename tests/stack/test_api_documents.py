"""The published API documents tell the truth: schemathesis (the OpenAPI fuzzer) against the running APIs,
through the gateway, every check on, a fixed seed. Its own stack: the fuzzer logs out, disables, closes.

tests/stack/schemathesis.toml names the few operations where the domain may refuse (422) what no JSON Schema can
say, and why."""
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import DEMO_PASSWORD, TEST_SETTINGS, Stack
from tools.stack import VENV_BIN, running

pytestmark = pytest.mark.stack

FUZZED = ("directory", "news", "workload", "portal", "sso")  # sso last: the fuzzer logs its token out
SEED, EXAMPLES = "1", "10"
# Not the stateful phase: its chains (create, then act on what was created) depend on what the runs before it left
# in the shared stack, so its findings came and went between identical runs.
PHASES = "examples,coverage,fuzzing"
CONFIG = Path(__file__).with_name("schemathesis.toml")  # where the domain refuses what no schema can say


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running(tmp_path_factory.mktemp("api-documents"), {**TEST_SETTINGS, "WORKLOAD_INSTANCES": "1",
                                                            "GATEWAY_INSTANCES": "1"}) as started:
        yield Stack(**vars(started))


@pytest.mark.parametrize("service", FUZZED)
def test_every_document_is_public_and_every_error_is_a_problem(stack, service):
    document = requests.get(f"{stack.url}/api/{service}/openapi.json", timeout=10)  # no token: it grants nothing
    assert document.status_code == 200
    spec = document.json()
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert "default" in operation["responses"], (method, path)


ROLES = ("demo-central", "demo-province", "demo-district", "demo-ssoadmin")


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("service", FUZZED)
def test_schemathesis_finds_nothing(stack, service, user):
    """As each kind of user: what one may do, another is refused, and both answers must be as documented."""
    token = stack.post("/api/sso/token", json={"username": user, "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    command = [str(VENV_BIN / "schemathesis"), "--config-file", str(CONFIG), "run",
               f"{stack.url}/api/{service}/openapi.json", "--url", stack.url,
               "-H", f"Authorization: Bearer {token.json()['access_token']}", "--checks", "all",
               "--max-examples", EXAMPLES, "--seed", SEED, "--phases", PHASES, "--no-color"]
    assert shutil.which(command[0]), "schemathesis is missing: make test installs requirements-dev.txt"
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:]
