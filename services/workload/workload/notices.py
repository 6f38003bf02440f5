"""What the workload service tells the portal about (shared.outbox): each function adds one event to the
session of the change, so that it is committed with the change or not at all. Recipients and Thai wording
are the portal's (portal/notices.py); the payload says what happened and where."""
from shared.thai import iso_bangkok
from workload.models import Record, Round, db, outbox


def _contact(person_name: str | None, person_email: str | None) -> dict:
    # The record's contact person is Cc'd on the district's e-mail (their own district's data).
    return {"contact_name": person_name, "contact_email": person_email}


def _where(round_: Round, record: Record) -> dict:
    return {"fiscal_year": round_.fiscal_year, "district_code": record.district_code,
            "province_code": record.province_code, **_contact(record.person_name, record.person_email)}


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


def _window(round_: Round) -> dict:
    return {"fiscal_year": round_.fiscal_year, "opens_at": iso_bangkok(round_.opens_at),
            "closes_at": iso_bangkok(round_.closes_at)}


def _district_row(row) -> dict:
    """A read_models.DistrictRow: where it is and, if its record has one, the contact person."""
    contact = row.contact
    return {"district_code": row.district.code, "province_code": row.district.province_code,
            **_contact(contact.person_name if contact else None, contact.person_email if contact else None)}


def window_opened(round_: Round, row, event_id: str) -> None:
    """The round's window has opened (workload.reminders, once per district)."""
    outbox.emit(db.session, "workload.window_opened", {**_window(round_), **_district_row(row)}, event_id)


def countdown_district(round_: Round, row, days_left: int, event_id: str) -> None:
    """The window closes in `days_left` days and the district's record is not complete."""
    outbox.emit(db.session, "workload.countdown_district",
                {**_window(round_), **_district_row(row), "days_left": days_left}, event_id)


def countdown_province(round_: Round, province_code: str, waiting: int, days_left: int, event_id: str) -> None:
    """The window closes in `days_left` days and `waiting` complete records of the province are unconfirmed."""
    outbox.emit(db.session, "workload.countdown_province",
                {**_window(round_), "province_code": province_code, "waiting": waiting, "days_left": days_left},
                event_id)


def record_complete_id(fiscal_year: int, district_code: str) -> str:
    return f"record_complete:{fiscal_year}:{district_code}"


def record_complete(fiscal_year: int, record: Record, event_id: str) -> None:
    """The district's record became complete: it waits for the province's confirmation (once per record)."""
    outbox.emit(db.session, "workload.record_complete",
                {"fiscal_year": fiscal_year, "district_code": record.district_code,
                 "province_code": record.province_code}, event_id)


def province_confirmed(round_: Round, province_code: str, districts: int, event_id: str) -> None:
    """Every district of the province is confirmed."""
    outbox.emit(db.session, "workload.province_confirmed",
                {"fiscal_year": round_.fiscal_year, "province_code": province_code, "districts": districts},
                event_id)
