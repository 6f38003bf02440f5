"""The portal's public pages: home, Toolkits (with สาระน่ารู้เพิ่มเติม and Local MOOC), about, FAQ,
and the attached PDFs under /portal/media/."""
from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

import portal
from portal import attachments, content, directory_client, news_client, permissions, services
from portal.models import ContentItem, db
from shared.uploads import send_stored
from shared.web import MENU, current_user

bp = Blueprint("portal_pages", __name__)

MENU_DESCRIPTIONS = {
    "home": "ภาพรวมของศูนย์และข่าวล่าสุด",
    "directory": "รายชื่อผู้ได้รับมอบหมายให้ปฏิบัติหน้าที่ ผอ.กง.ทอ. ทั้ง 76 จังหวัด จากระบบ DLA Connect",
    "news": "ผลงานและภารกิจสำคัญของท้องถิ่นอำเภอ ผ่านการยืนยันจาก สถจ.",
    "toolkits": "กฎหมาย ระเบียบ ยุทธศาสตร์ชาติ มาตรฐานการบริการสาธารณะ คู่มือ สาระน่ารู้ และ Local MOOC",
    "workload": "บันทึกและติดตามปริมาณงานของท้องถิ่นอำเภอ 8 ด้าน ประจำปีงบประมาณ",
    "about": "ความเป็นมาและวัตถุประสงค์ของศูนย์ประสานงานท้องถิ่นอำเภอ",
    "faq": "คำถามที่พบบ่อยและวิธีแก้ปัญหาการเข้าสู่ระบบ",
}

# The home page's shortcuts (permissions.home_shortcuts says whose): words, address, what is there.
SHORTCUTS = {
    "workload_record": ("ข้อมูล สถอ.", "/workload/",
                        "บันทึกข้อมูลปริมาณงานและดูสถานะการบันทึกข้อมูลของ สถอ. ในรอบที่เปิดอยู่"),
    "news_write": ("ข่าวประชาสัมพันธ์ของ สถอ.", "/news/manage/",
                   "เขียนข่าวผลการดำเนินงาน แล้วส่งให้ สถจ. พิจารณาเผยแพร่"),
    "workload_province": ("สถานะการบันทึกข้อมูลของจังหวัด", "/workload/",
                          "ดูสถานะการบันทึกข้อมูลของทุกอำเภอในจังหวัด ส่งกลับแก้ไข และยืนยันการทำรายงาน"),
    "news_approve": ("ข่าวรออนุมัติ", "/news/manage/", "พิจารณาข่าวประชาสัมพันธ์ที่อำเภอในจังหวัดส่งมา"),
    "users": ("จัดการผู้ใช้", "/sso/admin/users",
              "ตรวจสอบ User เพิ่มผู้ใช้งาน กำหนดสิทธิ์ ระงับการใช้งาน และกำหนดรหัสผ่านใหม่"),
    "users_new": ("เพิ่มผู้ใช้งาน", "/sso/admin/users/new",
                  "เพิ่ม User ให้ท้องถิ่นอำเภอหรือ สถจ. ในจังหวัด พร้อมรหัสผ่านชั่วคราว"),
    "workload_season": ("ภาพรวมการบันทึกข้อมูลทั้งประเทศ", "/workload/",
                        "ความคืบหน้าของทุกจังหวัด: บันทึกครบ ยืนยันแล้ว และยังไม่ได้บันทึก"),
    "workload_rounds": ("จัดการรอบและข้อคำถาม", "/workload/rounds/",
                        "ช่วงเวลาเปิดระบบและข้อคำถามของแต่ละปีงบประมาณ"),
    "content": ("แก้ไขเนื้อหาเว็บไซต์", "/portal/manage/",
                "ชุดความรู้ สาระน่ารู้ Local MOOC เกี่ยวกับศูนย์ และคำถามที่พบบ่อย"),
    "directory_sync": ("เชื่อมโยงทะเบียน ทถอ.", "/directory/admin/sync", "ดึงข้อมูล ผอ.กง.ทอ. จากระบบ DLA Connect"),
}


@bp.get("/")
def home():
    """หน้าแรก: what the center is, the way into everything else, the latest news and the registry's coverage."""
    entries = [(key, label, href, MENU_DESCRIPTIONS[key]) for key, label, href in MENU if key != "home"]
    return render_template("portal/home.html", entries=entries,
                           news=news_client.latest(current_app.extensions["news"]),
                           coverage=directory_client.coverage(current_app.extensions["directory"]),
                           shortcuts=[SHORTCUTS[key] for key in permissions.home_shortcuts(current_user())])


# The five published API documents; each is served by its own service at /api/<service>/openapi.json.
API_DOCUMENTS = (
    ("workload", "Workload Tracking System", "บันทึก ยืนยัน และสรุปภาระงาน 8 ด้าน"),
    ("news", "ข่าวประชาสัมพันธ์", "ข่าวของท้องถิ่นอำเภอ การอนุมัติของ สถจ. และฟีด"),
    ("directory", "ทะเบียน ทถอ.", "รายชื่อ ผอ.กง.ทอ. จาก DLA Connect"),
    ("portal", "เนื้อหาของศูนย์", "ชุดความรู้ Local MOOC เกี่ยวกับศูนย์ คำถามที่พบบ่อย"),
    ("sso", "DLA-SSO", "Token การออกจากระบบ และการจัดการผู้ใช้ของ SSO Admin"),
)


@bp.get("/api/")
def api_documents():
    """The APIs of the center for integrators: the five OpenAPI documents, and one of them readable in the page
    (Swagger UI, served from this site)."""
    chosen = request.args.get("service", "workload")
    if chosen not in {name for name, _title, _about in API_DOCUMENTS}:
        abort(404)
    return render_template("portal/api.html", documents=API_DOCUMENTS, chosen=chosen)


@bp.get("/toolkits/")
def toolkits():
    """ชุดความรู้ / Toolkits: knowledge by category, สาระน่ารู้เพิ่มเติม, Local MOOC; search across them."""
    query = (request.args.get("q") or "").strip()[:100]
    unfinished = permissions.read_unfinished(current_user())
    published = services.all_published(services.SEARCHED_KINDS, unfinished)
    return render_template("portal/toolkits.html", query=query,
                           results=services.search_items(query, unfinished=unfinished) if query else None,
                           toolkit_groups=_all_categories(content.TOOLKIT, published[content.TOOLKIT]),
                           orders=published[content.ORDER], courses=published[content.COURSE])


def _all_categories(kind: str, listed: list) -> list[tuple[str, list]]:
    """Every category of the kind, in order, with its items (an empty one says so on the page)."""
    grouped = dict(services.by_category(listed))
    return [(category, grouped.get(category, [])) for category in content.CATEGORIES[kind]]


@bp.get("/about/")
def about():
    """เกี่ยวกับศูนย์: purpose, the founding order and working group, contact."""
    published = services.all_published((content.ABOUT, content.ORDER), permissions.read_unfinished(current_user()))
    return render_template("portal/about.html", sections=published[content.ABOUT],
                           founding=next((o for o in published[content.ORDER] if o.order_number == "1029/2563"), None))


@bp.get("/faq/")
def faq():
    """ประเด็นคำถามที่พบบ่อย, by category."""
    listed = services.items(content.FAQ, unfinished=permissions.read_unfinished(current_user()))
    return render_template("portal/faq.html", groups=services.by_category(listed))


@bp.get("/portal/media/<name>")
def media_file(name):
    """An attached PDF: public once its item is published, else only for the central office."""
    if not attachments.is_stored_name(name):
        abort(404)
    owner = db.session.scalar(select(ContentItem).where(ContentItem.attachment_file == name))
    if owner is None:
        abort(404)
    user = current_user()
    if not owner.published and not permissions.read_unpublished(user):
        abort(404)
    if owner.todo and not permissions.read_unfinished(user):
        abort(404)
    found = portal.store().files.get(name)
    if found is None:
        abort(404)
    return send_stored(found, "application/pdf", owner.published, owner.attachment_name)
