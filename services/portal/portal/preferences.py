"""Each user's e-mail per kind of notice (/notifications/settings, /api/notifications/settings): a user turns
the e-mail of a kind off or on again; the notices in the center stay whatever it chose. The composer
(portal.inbox) leaves a user who turned a kind off out of that kind's e-mail. Use cases: plain arguments."""
from dataclasses import dataclass

from sqlalchemy import delete, select

from portal.models import MailOptOut, db
from shared.auth import Identity

# The kinds a user may turn off, for whom (the role that hears of them), in the manual's words. Who set a
# password is not among them: that e-mail always goes, so that a user learns of a reset it did not ask for.
KINDS = {
    "workload.window_opened": ("district", "เปิดระบบบันทึกข้อมูลปริมาณงาน"),
    "workload.countdown_district": ("district", "แจ้งเตือนก่อนปิดระบบ เมื่อบันทึกข้อมูลยังไม่ครบถ้วน"),
    "workload.aspects_returned": ("district", "สถจ. ส่งกลับแก้ไข"),
    "workload.record_confirmed": ("district", "สถจ. ยืนยันข้อมูลแล้ว"),
    "news.approved": ("district", "สถจ. อนุมัติเผยแพร่ข่าว"),
    "news.rejected": ("district", "สถจ. ไม่อนุมัติข่าว"),
    "news.withdrawn": ("district", "ส่วนกลางยกเลิกการเผยแพร่ข่าว"),
    "workload.record_complete": ("province", "อำเภอบันทึกข้อมูลครบถ้วน รอ สถจ. ยืนยันข้อมูล"),
    "workload.countdown_province": ("province", "แจ้งเตือนก่อนปิดระบบ เมื่อยังมีข้อมูลรอ สถจ. ยืนยัน"),
    "workload.province_confirmed": ("province", "ยืนยันข้อมูลครบทุกอำเภอแล้ว"),
    "news.submitted": ("province", "ข่าวประชาสัมพันธ์รออนุมัติ"),
}


class UnknownKinds(Exception):
    """Kinds the user cannot choose (unknown, or not its roles'): nothing was changed."""

    def __init__(self, kinds: list[str]):
        super().__init__(", ".join(kinds))
        self.kinds = kinds


@dataclass(frozen=True)
class KindSetting:
    kind: str
    label: str
    email: bool


def kinds_for(user: Identity) -> list[str]:
    return [kind for kind, (role, _label) in KINDS.items() if user.has_role(role)]


def settings_of(user: Identity) -> list[KindSetting]:
    off = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.username == user.username)))
    return [KindSetting(kind, KINDS[kind][1], kind not in off) for kind in kinds_for(user)]


def set_email(user: Identity, choices: dict[str, bool]) -> list[KindSetting]:
    """Turn the e-mail of the named kinds on (True) or off (False); the others stay as they were."""
    allowed = set(kinds_for(user))
    unknown = sorted(kind for kind in choices if kind not in allowed)
    if unknown:
        raise UnknownKinds(unknown)
    on = [kind for kind, wanted in choices.items() if wanted]
    if on:
        db.session.execute(delete(MailOptOut).where(MailOptOut.username == user.username, MailOptOut.kind.in_(on)))
    already = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.username == user.username)))
    for kind in sorted(kind for kind, wanted in choices.items() if not wanted and kind not in already):
        db.session.add(MailOptOut(username=user.username, kind=kind))
    db.session.commit()
    return settings_of(user)


def without_email(kind: str, usernames: list[str]) -> set[str]:
    """Which of `usernames` turned the e-mail of `kind` off."""
    if not usernames:
        return set()
    return set(db.session.scalars(select(MailOptOut.username)
                                  .where(MailOptOut.kind == kind, MailOptOut.username.in_(usernames))))
