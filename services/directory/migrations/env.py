from directory.models import db
from shared.migrations import run_env

run_env(db.metadata)
