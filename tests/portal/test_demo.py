"""`flask --app portal load-demo`: marked example items in every Toolkits category, สาระน่ารู้เพิ่มเติม and
Local MOOC, beside the starter content only, once; never beside what people wrote; never in the starter content."""
import pytest
from sqlalchemy import func, select

import portal
from portal import content, demo, services, starter
from portal.attachments import Store
from portal.models import ContentItem, db
from shared.auth import Identity

# The tests' app allows 2,000-byte PDFs; the example PDF embeds its font (a few KB).
MAX_PDF = 1_000_000


def load(app) -> str:
    with app.app_context():
        return demo.load_demo(Store(portal.store().files, MAX_PDF))


def examples(app) -> list[ContentItem]:
    with app.app_context():
        return list(db.session.scalars(select(ContentItem).where(ContentItem.example.is_(True))))


def test_the_public_sees_a_marked_example_in_every_category_and_in_local_mooc(app, client, starter):
    assert load(app) == "portal examples loaded: 8 items"
    loaded = examples(app)
    assert all("ตัวอย่าง" in item.title and item.published and not item.todo for item in loaded)
    toolkit_categories = {item.category for item in loaded if item.kind == content.TOOLKIT}
    assert toolkit_categories == set(content.CATEGORIES[content.TOOLKIT])
    assert {item.kind for item in loaded} == {content.TOOLKIT, content.ORDER, content.COURSE}
    page = client.get("/toolkits/").get_data(as_text=True)
    assert page.count('class="badge badge-example"') == len(loaded)
    assert "ส่วนกลางกำลังเพิ่ม" not in page and "อยู่ระหว่างส่วนกลางเพิ่มเติม" not in page
    # The example PDF is there for the public, and says what it is.
    attached = next(item for item in loaded if item.attachment_file)
    pdf = client.get(f"/portal/media/{attached.attachment_file}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    pdf.close()
    api = client.get("/api/portal/items?kind=course").json["items"]
    assert [item["example"] for item in api] == [True, True]


def test_examples_are_loaded_once(app, starter):
    load(app)
    assert load(app) == "portal examples already present: nothing loaded"
    assert len(examples(app)) == 8


def test_no_examples_beside_content_people_wrote(app, starter):
    with app.app_context():
        first = db.session.scalar(select(ContentItem).order_by(ContentItem.id))
        editor = Identity("c1", "ส่วนกลาง", frozenset({"central"}), None, None, "", "", "cookie")
        services.set_published(editor, first.id, False, portal.store())
    assert load(app) == "portal content written by people: no examples loaded beside it"
    assert examples(app) == []


@pytest.mark.parametrize("raw", starter.ITEMS)
def test_the_starter_content_invents_no_example(raw):
    assert "ตัวอย่าง" not in raw["title"]


def test_the_starter_loader_marks_nothing_as_an_example(app, starter):
    with app.app_context():
        marked = select(func.count()).select_from(ContentItem).where(ContentItem.example.is_(True))
        assert db.session.scalar(marked) == 0
