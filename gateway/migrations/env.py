from shared.migrations import run_env
from sso.models import db

run_env(db.metadata)
