"""Who may do what in the Workload Tracking System (workload/permissions.py), without Flask."""
import pytest

from shared.auth import Identity
from workload import permissions
from workload.domain import WorkloadError


def person(roles, province=None, district=None):
    return Identity("u", "u", frozenset(roles), province, district, "s", "c", "cookie")


DISTRICT = person(["district"], "81", "8101")
NEIGHBOUR = person(["district"], "81", "8102")
PROVINCE = person(["province"], "81")
SSOADMIN = person(["ssoadmin"], "81")
CENTRAL = person(["central"])


@pytest.mark.parametrize("user, district, allowed", [
    (DISTRICT, "8101", True), (NEIGHBOUR, "8101", False), (DISTRICT, "3001", False),
    (PROVINCE, "8101", True), (PROVINCE, "8108", True), (PROVINCE, "3001", False),
    (SSOADMIN, "8102", False), (SSOADMIN, "3001", False),  # an SSO admin manages accounts, not records
    (CENTRAL, "3001", True),
    (PROVINCE, "1001", False),  # Bangkok is outside the center's geography
])
def test_who_reads_a_record_with_its_contact_data(user, district, allowed):
    assert permissions.read_record(user, district) is allowed


@pytest.mark.parametrize("user, province, allowed", [
    (DISTRICT, "81", False),  # its own record, not every district's contact data
    (DISTRICT, "30", False), (PROVINCE, "81", True), (PROVINCE, "30", False), (SSOADMIN, "81", False),
    (CENTRAL, "30", True), (person(["province"]), "81", False)])
def test_who_sees_the_province_page(user, province, allowed):
    assert permissions.see_province(user, province) is allowed


def test_only_the_district_itself_writes_its_record():
    assert permissions.write_record(DISTRICT, "8101")
    for user in (NEIGHBOUR, PROVINCE, SSOADMIN, CENTRAL):
        assert not permissions.write_record(user, "8101")


@pytest.mark.parametrize("user, district, allowed", [
    (PROVINCE, "8101", True), (PROVINCE, "3001", False), (SSOADMIN, "8101", False),
    (DISTRICT, "8101", False), (CENTRAL, "8101", False), (PROVINCE, "9999", False)])
def test_only_the_districts_province_confirms_or_returns(user, district, allowed):
    assert permissions.act_as_province(user, district) is allowed


@pytest.mark.parametrize("user, scope, allowed", [
    (DISTRICT, {"district_code": "8101"}, True), (DISTRICT, {"province_code": "81"}, False), (DISTRICT, {}, False),
    (PROVINCE, {"province_code": "81"}, True), (PROVINCE, {"district_code": "8102"}, True),
    (PROVINCE, {"province_code": "30"}, False), (PROVINCE, {}, False),
    (SSOADMIN, {"district_code": "8101"}, False), (SSOADMIN, {"province_code": "81"}, False),
    (CENTRAL, {}, True), (CENTRAL, {"province_code": "30"}, True)])
def test_who_sees_which_figures(user, scope, allowed):
    assert permissions.see_figures(user, **scope) is allowed


def test_only_the_central_office_manages_rounds_and_sees_the_season():
    assert permissions.manage_rounds(CENTRAL) and permissions.see_season(CENTRAL)
    for user in (DISTRICT, PROVINCE, SSOADMIN):
        assert not permissions.manage_rounds(user) and not permissions.see_season(user)


def test_an_sso_admin_reaches_only_the_open_endpoints():
    permissions.gate(SSOADMIN, "workload_api.MeView")
    permissions.gate(SSOADMIN, "workload_pages.index")
    permissions.gate(None, "workload_api.RecordView")  # anonymous: the views' login check answers
    permissions.gate(DISTRICT, "workload_api.RoundList")
    with pytest.raises(WorkloadError, match="accounts_only"):
        permissions.gate(SSOADMIN, "workload_api.RoundList")


def test_an_unknown_district_is_not_found_before_anything_else():
    with pytest.raises(WorkloadError, match="no_district"):
        permissions.require_record(CENTRAL, "9999")
    with pytest.raises(WorkloadError, match="not_province_office"):
        permissions.require_province(DISTRICT, "81")
