"""The workload service's tables (rounds, catalog and records arrive with the Workload issues)."""
from shared.db import make_db

db = make_db()
