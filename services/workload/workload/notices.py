"""What the workload service tells the portal about (shared.outbox): each function adds one event to the
session of the change, so that it is committed with the change or not at all. Recipients and Thai wording
are the portal's (portal/notices.py); the payload says what happened and where."""
from workload.models import Record, Round, db, outbox


def _where(round_: Round, record: Record) -> dict:
    return {"fiscal_year": round_.fiscal_year, "district_code": record.district_code,
            "province_code": record.province_code,
            # The record's contact person is Cc'd on the district's e-mail (their own district's data).
            "contact_name": record.person_name, "contact_email": record.person_email}


def aspects_returned(round_: Round, record: Record, aspects: list[int], reason: str, by_name: str,
                     first_correction_id: int) -> None:
    """ส่งกลับแก้ไข: the province returned aspects of the record with a reason."""
    outbox.emit(db.session, "workload.aspects_returned",
                {**_where(round_, record), "aspects": aspects, "reason": reason, "by": by_name},
                f"aspects_returned:{first_correction_id}")


def record_confirmed(round_: Round, record: Record, by_name: str) -> None:
    """The province confirmed the record (final: a record is confirmed once)."""
    outbox.emit(db.session, "workload.record_confirmed", {**_where(round_, record), "by": by_name},
                f"record_confirmed:{record.id}")
