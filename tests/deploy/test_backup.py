"""A restore rehearsal on real PostgreSQL: a running center is changed through its gateway and backed up with
deploy/k8s/backup/backup.sh; restore.sh puts the backup into new databases made by deploy/postgres/roles.sql, as
the schemas' owner; a second center, serving as the row-only roles, shows what the first had. Also: a damaged
backup or one without MANIFEST is refused before anything is touched, a failed backup leaves no MANIFEST, and
the CronJob of deploy/k8s/backup.yaml runs these very scripts under the "restricted" profile."""
import hashlib
import os
import secrets
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import kubernetes_validate
import pytest
import requests
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.migrations import at_head
from shared.testing import database_urls, postgres_server_url, role_databases
from tests.conftest import TEST_SETTINGS, Stack
from tests.deploy.kube import kustomize
from tools.stack import ROOT, SERVICES, VENV_BIN, programs, render_gateways, running, stack_env
from tools.supervise import Supervisor

BACKUP_SH = ROOT / "deploy" / "k8s" / "backup" / "backup.sh"
RESTORE_SH = ROOT / "deploy" / "k8s" / "backup" / "restore.sh"
MANIFEST_YAML = ROOT / "deploy" / "k8s" / "backup.yaml"
NAMES = [s.name for s in SERVICES]
FILES = [f"{name}.dump" for name in NAMES] + ["news-media.tar.gz", "portal-media.tar.gz"]
SETTINGS = {**TEST_SETTINGS, "WORKLOAD_INSTANCES": "1", "GATEWAY_INSTANCES": "1"}
YEAR, DISTRICT = 2569, "8101"  # demo-district's open round


@dataclass
class Original:
    """What the first center served, to be served again by the restored one."""
    folder: Path  # the backup
    aspect: dict  # aspect 1 of the district's record after the save
    pdf_url: str
    pdf: bytes
    news_media: dict[str, bytes]  # URL → bytes of the demo's cover images
    failed: subprocess.CompletedProcess  # backup.sh with one database URL wrong
    failed_dir: Path


@pytest.fixture(scope="module")
def server():
    """The PostgreSQL server, which the stacks below use too (without TEST_DATABASE_URL they would use SQLite,
    which has no pg_dump)."""
    url = postgres_server_url()
    for tool in ("pg_dump", "pg_restore", "psql"):
        assert shutil.which(tool), f"{tool} (PostgreSQL's client, version 15 or newer) is needed for this test"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEST_DATABASE_URL", url)
        yield url


def script_env(urls: dict[str, str], media: dict[str, str], **settings) -> dict[str, str]:
    """Only what the scripts are given in the CronJob: nothing of this process's own settings leaks in. The
    image's Python is the virtualenv's here (it has the services' packages on its path)."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LC_ALL": "C.UTF-8",
           "PYTHON": str(VENV_BIN / "python"), **settings, **media}
    env.update({f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()})
    return env


def run(script: Path, env: dict[str, str], *args) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(script), *args], env=env, capture_output=True, text=True, timeout=300)


BUCKETS = SETTINGS.get("DCC_MEDIA_STORE") == "bucket"  # CI's stack keeps uploads in buckets, as production
S3_SETTINGS = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


def media_of(stack) -> dict[str, str]:
    """Where the stack keeps uploads, as the scripts are told: its buckets, or (no folders are set) the
    services' default folders under DCC_VAR_DIR (news/portal config.py)."""
    if BUCKETS:
        return {name: stack.env[name] for name in (*S3_SETTINGS, "NEWS_MEDIA_BUCKET", "PORTAL_MEDIA_BUCKET")}
    return folders(Path(stack.env["DCC_VAR_DIR"]))


def folders(root: Path) -> dict[str, str]:
    return {"NEWS_MEDIA_DIR": str(root / "news-media"), "PORTAL_MEDIA_DIR": str(root / "portal-media")}


def aspect_one(stack, headers) -> dict:
    response = stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["aspects"][0]


@pytest.fixture(scope="module")
def original(server, tmp_path_factory) -> Original:
    """The first center: changed through the gateway, backed up while it serves (as the CronJob does)."""
    tmp = tmp_path_factory.mktemp("original")
    with running(tmp / "var", SETTINGS) as started:
        stack = Stack(**vars(started))
        district = stack.bearer("demo-district")
        before = aspect_one(stack, district)
        answers = [{"question_id": q["id"], "volume": "37", "days": "2", "hours": "3"} for q in before["questions"]]
        saved = stack.send("PUT", f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/aspects/1", headers=district,
                           json={"version": before["version"], "answers": answers})
        assert saved.status_code == 200, saved.text
        aspect = aspect_one(stack, district)
        assert aspect["version"] != before["version"]

        central = stack.bearer("demo-central")
        created = stack.post("/api/portal/manage/items", headers=central,
                             json={"kind": "order", "title": "หนังสือสั่งการก่อนสำรองข้อมูล", "body": "สรุป",
                                   "order_number": "สำรอง 1/2569", "order_date": "2026-11-01"})
        assert created.status_code == 201, created.text
        item_id = created.json()["id"]
        pdf = b"%PDF-1.4\n%" + secrets.token_hex(20_000).encode()
        attached = requests.post(f"{stack.url}/api/portal/manage/items/{item_id}/attachment", headers=central,
                                 files={"attachment": ("สำรอง.pdf", pdf, "application/pdf")}, timeout=30)
        assert attached.status_code == 200, attached.text
        assert stack.patch(f"/api/portal/manage/items/{item_id}", headers=central,
                           json={"published": True}).status_code == 200
        pdf_url = attached.json()["attachment"]["url"]
        assert stack.get(pdf_url).content == pdf

        covers = [item["cover"] for item in stack.get("/api/news/items").json()["items"] if item["cover"]]
        assert covers, "the demo's news has images"
        news_media = {url: stack.get(url).content for cover in covers for url in (cover["url"], cover["thumbnail_url"])}

        media = media_of(stack)
        if not BUCKETS:  # an upload in the middle of being written, as storage.Folder leaves it: never archived
            (Path(media["NEWS_MEDIA_DIR"]) / ".0123abcd.jpg.5678.part").write_bytes(b"half an image")
        backups = tmp / "backups"
        (backups / "2000-01-01T0000").mkdir(parents=True)  # far older than BACKUP_KEEP_DAYS
        (backups / "keep-me").mkdir()  # not a backup's name: never removed
        done = run(BACKUP_SH, script_env(stack.database_urls, media, BACKUP_DIR=str(backups)))
        assert done.returncode == 0, done.stdout + done.stderr
        (folder,) = [p for p in backups.iterdir() if (p / "MANIFEST").exists()]

        wrong = {**stack.database_urls,
                 "workload": make_url(server).set(database="dcc_no_such_database").render_as_string(False)}
        failed_dir = tmp / "failed-backups"
        failed = run(BACKUP_SH, script_env(wrong, media, BACKUP_DIR=str(failed_dir)))
    return Original(folder, aspect, pdf_url, pdf, news_media, failed, failed_dir)


@pytest.mark.stack
def test_a_backup_holds_each_database_and_media_folder_under_its_manifest(original):
    folder = original.folder
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, "MANIFEST"])
    listed = {}
    for line in (folder / "MANIFEST").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    assert listed == {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}
    for name in NAMES:
        assert (folder / f"{name}.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    with tarfile.open(folder / "news-media.tar.gz") as archive:
        names = [Path(n).name for n in archive.getnames()]
    assert not any(n.endswith(".part") for n in names) and any(n.endswith(".jpg") for n in names)
    with tarfile.open(folder / "portal-media.tar.gz") as archive:
        pdfs = [m for m in archive.getmembers() if m.name.endswith(".pdf")]
        # The attached PDF among the demo's example documents (portal load-demo).
        assert original.pdf in [archive.extractfile(m).read() for m in pdfs]
    assert sorted(p.name for p in folder.parent.iterdir()) == sorted([folder.name, "keep-me"])


@pytest.mark.stack
def test_a_backup_with_a_wrong_database_url_fails_and_leaves_no_manifest(original):
    assert original.failed.returncode != 0
    assert "workload FAILED" in original.failed.stderr and "no MANIFEST" in original.failed.stderr
    (folder,) = original.failed_dir.iterdir()
    assert not (folder / "MANIFEST").exists() and not (folder / "workload.dump").exists()
    assert (folder / "sso.dump").is_file()  # the others were tried still: the message names every failure


def tables_of(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
    finally:
        engine.dispose()


@pytest.mark.stack
def test_restore_refuses_a_damaged_backup_and_one_without_manifest(original, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(original.folder, damaged)
    dump = bytearray((damaged / "workload.dump").read_bytes())
    dump[len(dump) // 2] ^= 0x01
    (damaged / "workload.dump").write_bytes(bytes(dump))
    (unfinished,) = original.failed_dir.iterdir()
    with database_urls(NAMES, tmp_path) as empty:
        env = script_env(empty, folders(tmp_path))
        refused = run(RESTORE_SH, env, str(damaged))
        assert refused.returncode == 65, refused.stdout + refused.stderr
        assert "workload.dump: FAILED" in refused.stdout + refused.stderr and "damaged" in refused.stderr
        missing = run(RESTORE_SH, env, str(unfinished))
        assert missing.returncode == 65 and "no MANIFEST" in missing.stderr
        assert "restored" not in refused.stdout + missing.stdout
        for name in NAMES:
            assert tables_of(empty[name]) == [], name
        assert not (tmp_path / "news-media").exists() and not (tmp_path / "portal-media").exists()


@contextmanager
def serving(var_dir: Path, settings: dict, urls: dict, owner_urls: dict, media: dict[str, str]):
    """A stack on databases that exist already, started as the migrate Job and the Deployments would: no
    prepare(), whose demo loading into an empty database would hide a restore that restored nothing."""
    extra = {**settings, **{f"{n.upper()}_DATABASE_URL": u for n, u in urls.items()},
             **{f"{n.upper()}_MIGRATION_DATABASE_URL": u for n, u in owner_urls.items()}, **media}
    env = stack_env(var_dir, free_ports=True, extra=extra)
    render_gateways(env)
    for service in SERVICES:
        subprocess.run([str(VENV_BIN / "python"), "-m", "shared.migrations", str(service.migrations),
                        owner_urls[service.name]], env=env, check=True, cwd=ROOT)
    supervisor = Supervisor(programs(env), env, log_dir=var_dir / "log", cwd=ROOT)
    try:
        supervisor.start()
        yield Stack(f"http://127.0.0.1:{env['GATEWAY_PORT']}", env, urls, supervisor)
    finally:
        supervisor.stop()


def service_migrations(name: str) -> Path:
    return next(s.migrations for s in SERVICES if s.name == name)


@pytest.mark.stack
def test_the_restored_center_serves_what_was_backed_up(server, original, tmp_path, request):
    if BUCKETS:  # the first center's S3 server went with it: new buckets, as after losing the store
        s3 = request.getfixturevalue("s3_server")
        media = {**s3.env, "NEWS_MEDIA_BUCKET": s3.bucket(), "PORTAL_MEDIA_BUCKET": s3.bucket()}
    else:
        media = folders(tmp_path / "restored")
    with role_databases(server) as (owners, roles):
        restored = run(RESTORE_SH, script_env(owners, media), str(original.folder))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        for name in NAMES:
            assert f"restored {name}.dump into" in restored.stdout, name
            # The dumps were taken at head: the migrate Job after a restore changes nothing.
            assert at_head(service_migrations(name), owners[name]), name
        assert "owner-pw" not in restored.stdout + restored.stderr

        with serving(tmp_path / "var", SETTINGS, roles, owners, media) as stack:
            district = stack.bearer("demo-district")  # the SSO's users and password hashes came back
            assert aspect_one(stack, district) == original.aspect  # answers, status and version
            assert stack.get(original.pdf_url).content == original.pdf
            for url, content in original.news_media.items():
                served = stack.get(url)
                assert served.status_code == 200 and served.content == content, url
            # The row-only role writes into restored tables: roles.sql's default privileges covered them.
            again = stack.send("PUT", f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/aspects/1",
                               headers=district, json={"version": original.aspect["version"], "answers": [
                                   {"question_id": q["id"], "volume": "38", "days": "2", "hours": "3"}
                                   for q in original.aspect["questions"]]})
            assert again.status_code == 200, again.text


def manifest() -> dict[tuple[str, str], dict]:
    """What kubectl applies of the backup: backup.yaml's objects and the scripts' ConfigMap."""
    ours = {(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(MANIFEST_YAML.read_text()) if d}
    ours.add(("ConfigMap", "dcc-backup-scripts"))
    return {(d["kind"], d["metadata"]["name"]): d for d in kustomize(ROOT / "deploy" / "k8s")
            if (d["kind"], d["metadata"]["name"]) in ours}


@pytest.mark.parametrize("version", ["1.30.0", "1.37.0"])
def test_the_backup_manifest_is_valid_for_kubernetes(version):
    restore_job = yaml.safe_load((ROOT / "deploy" / "k8s" / "backup" / "restore-job.yaml").read_text())
    for doc in [*manifest().values(), restore_job]:
        kubernetes_validate.validate(doc, version, strict=True)
    # The restore Job is the one the egress policy names, and mounts the scripts' ConfigMap.
    assert restore_job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] == "dcc-restore"
    assert {"name": "dcc-backup-scripts"} in [v.get("configMap")
                                               for v in restore_job["spec"]["template"]["spec"]["volumes"]]


def docs_config() -> dict[str, str]:
    return next(d["data"] for d in kustomize(ROOT / "deploy" / "k8s")
                if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("dcc-config"))


def test_the_cronjob_runs_these_scripts_nightly_under_the_restricted_profile():
    docs = manifest()
    scripts = docs[("ConfigMap", "dcc-backup-scripts")]["data"]
    assert scripts == {path.name: path.read_text() for path in (BACKUP_SH, RESTORE_SH, BACKUP_SH.parent / "common.sh")}

    cron = docs[("CronJob", "dcc-backup")]["spec"]
    assert len(cron["schedule"].split()) == 5 and cron["timeZone"] == "Asia/Bangkok"
    assert cron["concurrencyPolicy"] == "Forbid"
    pod = cron["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never" and pod["automountServiceAccountToken"] is False
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True and context["runAsUser"] == 10001  # the services' image's user
    assert context["seccompProfile"]["type"] == "RuntimeDefault"
    (container,) = pod["containers"]
    # The services' image (shared/storage.py for the buckets), which brings pg_dump of the server's own major
    # version: compose's PostgreSQL image's.
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert container["image"].split(":")[0] == "dla-dcc/python"
    major = compose["services"]["postgres"]["image"].split(":")[1].split(".")[0]
    assert f"postgresql-client-{major} " in (ROOT / "deploy" / "python.Dockerfile").read_text()
    security = container["securityContext"]
    assert security["allowPrivilegeEscalation"] is False and security["readOnlyRootFilesystem"] is True
    assert security["capabilities"]["drop"] == ["ALL"]
    assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]

    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert volumes[mounts["/tmp"]["name"]]["emptyDir"] is not None
    script_dir = next(path for path, m in mounts.items() if "configMap" in volumes[m["name"]])
    assert volumes[mounts[script_dir]["name"]]["configMap"]["name"] == "dcc-backup-scripts"
    assert container["command"] == ["sh", f"{script_dir}/backup.sh"]
    env = {e["name"]: e for e in container["env"]}
    # The media from the services' buckets (dcc-config), with the backup's own keys; no volume of theirs.
    config = docs_config()
    assert {"configMapRef": {"name": "dcc-config"}} in container["envFrom"]
    assert config["NEWS_MEDIA_BUCKET"] and config["PORTAL_MEDIA_BUCKET"] and config["AWS_ENDPOINT_URL"]
    assert env["AWS_ACCESS_KEY_ID"]["valueFrom"]["secretKeyRef"]["key"] == "BACKUP_S3_ACCESS_KEY_ID"
    assert not any("persistentVolumeClaim" in v and v["persistentVolumeClaim"]["claimName"].endswith("-media")
                   for v in volumes.values())
    out = mounts[env["BACKUP_DIR"]["value"]]
    assert not out.get("readOnly") and volumes[out["name"]]["persistentVolumeClaim"]["claimName"] == "dcc-backups"
    claim = docs[("PersistentVolumeClaim", "dcc-backups")]["spec"]
    assert claim["accessModes"] == ["ReadWriteOnce"] and claim["resources"]["requests"]["storage"] == "100Gi"
    for name in NAMES:
        # The schema owner's URL, as for migrations (secret.example.yaml, docs/operations.md).
        key = f"{name.upper()}_MIGRATION_DATABASE_URL"
        assert env[key]["valueFrom"]["secretKeyRef"] == {"name": "dcc-secrets", "key": key}

    policy = docs[("NetworkPolicy", "dcc-backup-egress")]["spec"]
    assert policy["policyTypes"] == ["Egress"]
    assert policy["egress"] == [{"ports": [{"port": 5432}]}, {"ports": [{"port": 443}]}]  # PostgreSQL, the store
    labels = cron["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    selector = policy["podSelector"]["matchExpressions"][0]
    assert selector["key"] == "app.kubernetes.io/name" and labels[selector["key"]] in selector["values"]


def test_the_scripts_are_posix_sh():
    for script in (BACKUP_SH, RESTORE_SH, BACKUP_SH.parent / "common.sh"):
        done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "set -eu" in script.read_text() or script.name == "common.sh"  # sourced by the other two
