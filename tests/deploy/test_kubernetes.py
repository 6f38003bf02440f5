"""The Kubernetes manifests as a platform team reads them: rendered by kustomize (kubectl's), every object
validated against the API schemas of the oldest and newest Kubernetes we support, and the rules that keep a
deadline day up asserted on the rendered objects (what `kubectl apply -k deploy/k8s` would send)."""
import copy
import re
import tomllib

import kubernetes_validate
import pytest
import yaml

from tests.deploy.kube import kustomize
from tools.stack import ROOT, SERVICES

K8S = ROOT / "deploy" / "k8s"
PYTHON_SERVICES = [s.name for s in SERVICES]
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
# Custom resources have no schema in kubernetes-validate: checked by the tests below instead.
NOT_IN_THE_API_SCHEMAS = {("ServiceMonitor", "dla-dcc")}
RELEASE = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
RESTRICTED_CAPABILITIES = {"NET_BIND_SERVICE"}  # the only one the "restricted" profile lets a pod add


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return kustomize(K8S)


@pytest.fixture(scope="module")
def by_kind(objects):
    found: dict[str, dict[str, dict]] = {}
    for doc in objects:
        found.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    return found


def pod_specs(by_kind):
    """(owner, pod spec) of every Deployment, Job and CronJob."""
    for name, deployment in by_kind["Deployment"].items():
        yield f"Deployment/{name}", deployment["spec"]["template"]["spec"]
    for name, job in by_kind.get("Job", {}).items():
        yield f"Job/{name}", job["spec"]["template"]["spec"]
    for name, cron in by_kind["CronJob"].items():
        yield f"CronJob/{name}", cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def containers(pod: dict) -> list[dict]:
    return pod.get("initContainers", []) + pod["containers"]


def env_of(container: dict) -> dict:
    return {e["name"]: e for e in container.get("env", [])}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_for_kubernetes(objects, version):
    checked = 0
    for doc in objects + kustomize(K8S / "monitoring"):
        if (doc["kind"], doc["metadata"]["name"]) in NOT_IN_THE_API_SCHEMAS:
            continue
        kubernetes_validate.validate(doc, version, strict=True)
        checked += 1
    assert checked == len(objects) >= 40


def test_the_validator_refuses_what_the_api_server_would():
    """So that the test above can fail: a misspelt field and a wrong type are caught."""
    deployment = next(d for d in kustomize(K8S) if d["kind"] == "Deployment")
    misspelt = copy.deepcopy(deployment)
    misspelt["spec"]["template"]["spec"]["containers"][0]["livenessProbes"] = {}
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["revisionHistoryLimit"] = "five"
    for broken in (misspelt, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_the_service_monitor_scrapes_every_metrics_port(by_kind):
    (monitor,) = [d for d in kustomize(K8S / "monitoring") if d["kind"] == "ServiceMonitor"]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1" and monitor["metadata"]["namespace"] == "dla-dcc"
    selector = monitor["spec"]["selector"]["matchLabels"]
    assert [e["port"] for e in monitor["spec"]["endpoints"]] == ["metrics"]
    for name in ["gateway", *PYTHON_SERVICES]:
        service = by_kind["Service"][name]
        assert selector.items() <= service["metadata"]["labels"].items(), name
        assert "metrics" in {p["name"] for p in service["spec"]["ports"]}, name


def test_the_namespace_enforces_the_restricted_pod_security_profile(by_kind):
    labels = by_kind["Namespace"]["dla-dcc"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"


def test_every_pod_meets_the_restricted_profile(by_kind):
    """What the API server's Pod Security Admission checks for "restricted", so a violation fails here first."""
    for owner, pod in pod_specs(by_kind):
        assert pod["securityContext"]["runAsNonRoot"] is True, owner
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", owner
        assert pod.get("automountServiceAccountToken") is False, owner
        assert not any(pod.get(key) for key in ("hostNetwork", "hostPID", "hostIPC")), owner
        for volume in pod.get("volumes", []):
            assert "hostPath" not in volume, owner
        for container in containers(pod):
            where = f"{owner}/{container['name']}"
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert set(context["capabilities"].get("add", [])) <= RESTRICTED_CAPABILITIES, where
            assert not context.get("privileged"), where
            assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"], where
            assert container["resources"]["limits"]["memory"], where


def test_every_image_carries_the_release_tag(by_kind):
    for owner, pod in pod_specs(by_kind):
        for container in containers(pod):
            image = container["image"]
            assert re.fullmatch(r"[\w./-]+:[\w.-]+", image) and not image.endswith(":latest"), (owner, image)
            if image.startswith("dla-dcc/"):
                assert image.endswith(f":{RELEASE}"), (owner, image)


def test_no_replicas_where_an_autoscaler_owns_the_count(by_kind):
    autoscaled = {h["spec"]["scaleTargetRef"]["name"]: h for h in by_kind["HorizontalPodAutoscaler"].values()}
    assert {"workload", "sso", "gateway"} <= set(autoscaled)
    for name, hpa in autoscaled.items():
        assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        assert "replicas" not in by_kind["Deployment"][name]["spec"], f"{name}: every apply would reset the scale"
        assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"] >= 2, name
    assert autoscaled["workload"]["spec"]["maxReplicas"] >= 12
    for name, deployment in by_kind["Deployment"].items():
        if name not in autoscaled:
            assert deployment["spec"]["replicas"] >= 2, name


def test_liveness_never_asks_the_database_and_readiness_does(by_kind):
    for name in PYTHON_SERVICES:
        pod = by_kind["Deployment"][name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        startup, live, ready = (container[p] for p in ("startupProbe", "livenessProbe", "readinessProbe"))
        assert startup["httpGet"]["path"] == live["httpGet"]["path"] == "/livez", name
        assert ready["httpGet"]["path"] == "/healthz", name
        for probe in (startup, live, ready):
            assert probe["timeoutSeconds"] >= 1 and probe["periodSeconds"] >= 1, name
            # DCC_TRUSTED_HOSTS refuses the pod's IP, which is what the kubelet would send as Host.
            assert probe["httpGet"]["httpHeaders"] == [{"name": "Host", "value": name}], name
        # A slow start is the startup probe's to wait for, never a liveness kill.
        assert startup["failureThreshold"] * startup["periodSeconds"] >= 30, name
        assert "initialDelaySeconds" not in live, name


def test_the_probes_host_headers_are_trusted_hosts(by_kind):
    trusted = by_kind["ConfigMap"]["dcc-config"]["data"]["DCC_TRUSTED_HOSTS"].split(",")
    ingress_hosts = [rule["host"] for rule in by_kind["Ingress"]["dla-dcc"]["spec"]["rules"]]
    assert set(PYTHON_SERVICES) | set(ingress_hosts) <= set(trusted)
    for name in PYTHON_SERVICES:
        assert by_kind["Service"][name]["metadata"]["name"] in trusted  # what siblings call it by


def test_every_deployment_has_a_disruption_budget_and_spreads(by_kind):
    budgets = {tuple(sorted(p["spec"]["selector"]["matchLabels"].items())): p
               for p in by_kind["PodDisruptionBudget"].values()}
    for name, deployment in by_kind["Deployment"].items():
        selector = tuple(sorted(deployment["spec"]["selector"]["matchLabels"].items()))
        assert selector in budgets, f"{name} has no PodDisruptionBudget"
        assert budgets[selector]["spec"]["maxUnavailable"] == 1, name
        pod = deployment["spec"]["template"]["spec"]
        keys = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, name
        for constraint in pod["topologySpreadConstraints"]:
            # The pod's own name label narrows the shared selector to its Deployment's pods.
            assert "app.kubernetes.io/name" in constraint["matchLabelKeys"], name
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, name


def test_a_stopping_pod_finishes_what_it_serves(by_kind):
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    graceful = int(re.search(r'_setting\("GRACEFUL_TIMEOUT", "(\d+)"\)', gunicorn).group(1))
    for name, deployment in by_kind["Deployment"].items():
        pod = deployment["spec"]["template"]["spec"]
        pause = int(pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][1])
        assert pause >= 3, name
        assert pod["terminationGracePeriodSeconds"] > pause + graceful, name


def test_migrations_run_once_per_release_as_the_schema_owner(by_kind):
    (job,) = by_kind["Job"].values()
    assert job["metadata"]["name"] == "migrate-" + RELEASE.replace(".", "-")
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["migrate"] and container["image"] == f"dla-dcc/python:{RELEASE}"
    env = env_of(container)
    for name in PYTHON_SERVICES:
        ref = env[f"{name.upper()}_MIGRATION_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "dcc-secrets", "key": f"{name.upper()}_MIGRATION_DATABASE_URL"}
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["activeDeadlineSeconds"] >= 600  # no probe cuts a long migration short
    example = yaml.safe_load_all((K8S / "secret.example.yaml").read_text())
    keys = next(doc for doc in example if doc["metadata"]["name"] == "dcc-secrets")["stringData"]
    for name in PYTHON_SERVICES:
        owner, runtime = keys[f"{name.upper()}_MIGRATION_DATABASE_URL"], keys[f"{name.upper()}_DATABASE_URL"]
        assert f"dcc_{name}_owner:" in owner and f"dcc_{name}:" in runtime


def test_services_serve_as_the_row_only_role_and_wait_for_the_schema(by_kind):
    for name in PYTHON_SERVICES:
        pod = by_kind["Deployment"][name]["spec"]["template"]["spec"]
        env = env_of(pod["containers"][0])
        assert env["MIGRATE"]["value"] == "false", name
        assert not any("MIGRATION" in key for key in env), name
        assert env[f"{name.upper()}_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == f"{name.upper()}_DATABASE_URL"
        (wait,) = pod["initContainers"]
        assert wait["args"] == ["wait"] and env_of(wait)["SERVICE"]["value"] == name, name
        assert not any("MIGRATION" in key for key in env_of(wait)), name


def test_the_gateway_is_configured_from_its_environment(by_kind):
    pod = by_kind["Deployment"]["gateway"]["spec"]["template"]["spec"]
    nginx = next(c for c in pod["containers"] if c["name"] == "nginx")
    env = env_of(nginx)
    # One worker per requested core: "auto" would count the node's cores under a small memory limit.
    assert env["GATEWAY_WORKERS"]["valueFrom"]["resourceFieldRef"]["resource"] == "requests.cpu"
    config = by_kind["ConfigMap"][nginx["envFrom"][0]["configMapRef"]["name"]]["data"]
    for name in PYTHON_SERVICES:
        assert config[f"GATEWAY_UPSTREAM_{name.upper()}"] == f"{name}:8000"
    assert "GATEWAY_TRUSTED_PROXIES" in config
    exporter = next(c for c in pod["containers"] if c["name"] == "exporter")
    assert f"127.0.0.1:{env['GATEWAY_STATUS_PORT']['value']}/stub_status" in " ".join(exporter["args"])


def test_metrics_ports_are_scraped_and_reachable_from_monitoring_only(by_kind):
    for name in PYTHON_SERVICES:
        template = by_kind["Deployment"][name]["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/port"] == "9100"
        ports = {p["name"]: p["containerPort"] for p in template["spec"]["containers"][0]["ports"]}
        assert ports == {"http": 8000, "metrics": 9100}, name
    policy = by_kind["NetworkPolicy"]["metrics-from-monitoring"]["spec"]
    assert {p["port"] for p in policy["ingress"][0]["ports"]} == {9100, 9113}
    assert policy["ingress"][0]["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]
    # The gateway never reaches a metrics port: its egress names the services' http port only.
    gateway = by_kind["NetworkPolicy"]["gateway"]["spec"]
    assert [p["port"] for rule in gateway["egress"] for p in rule["ports"]] == [8000]


def test_each_pod_kind_may_reach_its_database(by_kind):
    """The default denies everything: every pod that names a database may reach it, PostgreSQL itself (5432)
    for the schemas' owners (migrations, backups), PgBouncer (6432) for the services' roles."""
    policies = by_kind["NetworkPolicy"].values()
    for owner, pod in pod_specs(by_kind):
        kind, name = owner.split("/", 1)
        spec = by_kind[kind][name]["spec"]
        labels = (spec["jobTemplate"]["spec"]["template"] if kind == "CronJob"
                  else spec["template"])["metadata"]["labels"]
        names = {key for c in containers(pod) for key in env_of(c)}
        needed = ({5432} if any(k.endswith("_MIGRATION_DATABASE_URL") for k in names) else set()) | (
            {6432} if any(k.endswith("_DATABASE_URL") and "MIGRATION" not in k for k in names) else set())
        egress = [p for p in policies if "Egress" in p["spec"]["policyTypes"] and _selects(p, labels)]
        ports = {port["port"] for p in egress for rule in p["spec"].get("egress", []) for port in rule["ports"]}
        assert needed <= ports, (owner, needed, ports)


def _selects(policy: dict, labels: dict) -> bool:
    selector = policy["spec"]["podSelector"]
    if not selector:
        return True
    if "matchLabels" in selector:
        return selector["matchLabels"].items() <= labels.items()
    return all(labels.get(e["key"]) in e["values"] for e in selector["matchExpressions"] if e["operator"] == "In")


def test_uploads_live_in_object_storage_not_on_a_shared_volume(by_kind):
    """No ReadWriteMany volume (on most clouds a second pod hangs on Multi-Attach): news and the portal keep
    their files in the buckets of dcc-config with keys of their own, and may reach the store (HTTPS)."""
    claims = by_kind.get("PersistentVolumeClaim", {})
    assert all("ReadWriteMany" not in claim["spec"]["accessModes"] for claim in claims.values()), claims.keys()
    config = next(c["data"] for name, c in by_kind["ConfigMap"].items() if name.startswith("dcc-config"))
    policies = by_kind["NetworkPolicy"].values()
    for name in ("news", "portal"):
        deployment = by_kind["Deployment"][name]["spec"]["template"]
        (container,) = deployment["spec"]["containers"]
        env = env_of(container)
        assert config[f"{name.upper()}_MEDIA_BUCKET"] and config["AWS_ENDPOINT_URL"].startswith("https://")
        assert f"{name.upper()}_MEDIA_DIR" not in env
        for variable, key in (("AWS_ACCESS_KEY_ID", "S3_ACCESS_KEY_ID"),
                              ("AWS_SECRET_ACCESS_KEY", "S3_SECRET_ACCESS_KEY")):
            assert env[variable]["valueFrom"]["secretKeyRef"] == {"name": "dcc-secrets", "key": f"{name.upper()}_{key}"}
        egress = [p for p in policies
                  if "Egress" in p["spec"]["policyTypes"] and _selects(p, deployment["metadata"]["labels"])]
        assert 443 in {port["port"] for p in egress for rule in p["spec"].get("egress", [])
                       for port in rule["ports"]}, name
    secret = yaml.safe_load_all((K8S / "secret.example.yaml").read_text())
    keys = next(doc for doc in secret if doc["metadata"]["name"] == "dcc-secrets")["stringData"]
    assert {"NEWS_S3_ACCESS_KEY_ID", "PORTAL_S3_ACCESS_KEY_ID", "BACKUP_S3_ACCESS_KEY_ID"} <= set(keys)


WORKERS = {"workload-relay": ["flask", "--app", "workload", "relay"],
           "news-relay": ["flask", "--app", "news", "relay"], "sso-relay": ["flask", "--app", "sso", "relay"],
           "portal-sender": ["flask", "--app", "portal", "send-mail"]}


def test_the_notifications_workers_serve_no_http_and_are_not_probed_over_it(by_kind):
    """The relay and the sender are loops over their database (docs/notifications.md): no port, no Service, no
    HTTP probe; two replicas that lock what they take (SKIP LOCKED), so neither sends a row the other has."""
    for name, command in WORKERS.items():
        deployment = by_kind["Deployment"][name]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["command"] == command and "ports" not in container, name
        assert not {"startupProbe", "livenessProbe", "readinessProbe"} & set(container), name
        assert name not in by_kind["Service"] and deployment["spec"]["replicas"] == 2, name
    for name in ("workload-relay", "news-relay", "sso-relay"):
        relay = env_of(by_kind["Deployment"][name]["spec"]["template"]["spec"]["containers"][0])
        assert relay["PORTAL_INTERNAL_URL"]["value"] == "http://portal:8000" and "DCC_GATEWAY_SECRET" in relay, name
    sender = env_of(by_kind["Deployment"]["portal-sender"]["spec"]["template"]["spec"]["containers"][0])
    for key in ("SMTP_USER", "SMTP_PASSWORD"):
        assert sender[key]["valueFrom"]["secretKeyRef"] == {"name": "dcc-secrets", "key": key}
    config = by_kind["ConfigMap"]["dcc-config"]["data"]
    assert {"SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_FROM", "DCC_PUBLIC_URL"} <= set(config)
    secret = yaml.safe_load_all((K8S / "secret.example.yaml").read_text())
    assert {"SMTP_USER", "SMTP_PASSWORD"} <= set(next(d for d in secret if d["metadata"]["name"] == "dcc-secrets")
                                                 ["stringData"])


def test_the_reminders_run_daily_in_bangkok_once_at_a_time(by_kind):
    cron = by_kind["CronJob"]["workload-remind"]["spec"]
    assert cron["timeZone"] == "Asia/Bangkok" and cron["concurrencyPolicy"] == "Forbid"
    minute, hour, *every_day = cron["schedule"].split()
    assert every_day == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    (container,) = cron["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["flask", "--app", "workload", "remind"]


def _egress_ports(by_kind, labels: dict) -> set[int]:
    return {port["port"] for p in by_kind["NetworkPolicy"].values()
            if "Egress" in p["spec"]["policyTypes"] and _selects(p, labels)
            for rule in p["spec"].get("egress", []) for port in rule["ports"]}


def test_the_notifications_may_reach_what_they_call_and_no_more(by_kind):
    policies = by_kind["NetworkPolicy"].values()
    relays = [{"app.kubernetes.io/name": f"{name}-relay", "app.kubernetes.io/part-of": "dla-dcc"}
              for name in ("workload", "news", "sso")]
    sender = {"app.kubernetes.io/name": "portal-sender", "app.kubernetes.io/part-of": "dla-dcc"}
    remind = {"app.kubernetes.io/name": "workload-remind", "app.kubernetes.io/part-of": "dla-dcc"}
    for relay in relays:
        assert _egress_ports(by_kind, relay) == {53, 6432, 8000}  # DNS, its database, the portal
    assert _egress_ports(by_kind, sender) == {53, 6432, int(by_kind["ConfigMap"]["dcc-config"]["data"]["SMTP_PORT"])}
    assert _egress_ports(by_kind, remind) == {53, 6432, 8000}
    portal = {"app.kubernetes.io/name": "portal", "app.kubernetes.io/part-of": "dla-dcc"}
    for relay in relays:
        from_relay = [rule for p in policies if "Ingress" in p["spec"]["policyTypes"] and _selects(p, portal)
                      for rule in p["spec"].get("ingress", [])
                      if any(_selects({"spec": {"podSelector": peer["podSelector"]}}, relay)
                             for peer in rule.get("from", []) if "podSelector" in peer)]
        assert [port["port"] for rule in from_relay for port in rule["ports"]] == [8000], relay
    sso = {"app.kubernetes.io/name": "sso", "app.kubernetes.io/part-of": "dla-dcc"}
    assert any(_selects({"spec": {"podSelector": peer["podSelector"]}}, portal)
               for p in policies if "Ingress" in p["spec"]["policyTypes"] and _selects(p, sso)
               for rule in p["spec"].get("ingress", []) for peer in rule.get("from", []) if "podSelector" in peer)
