"""The SSO admin's rules as plain functions: who may manage whom, which rights may be given."""
import pytest

from sso import domain, rules
from sso.rules import Person, Refused

CENTRAL = Person("central-a", frozenset({"central"}), None)
ADMIN_81 = Person("admin-81", frozenset({"ssoadmin"}), "81")
DISTRICT_81 = Person("d-8101", frozenset({"district"}), "81")
DISTRICT_30 = Person("d-3001", frozenset({"district"}), "30")
OTHER_ADMIN_81 = Person("admin2-81", frozenset({"ssoadmin"}), "81")


@pytest.mark.parametrize("actor, target, allowed", [
    (ADMIN_81, DISTRICT_81, True),
    (ADMIN_81, DISTRICT_30, False),  # another province
    (ADMIN_81, OTHER_ADMIN_81, False),  # SSO admins are the central office's
    (ADMIN_81, ADMIN_81, False),  # never oneself
    (ADMIN_81, CENTRAL, False),
    (CENTRAL, OTHER_ADMIN_81, True),
    (CENTRAL, DISTRICT_30, True),
    (CENTRAL, Person("central-b", frozenset({"central"}), None), False),
    (DISTRICT_81, Person("x", frozenset({"district"}), "81"), False),  # not an admin
])
def test_who_may_manage_whom(actor, target, allowed):
    if allowed:
        rules.check_may_manage(actor, target)
    else:
        with pytest.raises(Refused):
            rules.check_may_manage(actor, target)


def test_another_provinces_user_is_not_even_found():
    with pytest.raises(Refused) as refused:
        rules.check_may_manage(ADMIN_81, DISTRICT_30)
    assert refused.value.status == 404


@pytest.mark.parametrize("actor, roles, province, district, message", [
    (ADMIN_81, {"district"}, "81", "8101", None),
    (ADMIN_81, {"province"}, "81", None, None),
    (ADMIN_81, set(), "81", None, None),  # all rights removed
    (ADMIN_81, {"ssoadmin"}, "81", None, "ไม่มีสิทธิ์กำหนดสิทธิ์"),
    (ADMIN_81, {"central"}, "81", None, "ไม่มีสิทธิ์กำหนดสิทธิ์"),
    (ADMIN_81, {"district"}, "30", "3001", "ไม่ได้สังกัดจังหวัดของท่าน"),
    (ADMIN_81, {"district"}, "81", "3001", "กรุณาเลือกอำเภอในจังหวัดของผู้ใช้"),
    (ADMIN_81, {"district"}, "81", None, "กรุณาเลือกอำเภอ"),
    (ADMIN_81, {"province"}, "81", "8101", "เฉพาะผู้ใช้ระดับท้องถิ่นอำเภอ"),
    (ADMIN_81, {"district", "province"}, "81", "8101", "ระดับเดียว"),
    (CENTRAL, {"ssoadmin"}, "30", None, None),
    (CENTRAL, {"ssoadmin", "province"}, "30", None, None),
    (CENTRAL, {"central"}, None, None, "ไม่มีสิทธิ์กำหนดสิทธิ์"),
    (CENTRAL, {"province"}, "99", None, "กรุณาเลือกจังหวัด"),
])
def test_which_rights_may_be_given(actor, roles, province, district, message):
    if message is None:
        rules.check_rights(actor, roles, province, district)
    else:
        with pytest.raises(Refused, match=message):
            rules.check_rights(actor, roles, province, district)


def test_an_sso_admin_without_a_province_manages_nobody():
    stray = Person("stray", frozenset({"ssoadmin"}), None)
    assert not rules.is_admin(stray)
    with pytest.raises(Refused):
        rules.check_may_manage(stray, DISTRICT_81)


def test_an_sso_admin_sees_only_its_province_whatever_it_asks():
    assert rules.visible_province(ADMIN_81, "30") == "81"
    assert rules.visible_province(CENTRAL, "30") == "30"
    assert rules.visible_province(CENTRAL, None) is None


@pytest.mark.parametrize("username, ok", [("d-8101", True), ("somchai.k", True), ("ab", False),
                                          ("Somchai", False), ("สมชาย", False), ("-lead", False), ("a b c", False)])
def test_user_names(username, ok):
    if ok:
        rules.check_username(username)
    else:
        with pytest.raises(Refused) as refused:
            rules.check_username(username)
        assert refused.value.status == 422 and refused.value.message.startswith("User ต้องยาว")


def test_temporary_passwords_are_random_and_unambiguous():
    passwords = {rules.temporary_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(len(p) == 12 and not set(p) & set("0O1lI") for p in passwords)


@pytest.mark.parametrize("password, name, ok", [
    ("qwertyuiop", "", False), ("1qaz2wsx3edc", "", False), ("somchai1234", "สมชาย somchai", False),
    ("krabi-district-8101", "", True), ("Tg7-kq2-Lmx9", "", True), ("x" * 129, "", False)])
def test_common_passwords_and_own_names_are_refused(password, name, ok):
    assert (domain.password_problem(password, "d-8101", name) is None) is ok


def test_a_login_without_a_destination_takes_an_sso_admin_to_its_users_and_others_home():
    assert rules.landing(ADMIN_81, "/") == "/sso/admin/users"
    assert rules.landing(ADMIN_81, "/directory/") == "/directory/"  # where it was headed stays
    assert rules.landing(DISTRICT_81, "/") == "/" and rules.landing(CENTRAL, "/") == "/"
    # An SSO admin with an office's role too has that office's work on the home page.
    assert rules.landing(Person("p", frozenset({"ssoadmin", "province"}), "81"), "/") == "/"
