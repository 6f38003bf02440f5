"""The portal service's tables."""
from shared.db import make_db

db = make_db()
