"""The workload service's settings from WORKLOAD_* environment variables (defaults suit a laptop)."""
from shared import config
from shared.upstream import service_url


def settings() -> dict:
    return {
        "WORKLOAD_DIRECTORY_URL": config.env_str("WORKLOAD_DIRECTORY_URL", service_url("directory", 8093)),
        "WORKLOAD_DIRECTORY_TIMEOUT": config.env_int("WORKLOAD_DIRECTORY_TIMEOUT_MS", 800) / 1000,
    }
