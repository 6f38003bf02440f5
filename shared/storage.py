"""Where uploaded files live: a folder (a laptop, one host) or an S3-compatible bucket (several pods, any cloud).

Both keep a file under the random name the service gave it and never overwrite one, so a database restored
from any night finds every file its rows name in the copy of the same night. A file is written before its row
commits and becomes visible only after: the folder keeps it as a hidden part-file until then; the bucket writes
it under its final name straight away — harmless, since no row names it and nobody can guess it — and deletes it
again when the request fails (`uploads.Staging`).

Configuration, per service (`NEWS_`, `PORTAL_`): `<S>_MEDIA_BUCKET` chooses the bucket, else `<S>_MEDIA_DIR` is
the folder. The bucket is reached with boto3's own settings (AWS_ENDPOINT_URL for MinIO or another provider,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION), with short timeouts: a store that does not answer
is a 503 to the uploader, not a hung worker.

`python -m shared.storage archive|unpack SERVICE FILE` copies a service's files to and from a tar.gz, whichever
backend it has: the backups use it. `python -m shared.storage ensure SERVICE` makes its bucket if missing.
"""
import io
import os
import secrets
import sys
import tarfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from shared import config


class StorageUnavailable(Exception):
    """The store could not be reached or failed: nothing of the request was kept; it may succeed soon."""


@dataclass(frozen=True)
class StoredFile:
    """One stored file for sending: a path (the folder) or the bytes (the bucket), with what makes it
    conditional (ETag, Last-Modified) either way."""
    name: str
    size: int
    modified: datetime
    path: Path | None = None
    data: bytes | None = None
    etag: str | None = None


class Folder:
    """The files in one directory shared by every worker of the host."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __repr__(self):
        return f"Folder({str(self.root)!r})"

    def stage(self, name: str, data: bytes, content_type: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".{name}.{secrets.token_hex(4)}.part"
        temporary.write_bytes(data)
        return temporary

    def publish(self, name: str, staged: Path) -> None:
        os.replace(staged, self.root / name)

    def drop(self, name: str, staged: Path) -> None:
        staged.unlink(missing_ok=True)

    def delete(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def get(self, name: str) -> StoredFile | None:
        path = self.root / name
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        return StoredFile(name, stat.st_size, datetime.fromtimestamp(stat.st_mtime, timezone.utc), path=path)

    def names(self) -> list[str]:
        """Every published file (part-files of requests under way are not)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_file() and not p.name.startswith("."))


class Bucket:
    """The files as objects of one S3 bucket (MinIO, Ceph, any cloud's), shared by every pod."""

    def __init__(self, bucket: str, client=None):
        self.bucket = bucket
        self.client = client or s3_client()

    def __repr__(self):
        return f"Bucket({self.bucket!r})"

    def stage(self, name: str, data: bytes, content_type: str) -> str:
        with _unavailable_on_failure():
            self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=content_type)
        return name

    def publish(self, name: str, staged: str) -> None:
        """Already in place under its name; its row makes it reachable."""

    def drop(self, name: str, staged: str) -> None:
        self.delete(name)

    def delete(self, name: str) -> None:
        with _unavailable_on_failure():
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def get(self, name: str) -> StoredFile | None:
        from botocore.exceptions import ClientError

        with _unavailable_on_failure():
            try:
                found = self.client.get_object(Bucket=self.bucket, Key=name)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise
            data = found["Body"].read()
        return StoredFile(name, len(data), found["LastModified"], data=data, etag=found["ETag"].strip('"'))

    def ensure(self) -> bool:
        """Make the bucket unless it exists (compose's MinIO; a cloud's buckets are the platform's); True if made."""
        from botocore.exceptions import ClientError

        with _unavailable_on_failure():
            try:
                self.client.head_bucket(Bucket=self.bucket)
                return False
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                    raise
            self.client.create_bucket(Bucket=self.bucket)
            return True

    def names(self) -> list[str]:
        with _unavailable_on_failure():
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
            return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


class _unavailable_on_failure:
    """botocore's connection failures, timeouts and the server's 5xx/throttling as StorageUnavailable; a
    refusal that is ours to fix (no such bucket, access denied) stays what it is: a bug, logged as one."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            return False
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(error, ClientError):
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500 or error.response.get("Error", {}).get("Code") in ("SlowDown", "RequestTimeout"):
                raise StorageUnavailable(str(error)) from error
            return False
        if isinstance(error, BotoCoreError):
            raise StorageUnavailable(str(error)) from error
        return False


def s3_client():
    """One client per process and endpoint (boto3's clients are thread-safe once made, and slow to make)."""
    return _client(os.environ.get("AWS_ENDPOINT_URL"), os.environ.get("AWS_ACCESS_KEY_ID"))


@lru_cache(maxsize=None)
def _client(endpoint: str | None, key_id: str | None):
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=Config(
        connect_timeout=config.env_int("DCC_STORAGE_CONNECT_TIMEOUT_MS", 2000) / 1000,
        read_timeout=config.env_int("DCC_STORAGE_READ_TIMEOUT_MS", 10000) / 1000,
        retries={"mode": "standard", "max_attempts": 2},
        s3={"addressing_style": "path"},  # MinIO and most private providers have no per-bucket host names
    ))


def from_settings(service: str, settings: dict) -> "Folder | Bucket":
    """The store a service's settings name: `<S>_MEDIA_BUCKET` if set, else the folder `<S>_MEDIA_DIR`."""
    prefix = service.upper()
    bucket = settings.get(f"{prefix}_MEDIA_BUCKET")
    return Bucket(bucket) if bucket else Folder(Path(settings[f"{prefix}_MEDIA_DIR"]))


def media_settings(service: str) -> dict:
    """`<S>_MEDIA_DIR` (default var/<service>-media) and `<S>_MEDIA_BUCKET` (default none) from the environment."""
    prefix = service.upper()
    return {f"{prefix}_MEDIA_DIR": config.env_str(f"{prefix}_MEDIA_DIR", str(config.var_dir() / f"{service}-media")),
            f"{prefix}_MEDIA_BUCKET": config.env_str(f"{prefix}_MEDIA_BUCKET", "")}


# --- Backups: a service's files as one tar.gz, whatever the backend ---------------------------------------

def archive(store, target: Path) -> int:
    """Write every published file of `store` into the tar.gz `target`; the number of files."""
    names = store.names()
    with tarfile.open(target, "w:gz") as tar:
        for name in names:
            found = store.get(name)
            if found is None:  # deleted since it was listed: its row went first, so no dump names it
                continue
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = found.size, int(found.modified.timestamp()), 0o644
            tar.addfile(info, io.BytesIO(found.path.read_bytes() if found.path else found.data))
    return len(names)


def unpack(store, source: Path) -> int:
    """Put every file of the tar.gz `source` into `store` (names as they were; no paths, no links)."""
    count = 0
    with tarfile.open(source, "r:gz") as tar:
        for member in tar:
            name = member.name.removeprefix("./")
            if not member.isfile() or "/" in name or name.startswith("."):
                continue
            store.publish(name, store.stage(name, tar.extractfile(member).read(), "application/octet-stream"))
            count += 1
    return count


def main(argv: list[str]) -> int:
    if argv[:1] == ["ensure"] and len(argv) == 2 and argv[1] in ("news", "portal"):
        store = from_settings(argv[1], media_settings(argv[1]))
        made = isinstance(store, Bucket) and store.ensure()
        print(f"{argv[1]}: {store!r} {'made' if made else 'ready'}")
        return 0
    if len(argv) != 3 or argv[0] not in ("archive", "unpack") or argv[1] not in ("news", "portal"):
        print("usage: python -m shared.storage archive|unpack news|portal FILE.tar.gz | ensure news|portal",
              file=sys.stderr)
        return 64
    action, service, file = argv
    store = from_settings(service, media_settings(service))
    count = (archive if action == "archive" else unpack)(store, Path(file))
    print(f"{action}: {count} files of {service} ({store!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
