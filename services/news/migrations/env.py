from shared.migrations import run_env
from news.models import db

run_env(db.metadata)
