"""How many ผอ.กง.ทอ. the registry (the directory service, synced from DLA Connect) lists per district,
so that a district's or a province's full-time equivalents can be set against the officers it has.
From the directory's public API, through shared.upstream: a short timeout, a short memory, None when the
directory does not answer (the page then says so)."""
from flask import current_app

from shared.upstream import CachedJson


def _officer_ids(body: dict) -> dict[str, set[str]]:
    return {district["code"]: {officer["id"] for officer in district["officers"]} for district in body["districts"]}


def client(config: dict) -> CachedJson:
    # The registry changes when it is synced (daily), so five minutes of memory lose nothing.
    return CachedJson(config["WORKLOAD_DIRECTORY_URL"], config["WORKLOAD_DIRECTORY_TIMEOUT"], cache_seconds=300,
                      shape=_officer_ids)


def officers_of_province(province_code: str) -> dict[str, set[str]] | None:
    """District code → the ids of the officers assigned to it; None when the directory does not answer."""
    return current_app.extensions["workload_directory"].get(f"/api/directory/provinces/{province_code}")
