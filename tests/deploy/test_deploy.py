"""The production files, checked where no Docker engine runs: they parse, and say what they must."""
import re
import shutil
import subprocess

import pytest
import yaml

from gateway import render
from tools.stack import ROOT, SERVICES

DEPLOY = ROOT / "deploy"
PYTHON_SERVICES = [s.name for s in SERVICES]


def k8s_documents():
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def test_compose_runs_every_service_with_its_own_database():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "gateway", *PYTHON_SERVICES}
    urls = {}
    for name in PYTHON_SERVICES:
        env = services[name]["environment"]
        assert env["SERVICE"] == name and env["DCC_ENV"] == "production"
        assert "healthcheck" in services[name] and services[name]["read_only"] is True
        urls[name] = env[f"{name.upper()}_DATABASE_URL"]
        assert urls[name].endswith(f"/{name}")
    assert len(set(urls.values())) == len(PYTHON_SERVICES)
    created = re.findall(r"CREATE DATABASE (\w+);", (DEPLOY / "postgres" / "create-databases.sql").read_text())
    assert sorted(created) == sorted(PYTHON_SERVICES)
    assert services["gateway"]["ports"] == ["8080:8080"]


def test_kustomization_lists_existing_files():
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (DEPLOY / "k8s" / resource).is_file(), resource


def test_every_deployment_is_probed_limited_and_unprivileged():
    deployments = {doc["metadata"]["name"]: doc for _f, doc in k8s_documents() if doc["kind"] == "Deployment"}
    assert set(deployments) == {"gateway", *PYTHON_SERVICES}
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["readinessProbe"]["httpGet"]["path"] == "/healthz", name
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert container["resources"]["requests"]["cpu"], name
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


def test_the_workload_service_scales_on_its_own():
    hpas = [doc for _f, doc in k8s_documents() if doc["kind"] == "HorizontalPodAutoscaler"]
    assert [h["spec"]["scaleTargetRef"]["name"] for h in hpas] == ["workload"]
    assert hpas[0]["spec"]["maxReplicas"] > hpas[0]["spec"]["minReplicas"] >= 2


def test_the_registry_syncs_on_a_schedule_with_the_services_image():
    jobs = {doc["metadata"]["name"]: doc for _f, doc in k8s_documents() if doc["kind"] == "CronJob"}
    spec = jobs["directory-sync"]["spec"]
    assert len(spec["schedule"].split()) == 5 and spec["timeZone"] == "Asia/Bangkok"
    assert spec["concurrencyPolicy"] == "Forbid"
    pod = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["restartPolicy"] == "Never"
    container = pod["containers"][0]
    assert container["command"] == ["flask", "--app", "directory", "sync"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    env = {e["name"] for e in container["env"]}
    assert "DIRECTORY_DATABASE_URL" in env
    config_maps = {ref["configMapRef"]["name"] for ref in container["envFrom"]}
    data = {doc["metadata"]["name"]: doc["data"] for _f, doc in k8s_documents() if doc["kind"] == "ConfigMap"}
    assert any("DIRECTORY_DLACONNECT_URL" in data[name] for name in config_maps)


def test_network_is_denied_unless_allowed():
    policies = {doc["metadata"]["name"]: doc for _f, doc in k8s_documents() if doc["kind"] == "NetworkPolicy"}
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    from_gateway = policies["services-from-gateway"]["spec"]["ingress"][0]["from"][0]
    assert from_gateway["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "gateway"}
    # The evidence pages ask the registry: workload may reach directory, and nothing else reaches it uninvited.
    to_directory = policies["directory-from-workload"]["spec"]
    assert to_directory["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "directory"}
    assert to_directory["ingress"][0]["from"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "workload"}
    egress_targets = policies["services-egress"]["spec"]["egress"][1]["to"][0]["podSelector"]["matchExpressions"][0]["values"]
    assert "directory" in egress_targets


def test_images_are_pinned_and_run_unprivileged():
    for dockerfile in ("python.Dockerfile", "nginx.Dockerfile"):
        text = (DEPLOY / dockerfile).read_text()
        for image in re.findall(r"^FROM (\S+)", text, re.M):
            assert ":" in image and not image.endswith(":latest"), image
        assert re.search(r"^USER (?!root|0\b)\S+", text, re.M), dockerfile
    requirements = (ROOT / "requirements.txt").read_text()
    assert all("==" in line for line in requirements.splitlines() if line and not line.startswith("#"))


def test_entrypoint_knows_every_service_and_refuses_others():
    script = DEPLOY / "entrypoint.sh"
    for name in PYTHON_SERVICES:
        assert name in script.read_text()
    result = subprocess.run(["sh", str(script)], env={"SERVICE": "bogus", "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True)
    assert result.returncode == 64 and "SERVICE must be" in result.stderr
    missing = subprocess.run(["sh", str(script)], env={"SERVICE": "news", "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "NEWS_DATABASE_URL is required" in missing.stderr


def test_the_container_gateway_configuration_is_valid_nginx(tmp_path):
    """Render with the very settings of nginx.Dockerfile and let nginx itself check the result."""
    dockerfile = (DEPLOY / "nginx.Dockerfile").read_text()
    env_block = dockerfile.split("ENV ", 1)[1].split("\nRUN", 1)[0]
    settings = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', env_block))
    settings = {k: v.strip('"') for k, v in settings.items()}
    assert settings["GATEWAY_UPSTREAM_WORKLOAD"] == "workload:8000"
    # Names of containers do not resolve here; the loopback stands in for them.
    local = {k: ("127.0.0.1:8000" if k.startswith("GATEWAY_UPSTREAM_") else v) for k, v in settings.items()}
    local.update(GATEWAY_RUN_DIR=str(tmp_path), GATEWAY_STATIC_DIR=str(ROOT / "shared" / "static"))
    config = render.render(local)
    assert "user root" not in config and "limit_req zone=sso_login" in config
    path = tmp_path / "nginx.conf"
    path.write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-c", str(path), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("prefix", ["/workload/", "/api/workload/", "/directory/admin/", "/api/directory/admin/",
                                    "/directory/staff/", "/api/directory/staff/"])
def test_protected_locations_use_auth_request(prefix):
    config = render.render({"DCC_VAR_DIR": "/tmp/x"})
    block = config.split(f"location {prefix} {{", 1)[1].split("\n    }", 1)[0]
    assert "auth_request /_auth;" in block
    assert "proxy_set_header X-Auth-User $auth_user;" in block
