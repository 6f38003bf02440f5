"""The registry's coverage for the home page, from the directory service's public API.

GET /api/directory/provinces lists each province with its district_count and covered_district_count
(districts with an assigned ผอ.กง.ทอ.); the portal sums them. Through shared.upstream: a short
timeout, a short memory, None when the directory does not answer (the page then says so).
"""
from dataclasses import dataclass

from shared.upstream import CachedJson


@dataclass(frozen=True)
class Coverage:
    covered: int
    districts: int
    provinces: int


def client(app_config: dict) -> CachedJson:
    return CachedJson(app_config["PORTAL_DIRECTORY_URL"], app_config["PORTAL_DIRECTORY_TIMEOUT"],
                      app_config["PORTAL_DIRECTORY_CACHE_SECONDS"], shape=_coverage)


def coverage(directory: CachedJson) -> Coverage | None:
    return directory.get("/api/directory/provinces")


def _coverage(body) -> Coverage:
    provinces = body["provinces"] if isinstance(body, dict) else body
    covered = sum(int(p["covered_district_count"]) for p in provinces)
    districts = sum(int(p["district_count"]) for p in provinces)
    if not 0 <= covered <= districts:
        raise ValueError("coverage out of range")
    return Coverage(covered, districts, len(provinces))
