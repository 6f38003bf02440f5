"""A real S3-compatible server for stacks and tests that keep uploads in buckets (shared.storage.Bucket):
moto's, from PyPI. The production store (MinIO, a cloud's) cannot run here; moto speaks the same protocol to the
same boto3 client. It keeps objects in memory: they last as long as its process.
"""
import secrets
import subprocess
import sys
import time

import requests


class S3Server:
    """moto's server on the loopback: its own process and port, buckets made on demand; `env` is what a
    client (boto3) needs to reach it."""

    def __init__(self):
        from tools.stack import free_port  # the stack's ports and this one never collide

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": "dcc-test", "AWS_SECRET_ACCESS_KEY": "dcc-test",
                    "AWS_DEFAULT_REGION": "us-east-1"}
        self.process = None

    def start(self) -> "S3Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(self.url, timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto's S3 server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def bucket(self, name: str | None = None) -> str:
        """A new, empty bucket; its name."""
        import boto3

        name = name or f"dcc-test-{secrets.token_hex(4)}"
        boto3.client("s3", endpoint_url=self.url, aws_access_key_id="dcc-test", aws_secret_access_key="dcc-test",
                     region_name="us-east-1").create_bucket(Bucket=name)
        return name

