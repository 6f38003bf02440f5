"""How many ผอ.กง.ทอ. the registry (the directory service, synced from DLA Connect) lists per district,
so that a district's or a province's full-time equivalents can be set against the officers it has."""
from flask import current_app

from shared import config
from shared.upstream import CachedJson, service_url


def settings() -> dict:
    return {
        "WORKLOAD_DIRECTORY_URL": config.env_str("WORKLOAD_DIRECTORY_URL", service_url("directory", 8093)),
        "WORKLOAD_DIRECTORY_TIMEOUT": config.env_int("WORKLOAD_DIRECTORY_TIMEOUT_MS", 800) / 1000,
    }


def _officer_ids(body: dict) -> dict[str, set[str]]:
    return {district["code"]: {officer["id"] for officer in district["officers"]} for district in body["districts"]}


def client(config: dict) -> CachedJson:
    # The registry changes when it is synced (daily), so five minutes of memory lose nothing.
    return CachedJson(config["WORKLOAD_DIRECTORY_URL"], config["WORKLOAD_DIRECTORY_TIMEOUT"], cache_seconds=300,
                      shape=_officer_ids)


def officers_of_province(province_code: str) -> dict[str, set[str]] | None:
    """District code → the ids of the officers assigned to it; None when the registry does not answer."""
    return current_app.extensions["workload_registry"].get(f"/api/directory/provinces/{province_code}")
