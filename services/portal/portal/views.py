"""The portal's public pages."""
from flask import Blueprint, current_app, render_template

from portal import news_client
from shared.web import MENU

bp = Blueprint("portal_pages", __name__)

MENU_DESCRIPTIONS = {
    "home": "ภาพรวมของศูนย์และข่าวล่าสุด",
    "directory": "รายชื่อผู้ได้รับมอบหมายให้ปฏิบัติหน้าที่ ผอ.กง.ทอ. ทั้ง 76 จังหวัด จากระบบ DLA Connect",
    "news": "ผลงานและภารกิจสำคัญของท้องถิ่นอำเภอ ผ่านการยืนยันจาก สถจ.",
    "toolkits": "กฎหมาย ระเบียบ ยุทธศาสตร์ชาติ มาตรฐานการบริการสาธารณะ คู่มือ และ Local MOOC",
    "workload": "บันทึกและติดตามปริมาณงานของท้องถิ่นอำเภอ 8 ด้าน ประจำปีงบประมาณ",
    "about": "ความเป็นมาและวัตถุประสงค์ของศูนย์ประสานงานท้องถิ่นอำเภอ",
    "faq": "คำถามที่พบบ่อยและวิธีแก้ปัญหาการเข้าสู่ระบบ",
}


@bp.get("/")
def home():
    """หน้าแรก: what the center is and the way into everything else."""
    entries = [(label, href, MENU_DESCRIPTIONS[key]) for key, label, href in MENU if key != "home"]
    news = news_client.latest(current_app.extensions["news"])
    return render_template("portal/home.html", entries=entries, news=news)


@bp.get("/about/")
def about():
    """เกี่ยวกับศูนย์"""
    return render_template("portal/about.html")


@bp.get("/faq/")
def faq():
    """ประเด็นคำถามที่พบบ่อย"""
    return render_template("portal/faq.html")


TOOLKIT_CATEGORIES = (
    "กฎหมายและระเบียบ",
    "ยุทธศาสตร์ชาติ",
    "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12",
    "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น",
    "คู่มือแนวทางปฏิบัติ",
)


@bp.get("/toolkits/")
def toolkits():
    """ชุดความรู้ / Toolkits"""
    return render_template("portal/toolkits.html", categories=TOOLKIT_CATEGORIES)
