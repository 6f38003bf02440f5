from shared.migrations import run_env
from workload.models import db

run_env(db.metadata)
