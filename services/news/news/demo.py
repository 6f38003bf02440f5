"""Demo news for `make run`: a few items approved by their provinces, with covers drawn by Pillow (no
downloads). Every event in them is invented."""
import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import delete

from news import services
from news.media import Upload
from news.models import NewsItem, db, outbox
from shared import geography
from shared.auth import Identity

# (district, days ago, title, body, colour of the cover)
ITEMS = (
    ("8101", 2, "ท้องถิ่นอำเภอเมืองกระบี่ประชุมชี้แจงการบันทึกข้อมูลปริมาณงาน ปีงบประมาณ 2569",
     "ท้องถิ่นอำเภอเมืองกระบี่จัดประชุมชี้แจงแนวทางการบันทึกข้อมูลในระบบ Workload Tracking System "
     "ให้แก่เจ้าหน้าที่องค์กรปกครองส่วนท้องถิ่นในพื้นที่ (ข่าวตัวอย่าง)\n\n"
     "- ทบทวนข้อคำถามทั้ง 8 ด้าน\n- ซักซ้อมการกรอกปริมาณงาน จำนวนวัน และจำนวนชั่วโมง\n- ตอบข้อซักถาม",
     (29, 63, 114)),
    ("8102", 5, "ท้องถิ่นอำเภอเขาพนมลงพื้นที่ติดตามการจัดเก็บรายได้ขององค์กรปกครองส่วนท้องถิ่น",
     "ท้องถิ่นอำเภอเขาพนมลงพื้นที่ติดตามและให้คำแนะนำการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง "
     "ร่วมกับองค์การบริหารส่วนตำบลในพื้นที่ (ข่าวตัวอย่าง)", (22, 105, 58)),
    ("8103", 9, "ท้องถิ่นอำเภอเกาะลันตาร่วมกิจกรรมจิตอาสาทำความสะอาดชายหาด",
     "ท้องถิ่นอำเภอเกาะลันตาร่วมกับองค์กรปกครองส่วนท้องถิ่นและประชาชนในพื้นที่ จัดกิจกรรมจิตอาสา "
     "ทำความสะอาดชายหาด (ข่าวตัวอย่าง)", (0, 110, 140)),
    ("3001", 3, "ท้องถิ่นอำเภอเมืองนครราชสีมาอบรมการจัดทำแผนพัฒนาท้องถิ่น",
     "ท้องถิ่นอำเภอเมืองนครราชสีมาจัดอบรมเชิงปฏิบัติการการจัดทำแผนพัฒนาท้องถิ่น "
     "ให้แก่บุคลากรขององค์กรปกครองส่วนท้องถิ่น (ข่าวตัวอย่าง)", (138, 90, 0)),
)


def _cover(colour: tuple[int, int, int], seed: int) -> bytes:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for step in range(6):
        radius = 120 + 60 * step + 15 * seed
        draw.ellipse((900 - radius, 150 - radius, 900 + radius, 150 + radius),
                     outline=tuple(min(255, c + 40 + 20 * step) for c in colour), width=18)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _district_user(code: str) -> Identity:
    district = geography.district(code)
    username = "demo-district" if code == "8101" else f"d-{code}"
    return Identity(username, geography.district_office_name(code), frozenset({"district"}),
                    district.province_code, code, "demo", "", "demo")


def _province_user(code: str) -> Identity:
    username = "demo-province" if code == "81" else f"p-{code}"
    return Identity(username, geography.province_office_name(code), frozenset({"province"}), code, None,
                    "demo", "", "demo")


def load_demo_news(store: services.Store) -> str:
    if db.session.query(NewsItem.id).first() is not None:
        return "news: demo already loaded"
    for seed, (code, days_ago, title, body, colour) in enumerate(ITEMS):
        author = _district_user(code)
        day = services.today() - timedelta(days=days_ago)
        item = services.create_item(author, {"title": title, "body": body, "activity_date": day.isoformat()},
                                    services.Uploads(cover=Upload("cover.jpg", _cover(colour, seed))), store)
        services.act(author, item.id, "submit")
        services.act(_province_user(author.province_code), item.id, "approve")
    # The demo's items are its history, not news to anyone: their events tell nobody.
    db.session.execute(delete(outbox.model))
    db.session.commit()
    return f"news: {len(ITEMS)} approved demo items"
