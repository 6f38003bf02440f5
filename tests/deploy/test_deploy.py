"""The production files, checked where no Docker engine runs: they parse, and say what they must."""
import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib

import pytest
import requests
import yaml
from sqlalchemy.pool import NullPool

from gateway import render
from shared.config import ConfigError
from shared.web import create_service_app
from tools.stack import ROOT, SERVICES, free_port

DEPLOY = ROOT / "deploy"
PYTHON_SERVICES = [s.name for s in SERVICES]


def k8s_documents():
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name == "pod-defaults.yaml":  # a patch of every Deployment, not an object of its own
            continue
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def test_compose_runs_every_service_with_its_own_database_and_role():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "pgbouncer", "minio", "migrate", "gateway", *PYTHON_SERVICES,
                             "workload-relay", "news-relay", "sso-relay", "portal-sender"}
    # The notifications' loops serve no HTTP: nothing for a healthcheck to ask (deploy/k8s/notifications.yaml).
    for service in ("workload", "news", "sso"):
        assert services[f"{service}-relay"]["command"] == ["flask", "--app", service, "relay"]
        assert services[f"{service}-relay"]["environment"]["PORTAL_INTERNAL_URL"] == "http://portal:8000"
    assert services["portal-sender"]["command"] == ["flask", "--app", "portal", "send-mail"]
    for service in ("sso", "workload", "directory", "news"):  # the bell on their pages, the cockpit's deliveries
        assert services[service]["environment"]["PORTAL_INTERNAL_URL"] == "http://portal:8000", service
    for name in ("workload-relay", "news-relay", "sso-relay", "portal-sender"):
        assert services[name]["healthcheck"] == {"disable": True} and services[name]["read_only"] is True
    trusted = None
    urls = {}
    for name in PYTHON_SERVICES:
        env = services[name]["environment"]
        assert env["SERVICE"] == name and env["DCC_ENV"] == "production" and env["MIGRATE"] == "false"
        assert "healthcheck" in services[name] and services[name]["read_only"] is True
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        urls[name] = env[f"{name.upper()}_DATABASE_URL"]
        assert (urls[name].startswith(f"postgresql+psycopg://dcc_{name}:")
                and urls[name].endswith(f"@pgbouncer:6432/{name}"))
        assert env["DCC_PGBOUNCER"] == "true"
        trusted = env["DCC_TRUSTED_HOSTS"]
        assert name in trusted.split(","), trusted
        # The healthcheck names the service as Host, which DCC_TRUSTED_HOSTS lets in.
        assert "os.environ['SERVICE']" in " ".join(services[name]["healthcheck"]["test"])
    assert len(set(urls.values())) == len(PYTHON_SERVICES)
    migrate = services["migrate"]
    assert migrate["command"] == ["migrate"] and migrate["image"] == services["workload"]["image"]
    for name in PYTHON_SERVICES:
        assert migrate["environment"][f"{name.upper()}_MIGRATION_DATABASE_URL"].startswith(
            f"postgresql+psycopg://dcc_{name}_owner:")
    # Uploads in MinIO's buckets, which the migrate service makes: no container keeps files of its own.
    assert migrate["environment"]["DCC_CREATE_BUCKETS"] == "true"
    assert migrate["depends_on"]["minio"] == {"condition": "service_healthy"}
    for name in ("news", "portal"):
        env = services[name]["environment"]
        assert env["AWS_ENDPOINT_URL"] == "http://minio:9000"
        assert env[f"{name.upper()}_MEDIA_BUCKET"] == migrate["environment"][f"{name.upper()}_MEDIA_BUCKET"]
        assert "volumes" not in services[name] and not any(k.endswith("_MEDIA_DIR") for k in env)
    assert set(compose["volumes"]) == {"pgdata", "sso-keys", "miniodata"}
    script = (DEPLOY / "postgres" / "create-databases.sh").read_text()
    assert re.search(r"for service in (.+); do", script).group(1).split() == PYTHON_SERVICES
    assert services["gateway"]["ports"] == ["8080:8080"]
    users = compose["configs"]["pgbouncer-users"]["content"]
    assert all(f'"dcc_{name}"' in users for name in PYTHON_SERVICES)
    for image in (services["workload"]["image"], services["gateway"]["image"], services["pgbouncer"]["image"]):
        assert image.endswith(":" + tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def test_kustomization_lists_existing_files():
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (DEPLOY / "k8s" / resource).is_file(), resource
    assert set(kustomization["resources"]) | {"kustomization.yaml", "secret.example.yaml", "pod-defaults.yaml"} == {
        path.name for path in (DEPLOY / "k8s").glob("*.yaml")}, "a manifest that is never applied"


def test_every_service_pod_names_itself_in_its_request_logs():
    for name, doc in k8s_documents():
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] in PYTHON_SERVICES:
            env = {e["name"]: e for e in doc["spec"]["template"]["spec"]["containers"][0]["env"]}
            assert env["DCC_INSTANCE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name", name


def test_the_build_context_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "var", ".git", "tests"} <= set(ignored)


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
    egress_targets = (policies["services-egress"]["spec"]["egress"][1]["to"][0]
                      ["podSelector"]["matchExpressions"][0]["values"])
    assert "directory" in egress_targets
    # Every page's bell asks the portal (/internal/unread), the cockpit its deliveries: the way out and the way in.
    assert "portal" in egress_targets
    portal_callers = {value for rule in policies["portal-from-relay"]["spec"]["ingress"] for source in rule["from"]
                      for value in source["podSelector"]["matchExpressions"][0]["values"]}
    assert {"sso", "workload", "directory", "news"} <= portal_callers


def test_images_are_pinned_and_run_unprivileged():
    dockerfiles = sorted(path.name for path in DEPLOY.glob("*.Dockerfile"))
    assert dockerfiles == ["nginx.Dockerfile", "pgbouncer.Dockerfile", "python.Dockerfile"]
    for dockerfile in dockerfiles:
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


def test_the_gateway_container_renders_its_configuration_from_the_environment_at_start(tmp_path):
    """The gateway image's entrypoint, run here with the image's settings (its ENV) and what the Kubernetes
    manifest adds: nginx starts with the workers, upstreams and status port the environment names, and
    refuses what only the platform may ask."""
    dockerfile = (DEPLOY / "nginx.Dockerfile").read_text()
    image_env = dict(re.findall(r"""(GATEWAY_\w+)=("[^"]*"|\S+)""",
                                dockerfile.split("\nENV ", 1)[1].split("\nUSER")[0]))
    image_env = {k: v.strip('"') for k, v in image_env.items()}
    assert image_env["GATEWAY_UPSTREAM_WORKLOAD"] == "workload:8000" and image_env["GATEWAY_WORKERS"] == "1"
    port, status_port = free_port(), free_port()
    env = {**image_env, "PATH": os.environ["PATH"], "PYTHON": sys.executable,
           "NGINX": shutil.which("nginx") or "/usr/sbin/nginx",
           # Names of containers do not resolve here; the loopback stands in for them.
           **{k: "127.0.0.1:9" for k in image_env if k.startswith("GATEWAY_UPSTREAM_")},
           "GATEWAY_PORT": str(port), "GATEWAY_STATUS_PORT": str(status_port), "GATEWAY_WORKERS": "3",
           "GATEWAY_RUN_DIR": str(tmp_path / "run"), "GATEWAY_STATIC_DIR": str(ROOT / "shared" / "static"),
           "GATEWAY_ERRORS_DIR": str(ROOT / "gateway" / "errors"), "GATEWAY_ACCESS_LOG": "off",
           "DCC_GATEWAY_SECRET": "s" * 43}
    log = tmp_path / "nginx.log"
    with log.open("w") as out:
        nginx = subprocess.Popen([str(DEPLOY / "gateway-entrypoint.sh")], env=env, start_new_session=True,
                                 stdout=out, stderr=subprocess.STDOUT)
    try:
        answer = None
        for _ in range(50):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert nginx.poll() is None, log.read_text()
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200
        config = (tmp_path / "run" / "nginx.conf").read_text()
        assert "worker_processes 3;" in config and f'X-Auth-Checked "{"s" * 43}"' in config
        assert "user root" not in config
        workers = subprocess.run(["pgrep", "-g", str(nginx.pid), "-f", "nginx: worker"], capture_output=True, text=True)
        assert len(workers.stdout.split()) == 3
        assert "Active connections" in requests.get(f"http://127.0.0.1:{status_port}/stub_status", timeout=2).text
        for path in ("/metrics", "/livez", "/metrics/anything"):
            refused = requests.get(f"http://127.0.0.1:{port}{path}", timeout=2)
            assert refused.status_code == 404 and "ok" not in refused.text, path
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        nginx.wait(10)


@pytest.mark.parametrize("secret, starts", [(None, False), ("", False), ("short", False),
                                            ('x" ; evil' + "x" * 40, False),
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
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] not in ("sso", "pgbouncer"):
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
    """It renders at every container start, with only what the image holds."""
    stage = (DEPLOY / "nginx.Dockerfile").read_text()
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
    assert "GATEWAY_TRUSTED_PROXIES" in docs[("ConfigMap", "dcc-gateway")]["data"]


def test_the_dashboard_reads_only_metrics_that_exist():
    """deploy/grafana-dashboard.json imports into Grafana (a datasource input, panels with queries) and every
    series it asks for is one the services define (shared/metrics.py) or nginx's exporter serves."""
    import json

    from prometheus_client import Counter, Histogram

    from shared import metrics

    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    assert dashboard["__inputs"][0]["pluginId"] == "prometheus" and dashboard["uid"]
    ours = set()
    for metric in vars(metrics).values():
        if isinstance(metric, Counter):
            ours.add(metric._name + "_total")
        elif isinstance(metric, Histogram):
            ours |= {metric._name + suffix for suffix in ("_bucket", "_sum", "_count")}
    asked = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            asked |= set(re.findall(r"\b((?:dcc|nginx)_[a-z_]+)\{", target["expr"]))
    assert asked and {m for m in asked if m.startswith("dcc_")} <= ours, asked - ours
    assert {m for m in asked if m.startswith("nginx_")} <= {"nginx_connections_active", "nginx_http_requests_total"}
    assert {"dcc_workload_saves_total", "dcc_http_request_duration_seconds_bucket"} <= asked


def test_the_pgbouncer_container_pools_for_the_services_and_checks_their_passwords():
    """deploy/pgbouncer-entrypoint.sh, as the image runs it (not as root) and as the tests' stack does
    (tools.pgbouncer), in front of the real PostgreSQL: the right password passes, a guess does not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from shared.testing import postgres_server_url
    from tools import pgbouncer

    with pgbouncer.pooling(postgres_server_url(), free_port(), pool_size=1) as url:
        engine = create_engine(url, connect_args={"prepare_threshold": None}, poolclass=NullPool)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()
        wrong = create_engine(make_url(url).set(password="a-guess"), poolclass=NullPool)
        with pytest.raises(OperationalError):
            wrong.connect()
        wrong.dispose()
