"""`flask --app portal load-demo`: example items for `make run`'s demo, so that every Toolkits category,
สาระน่ารู้เพิ่มเติม and Local MOOC can be seen as they will look once the central office has filled them.

Each is marked as what it is: "ตัวอย่าง" in its title, the badge on every page (ContentItem.example), and an
attached PDF that says it is an example. They go only into a portal that holds nothing but the starter content
(loader.py) — never beside content somebody wrote or changed — and only once. Production never runs this
(`load-content` is the deployment's command; starter.py stays as the manual has it).
"""
from datetime import date
from pathlib import Path

from fpdf import FPDF
from sqlalchemy import func, select

import shared
from portal import services
from portal.attachments import Store, Upload
from portal.content import CATEGORIES, COURSE, ORDER, TOOLKIT
from portal.loader import LOADER
from portal.models import ContentChange, ContentItem, db
from shared.auth import Identity

DEMO_LOADER = Identity(username="demo-examples", name="ตัวอย่างสำหรับการสาธิตระบบ (make run)",
                       roles=frozenset({"central"}), province_code=None, district_code=None, session_id="", csrf="",
                       via="cli")
FONT = Path(shared.__file__).resolve().parent / "fonts" / "Sarabun-Regular.ttf"
NOTE = "รายการตัวอย่างสำหรับการสาธิตระบบ แสดงว่าเอกสารในหมวดนี้จะปรากฏอย่างไร ไม่ใช่เอกสารจริงของกรม"

TOOLKIT_EXAMPLES = {
    "กฎหมายและระเบียบ": "ตัวอย่าง: ประมวลระเบียบที่ท้องถิ่นอำเภอใช้ในการกำกับดูแลองค์กรปกครองส่วนท้องถิ่น",
    "ยุทธศาสตร์ชาติ": "ตัวอย่าง: สรุปยุทธศาสตร์ชาติสำหรับการพัฒนาเชิงพื้นที่ระดับอำเภอ",
    "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12": "ตัวอย่าง: สาระสำคัญของแผนฯ ฉบับที่ 12 กับแผนพัฒนาท้องถิ่น",
    "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น": "ตัวอย่าง: แบบตรวจมาตรฐานการบริการสาธารณะ",
    "คู่มือแนวทางปฏิบัติ": "ตัวอย่าง: คู่มือการบันทึกข้อมูลปริมาณงานฉบับย่อ",
}
ORDER_EXAMPLE = {
    "title": "ตัวอย่าง: สรุปหนังสือสั่งการเรื่องการบันทึกข้อมูลปริมาณงานท้องถิ่นอำเภอ",
    "order_number": "ตัวอย่าง 0000/2568", "order_date": date(2025, 1, 15),
    "body": "สรุปสาระสำคัญของหนังสือสั่งการที่แจ้งจังหวัดและอำเภอ: เรื่อง ผู้ดำเนินการ และกำหนดเวลา " + NOTE,
}
COURSE_EXAMPLES = (
    ("ตัวอย่าง: รายวิชาการบันทึกข้อมูลปริมาณงาน 8 ด้าน", "ความเข้าใจการบันทึกปริมาณงาน จำนวนวัน และจำนวนชั่วโมง"),
    ("ตัวอย่าง: รายวิชาบทบาทของท้องถิ่นอำเภอในการกำกับดูแล", "บทบาทหน้าที่ของ ผอ.กง.ทอ. ตามกฎหมายและระเบียบ"),
)


def example_pdf(title: str) -> bytes:
    """A one-page PDF that says what it is: an example, not a document of the department."""
    pdf = FPDF(format="A4")
    pdf.add_font("Sarabun", "", FONT)
    pdf.set_text_shaping(True)
    pdf.set_lang("th")
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Sarabun", "", 16)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("Sarabun", "", 13)
    pdf.multi_cell(0, 7, "เอกสารตัวอย่างสำหรับการสาธิตระบบศูนย์ประสานงานท้องถิ่นอำเภอ ไม่ใช่เอกสารจริงของกรมส่งเสริมการปกครองท้องถิ่น "
                         "ส่วนกลางจะแนบเอกสารจริงหรือลิงก์ไปยังหน้าหนังสืออิเล็กทรอนิกส์ของเว็บไซต์กรม")
    return bytes(pdf.output())


def _examples() -> list[tuple[str, dict, bool]]:
    """(kind, fields, with an example PDF) of every example, in page order."""
    found = [(TOOLKIT, {"category": category, "title": TOOLKIT_EXAMPLES[category], "published": True,
                        "body": NOTE}, True) for category in CATEGORIES[TOOLKIT]]
    found.append((ORDER, {**ORDER_EXAMPLE, "published": True}, True))
    found += [(COURSE, {"title": title, "course_tests": tests, "published": True,
                        "body": "เรียนออนไลน์ได้ทุกที่ ทุกเวลา " + NOTE}, False) for title, tests in COURSE_EXAMPLES]
    return found


def load_demo(store: Store) -> str:
    if db.session.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.example.is_(True))):
        return "portal examples already present: nothing loaded"
    written_by_people = db.session.scalar(select(func.count()).select_from(ContentChange)
                                          .where(ContentChange.actor.not_in((LOADER.username, DEMO_LOADER.username))))
    if written_by_people:
        return "portal content written by people: no examples loaded beside it"
    for kind, raw, with_pdf in _examples():
        upload = Upload("เอกสารตัวอย่าง.pdf", example_pdf(raw["title"])) if with_pdf else None
        services.create_item(DEMO_LOADER, kind, raw, store, upload, example=True)
    return f"portal examples loaded: {len(_examples())} items"
