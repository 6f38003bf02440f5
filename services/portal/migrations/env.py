from shared.migrations import run_env
from portal.models import db

run_env(db.metadata)
