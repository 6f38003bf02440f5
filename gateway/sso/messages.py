"""The Thai words of the SSO admin's refusals (rules.py and accounts.py speak in codes): status, text.

A text may name details of the refusal in braces, e.g. {roles}."""
from sso.domain import MESSAGES, LoginFailure

ERROR = {
    "admins_only": (403, "เฉพาะ SSO Admin ของ สถจ. หรือส่วนกลางเท่านั้น"),
    "self": (403, "ไม่สามารถแก้ไขบัญชีหรือสิทธิ์ของตนเองได้ กรุณาติดต่อส่วนกลาง"),
    "central_account": (403, "บัญชีของส่วนกลางจัดการได้โดยผู้ดูแลระบบเท่านั้น"),
    "not_found": (404, "ไม่พบผู้ใช้นี้ในจังหวัดของท่าน"),
    "other_province": (404, "ผู้ใช้นี้ไม่ได้สังกัดจังหวัดของท่าน"),
    "other_province_rights": (403, "ผู้ใช้นี้ไม่ได้สังกัดจังหวัดของท่าน"),
    "sso_admin_account": (403, "SSO Admin ของจังหวัดจัดการได้โดยส่วนกลางเท่านั้น"),
    "province_office_password": (403, "รหัสผ่านของบัญชีสำนักงานจังหวัดกำหนดใหม่ได้โดยส่วนกลางเท่านั้น"),
    "roles_not_grantable": (403, "ท่านไม่มีสิทธิ์กำหนดสิทธิ์ {roles}"),
    "province_required": (422, "กรุณาเลือกจังหวัด"),
    "one_level": (422, "ผู้ใช้หนึ่งบัญชีเป็นได้ระดับเดียว: ท้องถิ่นอำเภอ หรือ สถจ."),
    "district_required": (422, "กรุณาเลือกอำเภอในจังหวัดของผู้ใช้"),
    "district_for_district_only": (422, "ระบุอำเภอได้เฉพาะผู้ใช้ระดับท้องถิ่นอำเภอ"),
    "bad_username": (422, "User ต้องยาว 3–64 ตัว เป็นอักษรภาษาอังกฤษตัวเล็ก ตัวเลข หรือ . _ - และขึ้นต้นด้วยอักษรหรือตัวเลข"),
    "name_required": (422, "กรุณากรอกชื่อที่แสดง"),
    "user_exists": (409, "มี User นี้ในระบบแล้ว"),
    "already_disabled": (409, "ผู้ใช้นี้ถูกระงับการใช้งานอยู่แล้ว"),
    "already_enabled": (409, "ผู้ใช้นี้ใช้งานได้อยู่แล้ว"),
    "throttled": (429, MESSAGES[LoginFailure.THROTTLED] + " (รอ {seconds} วินาที)"),
    "current_password_required": (422, "กรุณากรอกรหัสผ่านปัจจุบัน"),
    "wrong_current_password": (403, "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
    "passwords_differ": (422, "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"),
    "weak_password": (422, "{reason}"),
    "same_password": (422, "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม"),
    "too_long": (422, "{field}ยาวเกิน {limit} ตัวอักษร"),
    "bad_email": (422, "รูปแบบ E-mail ไม่ถูกต้อง"),
}
