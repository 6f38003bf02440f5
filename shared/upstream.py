"""Asking another service of the center for data: a short timeout, a short memory, and None instead of
an error, so that a page still renders (with a note) when the other service is slow or down.

Services never read each other's databases; they call each other's JSON API on the internal network
(GATEWAY_UPSTREAM_<NAME>, the same addresses nginx uses), with no user token: only public data. Where
that names several instances, an instance that refuses the connection is passed over for the next.
"""
import threading
import time
from collections.abc import Callable

import requests

from shared import config


def service_url(name: str, default_port: int) -> str:
    """The base URL of a sibling service from the addresses nginx's upstream for it uses (several URLs,
    space apart, when it runs as several instances)."""
    addresses = config.addresses(config.env_str(f"GATEWAY_UPSTREAM_{name.upper()}", f"127.0.0.1:{default_port}"))
    return " ".join(f"http://{address}" for address in addresses)


class CachedJson:
    """GET base_url + path → the parsed JSON passed through `shape`, remembered per path for
    `cache_seconds`; a failure (timeout, error status, a body `shape` rejects) is None, remembered briefly."""

    FAILURE_SECONDS = 5  # a failure is remembered for less time, so that data comes back soon after a restart

    def __init__(self, base_url: str, timeout: float, cache_seconds: float, shape: Callable = lambda body: body):
        self.base_urls = [url.rstrip("/") for url in config.addresses(base_url)]
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self.shape = shape
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, object]] = {}

    def get(self, path: str, **params):
        key = path + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        with self._lock:
            expires, value = self._entries.get(key, (0.0, None))
            if time.monotonic() < expires:
                return value
        value = self._fetch(path, params)
        keep = self.cache_seconds if value is not None else min(self.FAILURE_SECONDS, self.cache_seconds)
        with self._lock:
            self._entries[key] = (time.monotonic() + keep, value)
        return value

    def _fetch(self, path: str, params: dict):
        for base_url in self.base_urls:
            try:
                response = requests.get(base_url + path, params=params, timeout=self.timeout)
                response.raise_for_status()
                return self.shape(response.json())
            except requests.ConnectionError:
                continue  # that instance is down: the next one (a slow one is not waited for twice)
            except (requests.RequestException, ValueError, KeyError, TypeError):
                return None
        return None
