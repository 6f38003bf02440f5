"""`flask --app portal load-content`: the starting content (starter.py) into an empty portal."""
from sqlalchemy import func, select

from portal import services, starter
from portal.attachments import Store
from portal.models import ContentItem, db
from shared.auth import Identity

# The change log names who wrote the starting content.
LOADER = Identity(username="starter-content", name="เนื้อหาเริ่มต้นจากคู่มือการใช้งาน", roles=frozenset({"central"}),
                  province_code=None, district_code=None, session_id="", csrf="", via="cli")


def load_content(store: Store) -> str:
    if db.session.scalar(select(func.count()).select_from(ContentItem)):
        return "portal content already present: nothing loaded"
    for raw in starter.ITEMS:
        services.create_item(LOADER, raw["kind"], raw, store)
    return f"portal content loaded: {len(starter.ITEMS)} items"
