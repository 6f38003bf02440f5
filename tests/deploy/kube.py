"""The Kubernetes manifests as kubectl would send them: rendered by kustomize (kubectl's own)."""
import shutil
import subprocess
from pathlib import Path

import yaml


def kustomize(path: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (with its built-in kustomize) is needed to render deploy/k8s; it is on every machine image"
    done = subprocess.run([kubectl, "kustomize", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]
