from shared.migrations import run_env
from directory.models import db

run_env(db.metadata)
