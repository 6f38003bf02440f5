"""The Thai words of the portal: kinds, actions and the wording of content.py's error codes."""
from portal.content import ABOUT, COURSE, FAQ, ORDER, TOOLKIT
from shared import refusals

KIND_LABELS = {
    TOOLKIT: "ชุดความรู้ (Toolkits)",
    ORDER: "สาระน่ารู้เพิ่มเติม (สรุปหนังสือสั่งการ)",
    COURSE: "Local MOOC (รายวิชา)",
    FAQ: "ประเด็นคำถามที่พบบ่อย",
    ABOUT: "เกี่ยวกับศูนย์ (หัวข้อ)",
}

# Where each kind is shown to the public.
KIND_PAGES = {TOOLKIT: "/toolkits/", ORDER: "/toolkits/#orders", COURSE: "/toolkits/#mooc", FAQ: "/faq/",
              ABOUT: "/about/"}

# The form's words for the title and body of each kind.
TITLE_LABELS = {TOOLKIT: "ชื่อเอกสาร", ORDER: "ชื่อเรื่อง", COURSE: "ชื่อรายวิชา", FAQ: "คำถาม", ABOUT: "หัวข้อ"}
BODY_LABELS = {TOOLKIT: "คำอธิบายโดยย่อ", ORDER: "สรุปสาระสำคัญ", COURSE: "คำอธิบายรายวิชา", FAQ: "คำตอบ",
               ABOUT: "เนื้อหา"}

ACTION_LABELS = {
    "create": "เพิ่มรายการ",
    "edit": "แก้ไข",
    "publish": "เผยแพร่",
    "unpublish": "ยกเลิกการเผยแพร่",
    "move": "เปลี่ยนลำดับ",
    "attach": "แนบไฟล์ PDF",
    "detach": "ลบไฟล์ PDF",
    "delete": "ลบรายการ",
}

FIELD = {
    "required": "กรุณากรอกข้อมูล",
    "too_long": "ข้อความยาวเกินกำหนด",
    "category": "กรุณาเลือกหมวดหมู่จากรายการ",
    "url": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// และเป็นที่อยู่เว็บไซต์ที่สมบูรณ์",
    "link_or_file": "รายการที่เผยแพร่ต้องมีลิงก์ไปยังหน้าหนังสืออิเล็กทรอนิกส์หรือไฟล์ PDF แนบ",
    "date": "รูปแบบวันที่ไม่ถูกต้อง",
    "date_range": "วันที่ไม่อยู่ในช่วงที่รับได้ (ต้องไม่เป็นวันในอนาคต)",
    "pdf_type": "ไฟล์แนบต้องเป็นเอกสาร PDF",
    "pdf_too_large": "ไฟล์ PDF มีขนาดใหญ่เกินกำหนด",
    "pdf_empty": "ไฟล์ที่เลือกว่างเปล่า",
    "direction": "ทิศทางต้องเป็น up หรือ down",
    "boolean": "ค่าต้องเป็น true หรือ false",
}

ERROR = {
    "invalid": (422, "ข้อมูลไม่ถูกต้อง กรุณาแก้ไขช่องที่แจ้งไว้ ยังไม่มีการบันทึกข้อมูลใด"),
    "not_found": (404, "ไม่พบรายการนี้"),
    "unknown_kind": (404, "ไม่รู้จักประเภทเนื้อหานี้"),
    "stale": (409, "รายการนี้ถูกแก้ไขจากหน้าอื่นหลังจากที่ท่านเปิดหน้านี้ กรุณาเปิดรายการล่าสุดก่อนแก้ไขอีกครั้ง"),
    "no_attachment": (404, "รายการนี้ไม่มีไฟล์แนบ"),
}


def field_messages(errors: dict[str, str]) -> dict[str, str]:
    return refusals.words(errors, FIELD)
