"""The workload rules without Flask or a database."""
from datetime import datetime, timedelta

import pytest

from workload import domain
from workload.domain import Answer, AspectStatus, Contact, ValidationFailed, WorkloadError


@pytest.mark.parametrize("raw, expected", [
    (("12", "1", "2.5"), Answer(12, 1, 2.5)),
    (("0", "0", "0"), Answer(0, 0, 0.0)),
    ((" 1,200 ", "3", "0.5"), Answer(1200, 3, 0.5)),
    (("1,000", "0", "0"), Answer(1000, 0, 0.0)),
    (("๑,๐๐๐", "๒", "๑.๕"), Answer(1000, 2, 1.5)),
    ((3, 0, 7), Answer(3, 0, 7.0)),
    (("๑๒", "๑", "๒.๕"), Answer(12, 1, 2.5)),  # Thai digits
    (("", "", ""), None),
    ((None, None, None), None),
])
def test_parse_answer_accepts(raw, expected):
    assert domain.parse_answer(*raw) == (expected, {})


@pytest.mark.parametrize("raw, errors", [
    (("1", "", ""), {"days": "required_with_others", "hours": "required_with_others"}),
    (("abc", "", ""), {"volume": "not_whole", "days": "required_with_others", "hours": "required_with_others"}),
    (("-1", "0", "0"), {"volume": "not_whole"}),
    (("1.5", "0", "0"), {"volume": "not_whole"}),
    (("abc", "0", "0"), {"volume": "not_whole"}),
    (("100001", "0", "0"), {"volume": "too_large"}),
    (("1", "366", "0"), {"days": "too_large"}),
    (("1", "0", "24"), {"hours": "hours_day"}),
    (("1", "0", "1.25"), {"hours": "hours_half"}),
    (("1", "0", "-0.5"), {"hours": "negative"}),
    (("1", "0", "nan"), {"hours": "not_number"}),
    (("1", "0", "x"), {"hours": "not_number"}),
    (("²", "0", "0"), {"volume": "digits"}),
    (("١٢", "0", "0"), {"volume": "digits"}),  # Arabic-Indic digits: only ASCII and Thai ones are typed here
    (("1", "0", "1e1"), {"hours": "not_number"}),
    (("1,5", "0", "0"), {"volume": "not_whole"}),  # ',' only between groups of three
    (("1", "0", "1,5"), {"hours": "not_number"}),  # never a decimal point
    (("1", "0", "1,000"), {"hours": "hours_day"}),  # one thousand, as everywhere
    (("1.000,5", "0", "0"), {"volume": "not_whole"}),
])
def test_parse_answer_refuses(raw, errors):
    assert domain.parse_answer(*raw) == (None, errors)


def test_a_bad_field_anywhere_refuses_the_whole_aspect():
    with pytest.raises(ValidationFailed) as refused:
        domain.parse_aspect_answers([1, 2, 3], {1: ("1", "1", "1"), 2: ("x", "1", "1")})
    assert refused.value.errors == {"2.volume": "not_whole"}
    with pytest.raises(ValidationFailed):
        domain.parse_aspect_answers([1], {99: ("1", "1", "1")})
    assert domain.parse_aspect_answers([1, 2], {1: ("0", "0", "0")}) == {1: Answer(0, 0, 0.0), 2: None}


@pytest.mark.parametrize("active, answered, status", [
    ({1, 2, 3}, {1, 2, 3}, AspectStatus.COMPLETE),
    ({1, 2, 3}, {1, 2, 3, 9}, AspectStatus.COMPLETE),  # 9: a retired question's answer
    ({1, 2, 3}, {1}, AspectStatus.INCOMPLETE),
    ({1, 2, 3}, set(), AspectStatus.EMPTY),
    ({1, 2, 3}, {9}, AspectStatus.EMPTY),
    (set(), set(), AspectStatus.COMPLETE),
])
def test_aspect_status(active, answered, status):
    assert domain.aspect_status(active, answered) is status


CONTACT = {"office_address": "ที่ว่าการอำเภอเมืองกระบี่", "office_phone": "075-611-234",
           "person_name": "นายสมชาย ตัวอย่าง", "person_mobile": "081 234 5678", "person_email": "a@example.org",
           "responsible_districts": ["8104", "8106"]}
KRABI = {"8101", "8102", "8103", "8104", "8105", "8106", "8107", "8108"}


def test_contact_is_normalised_and_always_includes_the_own_district():
    contact = domain.parse_contact(CONTACT, "8101", KRABI)
    assert contact.office_phone == "075611234" and contact.person_mobile == "0812345678"
    assert contact.responsible_districts == ["8101", "8104", "8106"]
    assert contact.is_complete("8101")


@pytest.mark.parametrize("change, field, code", [
    ({"office_phone": "12345"}, "office_phone", "phone"),
    ({"person_mobile": "021234567"}, "person_mobile", "mobile"),
    ({"office_phone": "0٤٤٢٤٢١١١"}, "office_phone", "phone"),  # Arabic-Indic digits
    ({"person_mobile": "０８１２３４５６７８"}, "person_mobile", "mobile"),  # full-width digits
    ({"person_email": "not-an-email"}, "person_email", "email"),
    ({"person_name": "  "}, "person_name", "required"),
    ({"responsible_districts": ["3001"]}, "responsible_districts", "district_outside_province"),
])
def test_contact_refusals(change, field, code):
    with pytest.raises(ValidationFailed) as refused:
        domain.parse_contact({**CONTACT, **change}, "8101", KRABI)
    assert refused.value.errors == {field: code}


def test_own_district_comes_first_whatever_the_form_order():
    contact = domain.parse_contact({**CONTACT, "responsible_districts": ["8104", "8101"]}, "8101", KRABI)
    assert contact.responsible_districts == ["8101", "8104"]


def test_phone_numbers_may_be_typed_with_thai_digits():
    contact = domain.parse_contact({**CONTACT, "office_phone": "๐๗๕ ๖๑๑ ๒๓๔", "person_mobile": "๐๘๑-๒๓๔-๕๖๗๘"},
                                   "8101", KRABI)
    assert (contact.office_phone, contact.person_mobile) == ("075611234", "0812345678")


def test_office_phone_may_carry_an_extension():
    assert domain.parse_contact({**CONTACT, "office_phone": "075 611 234 ต่อ 12"},
                                "8101", KRABI).office_phone == "075611234ต่อ12"


def test_record_complete_needs_all_eight_aspects_and_the_contact():
    complete = {n: AspectStatus.COMPLETE for n in domain.ASPECTS}
    contact = Contact("a", "075611234", "b", "0812345678", "c@d.e", ["8101"])
    assert domain.record_complete(complete, contact, "8101")
    assert not domain.record_complete({**complete, 8: AspectStatus.INCOMPLETE}, contact, "8101")
    assert not domain.record_complete(complete, None, "8101")
    assert not domain.record_complete(complete, Contact("a", "", "b", "0812345678", "c@d.e", ["8101"]), "8101")


def test_hours_per_year_and_full_time_equivalents():
    params = domain.Parameters(hours_per_day=7, days_per_year=230)
    hours = domain.hours_per_year(Answer(12, 2, 3.5), params)
    assert hours == 12 * (2 * 7 + 3.5) == 210
    assert domain.full_time_equivalents(1610, params) == 1.0


def test_writes_only_inside_the_window_and_before_confirmation():
    now = datetime(2026, 3, 1)
    window = domain.Window(now - timedelta(days=1), now + timedelta(days=1))
    domain.check_writable(window, now)
    for moment in (now - timedelta(days=2), now + timedelta(days=1)):
        with pytest.raises(WorkloadError, match="window_closed"):
            domain.check_writable(window, moment)
    with pytest.raises(WorkloadError, match="confirmed"):
        domain.check_writable(window, now, confirmed=True)


def test_eight_aspects_with_the_titles_of_the_manual():
    assert len(domain.ASPECTS) == 8
    assert domain.ASPECTS[5] == "การจัดการฐานข้อมูลเกี่ยวกับการบริหารงานขององค์กรปกครองส่วนท้องถิ่น"


@pytest.mark.parametrize("hours, previous, reason", [
    (100, None, None), (1610, None, None), (1611, None, "over_year"),
    (100, 9, "jump"), (100, 10, None), (100, 1000, None), (100, 1001, "jump"), (0, 50, None), (50, 0, None),
])
def test_plausibility_flags(hours, previous, reason):
    assert domain.implausible(hours, previous, domain.Parameters(7, 230)) == reason


@pytest.mark.parametrize("hours, previous, factor, floor, reason", [
    (35, 3, 10, 40, None),  # both years below the floor: a few hours more is no mistake
    (45, 3, 10, 40, "jump"), (3, 45, 10, 40, "jump"),  # one year above it
    (35, 3, 10, 0, "jump"), (45, 3, 20, 40, None),  # the round's own floor and factor
])
def test_plausibility_flags_with_the_rounds_factor_and_floor(hours, previous, factor, floor, reason):
    assert domain.implausible(hours, previous, domain.Parameters(7, 230), factor, floor) == reason
