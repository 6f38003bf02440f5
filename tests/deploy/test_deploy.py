"""The production files, checked where no Docker engine runs: they parse, and say what they must."""
import ast
import re
import shutil
import subprocess

import pytest
import yaml

from gateway import render
from shared.config import ConfigError
from shared.web import create_service_app
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


def test_every_service_pod_names_itself_in_its_request_logs():
    for name, doc in k8s_documents():
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] in PYTHON_SERVICES:
            env = {e["name"]: e for e in doc["spec"]["template"]["spec"]["containers"][0]["env"]}
            assert env["DCC_INSTANCE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name", name


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
    """Render with the very settings of nginx.Dockerfile, fill in the secret as the image's entrypoint does
    when the container starts (envsubst of the DCC_ variables), and let nginx itself check the result."""
    dockerfile = (DEPLOY / "nginx.Dockerfile").read_text()
    blocks = dockerfile.split("\nARG ", 1)[1].split("\nFROM", 1)[0]  # the build arguments, the ENV and the RUN
    settings = dict(re.findall(r"""(\w+)=("[^"]*"|'[^']*'|\S+)""", blocks))
    settings = {k: v.strip("\"'") for k, v in settings.items()}
    assert settings["GATEWAY_UPSTREAM_WORKLOAD"] == "workload:8000"
    assert settings["DCC_GATEWAY_SECRET"] == "${DCC_GATEWAY_SECRET}"  # no secret in the image
    # Names of containers do not resolve here; the loopback stands in for them.
    local = {k: ("127.0.0.1:8000" if k.startswith("GATEWAY_UPSTREAM_") else v) for k, v in settings.items()}
    local.update(GATEWAY_RUN_DIR=str(tmp_path), GATEWAY_STATIC_DIR=str(ROOT / "shared" / "static"),
                 GATEWAY_ERRORS_DIR=str(ROOT / "gateway" / "errors"))
    template = render.render(local)
    assert "user root" not in template and "limit_req zone=sso_login" in template
    assert 'proxy_set_header X-Auth-Checked "${DCC_GATEWAY_SECRET}";' in template
    secret = "s" * 43
    config = template.replace("${DCC_GATEWAY_SECRET}", secret)
    assert "${" not in config and f'X-Auth-Checked "{secret}"' in config
    path = tmp_path / "nginx.conf"
    path.write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-c", str(path), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("secret, starts", [(None, False), ("", False), ("short", False), ('x" ; evil' + "x" * 40, False),
                                            ("CHANGE-ME" + "x" * 30, False), ("A1_-" * 10, True)])
def test_the_gateway_container_does_not_start_without_its_secret(secret, starts):
    env = {"PATH": "/usr/bin:/bin", **({"DCC_GATEWAY_SECRET": secret} if secret is not None else {})}
    result = subprocess.run(["sh", str(DEPLOY / "gateway-require-secret.sh")], env=env, capture_output=True, text=True)
    assert (result.returncode == 0) is starts, result.stderr
    if not starts:
        assert "DCC_GATEWAY_SECRET is required" in result.stderr


@pytest.mark.parametrize("secret", ['a" ; return 200', "too-short", "x" * 31, "CHANGE-ME",
                                    "CHANGE-ME-TO-32-OR-MORE-LETTERS-AND-DIGITS"])
def test_nginx_and_the_services_refuse_a_secret_that_could_break_or_weaken_the_check(secret, monkeypatch):
    with pytest.raises(ConfigError, match="DCC_GATEWAY_SECRET"):
        render.settings({"DCC_GATEWAY_SECRET": secret})
    monkeypatch.setenv("DCC_GATEWAY_SECRET", secret)
    with pytest.raises(ConfigError, match="DCC_GATEWAY_SECRET"):
        create_service_app(__name__, "probe")


def test_every_service_and_the_gateway_share_the_secret_in_compose_and_kubernetes():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for name in ("portal", "workload", "directory", "news", "gateway"):
        assert compose["services"][name]["environment"]["DCC_GATEWAY_SECRET"].startswith("${DCC_GATEWAY_SECRET:?")
    for _file, doc in k8s_documents():
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] != "sso":
            env = {e["name"]: e for e in doc["spec"]["template"]["spec"]["containers"][0].get("env", [])}
            ref = env["DCC_GATEWAY_SECRET"]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": "dcc-secrets", "key": "DCC_GATEWAY_SECRET"}, doc["metadata"]["name"]


@pytest.mark.parametrize("prefix", ["/workload/", "/api/workload/", "/directory/admin/", "/api/directory/admin/",
                                    "/directory/staff/", "/api/directory/staff/"])
def test_protected_locations_use_auth_request(prefix):
    config = render.render({"DCC_VAR_DIR": "/tmp/x"})
    block = config.split(f"location {prefix} {{", 1)[1].split("\n    }", 1)[0]
    assert "auth_request /_auth;" in block
    assert "proxy_set_header X-Auth-User $auth_user;" in block


def test_several_instances_of_a_service_are_one_upstream_that_nginx_accepts(tmp_path):
    config = render.render({"GATEWAY_UPSTREAM_WORKLOAD": " 127.0.0.1:18092  127.0.0.1:18192 ",
                            "GATEWAY_UPSTREAM_SSO": "127.0.0.1:18090,127.0.0.1:18190",
                            "GATEWAY_RUN_DIR": str(tmp_path), "GATEWAY_ACCESS_LOG": "off"})
    for name, ports in (("workload", (18092, 18192)), ("sso", (18090, 18190)), ("news", (8094,))):
        block = re.search(rf"upstream {name} {{(.*?)}}", config, re.S).group(1)
        assert re.findall(r"server (\S+) ", block) == [f"127.0.0.1:{port}" for port in ports]
        assert "keepalive 32;" in block
    path = tmp_path / "nginx.conf"
    path.write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-c", str(path), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_upstream_without_an_address_is_refused_before_nginx_sees_it():
    with pytest.raises(ValueError, match="without an address"):
        render.settings({"GATEWAY_UPSTREAM_NEWS": " , "})


def test_the_gateway_image_copies_every_module_its_render_step_imports():
    dockerfile = (DEPLOY / "nginx.Dockerfile").read_text()
    stage = dockerfile.split("\nFROM ")[1]  # the render stage
    copied = set()
    for sources, target in re.findall(r"^COPY (.+) (\S+/)$", stage, re.M):
        copied |= {target + source.rsplit("/", 1)[-1] for source in sources.split()}
    tree = ast.parse((ROOT / "gateway" / "render.py").read_text())
    ours = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module.split(".")[0] in {"shared", "gateway", "tools"}}
    assert ours == {"shared.config", "shared.statuses"}
    for module in ours:
        parts = module.split(".")
        assert "/".join(parts) + ".py" in copied and parts[0] + "/__init__.py" in copied, copied


def test_tls_ends_at_the_ingress_and_the_sso_keys_rotate_and_purge_on_a_schedule():
    docs = {(doc["kind"], doc["metadata"]["name"]): doc for _f, doc in k8s_documents() if "metadata" in doc}
    ingress = docs[("Ingress", "dla-dcc")]["spec"]
    assert ingress["tls"][0]["secretName"] == "dcc-tls"
    assert ingress["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "gateway"
    assert docs[("Service", "gateway")]["spec"]["type"] == "ClusterIP"
    purge = docs[("CronJob", "sso-purge")]["spec"]
    container = purge["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][:4] == ["flask", "--app", "sso", "purge"]
    sso = docs[("Deployment", "sso")]["spec"]["template"]["spec"]
    assert {"name": "signing-keys", "secret": {"secretName": "dcc-sso-keys"}} in sso["volumes"]
    assert "GATEWAY_TRUSTED_PROXIES" in (DEPLOY / "nginx.Dockerfile").read_text()
