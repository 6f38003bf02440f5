"""What pages, the API and the exports show of district records, as named dataclasses: one record
(RecordView), every district of a province or of the nation (DistrictRow) and their counts (Counts).
A fixed number of queries whatever the number of districts."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from shared import geography
from shared.clock import utcnow
from workload import domain, plausibility
from workload.models import AnswerRow, AspectSave, AuditEntry, Correction, CustomRow, Question, Record, Round, db
from workload.rounds import questions, window


def find_record(round_id: int, district_code: str) -> Record | None:
    return db.session.scalar(select(Record).where(Record.round_id == round_id, Record.district_code == district_code))


def contact_of(record) -> domain.Contact | None:
    """The contact data of a record (an ORM object or a row of the records table)."""
    if record is None or record.contact_version == 0:
        return None
    return domain.Contact(record.office_address or "", record.office_phone or "", record.person_name or "",
                          record.person_mobile or "", record.person_email or "",
                          (record.responsible_districts or "").split(",") if record.responsible_districts else [])


def contact_version(round_: Round, district_code: str) -> int:
    record = find_record(round_.id, district_code)
    return record.contact_version if record else 0


def previous_contact(round_: Round, district_code: str) -> domain.Contact | None:
    """Last round's contact data: where a new round starts from."""
    previous = db.session.scalar(
        select(Record).join(Round, Round.id == Record.round_id)
        .where(Record.district_code == district_code, Round.fiscal_year < round_.fiscal_year,
               Record.contact_version > 0)
        .order_by(Round.fiscal_year.desc()).limit(1))
    return contact_of(previous)


def covered_elsewhere(round_: Round, district_code: str) -> dict[str, list[str]]:
    """For a district's contact form: which districts of its province other records of the round already
    cover, and by which districts (codes only: no other record's contact data leaves here)."""
    province_code = geography.district(district_code).province_code
    rows = db.session.execute(select(Record.district_code, Record.responsible_districts).where(
        Record.round_id == round_.id, Record.province_code == province_code, Record.district_code != district_code,
        Record.contact_version > 0))
    return domain.covering_records({code: (districts or "").split(",") for code, districts in rows if districts})


def open_corrections(record_id: int) -> list[Correction]:
    return list(db.session.scalars(select(Correction).where(Correction.record_id == record_id,
                                                            Correction.cleared_at.is_(None))
                                   .order_by(Correction.aspect, Correction.id)))


def history(round_: Round, district_code: str) -> list[AuditEntry]:
    record = find_record(round_.id, district_code)
    if record is None:
        return []
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_id == record.id)
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


# --- One district's record ---------------------------------------------------------------------------

@dataclass
class AspectView:
    number: int
    title: str
    questions: list[Question]
    answers: dict[int, domain.Answer]  # question id → answer, of this aspect's active questions
    status: domain.AspectStatus
    version: int
    saved_at: datetime | None
    flags: dict[int, plausibility.Flag] = field(default_factory=dict)  # question id → why it looks implausible


@dataclass
class RecordView:
    round: Round
    district_code: str
    record: Record | None
    contact: domain.Contact | None
    contact_version: int
    aspects: dict[int, AspectView]
    custom_rows: list[CustomRow]
    corrections: list[Correction]
    complete: bool
    confirmed_at: datetime | None
    writable: bool  # the window is open and the province has not confirmed (who may write: permissions.py)


def record_view(round_: Round, district_code: str) -> RecordView:
    """Everything a page or the API shows of one district's record, in five queries."""
    record = find_record(round_.id, district_code)
    active = questions(round_.id)
    answers, versions, rows, corrections = {}, {}, [], []
    if record is not None:
        corrections = open_corrections(record.id)
        answers = {a.question_id: domain.Answer(a.volume, a.days, a.hours)
                   for a in db.session.scalars(select(AnswerRow).where(AnswerRow.record_id == record.id))}
        versions = {s.aspect: s for s in
                    db.session.scalars(select(AspectSave).where(AspectSave.record_id == record.id))}
        rows = list(db.session.scalars(
            select(CustomRow).where(CustomRow.record_id == record.id).order_by(CustomRow.id)))
    flags = plausibility.flags(round_, [district_code]) if record is not None else {}
    aspects = {}
    for number, title in domain.ASPECTS.items():
        aspect_questions = [q for q in active if q.aspect == number]
        ids = {q.id for q in aspect_questions}
        save = versions.get(number)
        aspects[number] = AspectView(
            number=number, title=title, questions=aspect_questions,
            answers={qid: answers[qid] for qid in ids if qid in answers},
            status=domain.aspect_status(ids, set(answers)),
            version=save.version if save else 0,
            saved_at=save.saved_at if save else None,
            flags={q.id: flags[district_code, q.code] for q in aspect_questions if (district_code, q.code) in flags})
    contact = contact_of(record)
    return RecordView(
        round=round_, district_code=district_code, record=record,
        contact=contact, contact_version=record.contact_version if record else 0,
        aspects=aspects, custom_rows=rows, corrections=corrections,
        complete=domain.record_complete({n: a.status for n, a in aspects.items()}, contact, district_code),
        confirmed_at=record.confirmed_at if record else None,
        writable=window(round_).is_open(utcnow()) and not (record and record.confirmed_at))


# --- Every district of a province, or of the nation --------------------------------------------------

@dataclass
class DistrictRow:
    district: geography.District
    record: object | None  # a row of the records table (not an ORM object: 878 of them)
    states: dict[int, domain.AspectStatus]
    contact: domain.Contact | None
    complete: bool
    confirmed_at: datetime | None
    covered_by: list[str]  # the districts whose records say they cover this one
    flags: list[tuple[str, plausibility.Flag]] = field(default_factory=list)  # (question code, flag) to check

    @property
    def flagged(self) -> int:
        """How many of its answers look implausible."""
        return len(self.flags)


@dataclass(frozen=True)
class Counts:
    districts: int
    complete: int
    confirmed: int
    covered: int  # not complete itself, covered by exactly one other record
    missing: int  # not complete and covered by none: incomplete + empty
    claimed_twice: int
    incomplete: int = 0  # บันทึกข้อมูลยังไม่ครบถ้วน: part of its record saved, covered by none
    empty: int = 0  # ไม่มีการบันทึกข้อมูล: nothing saved, covered by none


@dataclass(frozen=True)
class ProvinceCounts(Counts):
    province: geography.Province = None


@dataclass
class ProvinceStatus:
    round: Round
    province: geography.Province
    rows: list[DistrictRow]
    counts: Counts


@dataclass
class SeasonStatus:
    round: Round
    nation: Counts
    provinces: list[ProvinceCounts]


def district_rows(round_, province_code: str | None, with_flags: bool = True) -> list[DistrictRow]:
    """Every district of one province, or of all 76, with its eight aspect states, contact, coverage
    by another record and confirmation; three queries whatever the number of districts."""
    active = Counter(q.aspect for q in questions(round_.id))
    query = select(Record.__table__).where(Record.round_id == round_.id)  # rows, not ORM objects: 878 of them
    if province_code is not None:
        query = query.where(Record.province_code == province_code)
    by_district = {r.district_code: r for r in db.session.execute(query)}
    answered = Counter()
    for record_id, aspect, count in db.session.execute(
            select(AnswerRow.record_id, Question.aspect, func.count()).join(Question)
            .join(Record, Record.id == AnswerRow.record_id)
            .where(Record.round_id == round_.id, Question.retired_at.is_(None),
                   *([Record.province_code == province_code] if province_code else []))
            .group_by(AnswerRow.record_id, Question.aspect)):
        answered[record_id, aspect] = count
    contacts = {code: contact_of(record) for code, record in by_district.items()}
    covered = domain.covering_records({code: c.responsible_districts for code, c in contacts.items() if c})
    flagged: dict[str, list] = {}
    if with_flags:
        codes = [d.code for d in geography.districts(province_code)] if province_code else None
        for (district, code), flag in sorted(plausibility.flags(round_, codes).items()):
            flagged.setdefault(district, []).append((code, flag))
    rows = []
    for district in geography.districts(province_code):
        record = by_district.get(district.code)
        states = {n: domain.status_from_counts(active[n], answered[record.id, n] if record else 0)
                  for n in domain.ASPECTS}
        contact = contacts.get(district.code)
        rows.append(DistrictRow(
            district=district, record=record, states=states, contact=contact,
            complete=domain.record_complete(states, contact, district.code),
            confirmed_at=record.confirmed_at if record else None,
            covered_by=covered.get(district.code, []),
            flags=flagged.get(district.code, [])))
    return rows


def _counted(rows: list[DistrictRow]) -> dict:
    return {
        "districts": len(rows),
        "complete": sum(r.complete for r in rows),
        "confirmed": sum(r.confirmed_at is not None for r in rows),
        "covered": sum(not r.complete and len(r.covered_by) == 1 for r in rows),
        "missing": sum(not r.complete and not r.covered_by for r in rows),
        "claimed_twice": sum(len(r.covered_by) > 1 for r in rows),
        "incomplete": sum(not r.complete and not r.covered_by and r.record is not None for r in rows),
        "empty": sum(not r.complete and not r.covered_by and r.record is None for r in rows),
    }


def province_status(round_, province_code: str) -> ProvinceStatus:
    """The province's page: every district of the province and the counts at the top."""
    rows = district_rows(round_, province_code)
    return ProvinceStatus(round=round_, province=geography.province(province_code), rows=rows,
                          counts=Counts(**_counted(rows)))


def season_status(round_) -> SeasonStatus:
    """The central office's view of the season: the counts of every province and of the nation."""
    rows = district_rows(round_, None, with_flags=False)  # the national view counts, it does not flag
    by_province: dict[str, list[DistrictRow]] = {}
    for row in rows:
        by_province.setdefault(row.district.province_code, []).append(row)
    return SeasonStatus(round=round_, nation=Counts(**_counted(rows)),
                        provinces=[ProvinceCounts(province=p, **_counted(by_province.get(p.code, [])))
                                   for p in geography.provinces()])
