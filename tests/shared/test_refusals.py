"""Refusals: a code from the domain, Thai words from the service, one problem document."""
from shared import refusals


class ServiceError(refusals.Refusal):
    pass


class ValidationFailed(refusals.ValidationFailed, ServiceError):
    pass


def test_a_service_validation_failure_is_also_its_own_error_kind():
    error = ValidationFailed({"title": "required"})
    assert isinstance(error, ServiceError) and error.code == "invalid" and error.errors == {"title": "required"}


def test_the_problem_document_carries_status_thai_detail_code_and_field_words():
    statuses = {"invalid": (422, "ข้อมูลไม่ถูกต้อง"), "locked": (423, "แก้ไขไม่ได้")}
    problem = refusals.problem(ValidationFailed({"title": "required", "x": "odd"}), statuses, {"required": "กรุณากรอก"})
    assert problem.code == 422 and problem.description == "ข้อมูลไม่ถูกต้อง"
    assert problem.extra == {"code": "invalid", "errors": {"title": "กรุณากรอก", "x": "odd"}}
    locked = refusals.problem(ServiceError("locked"), statuses, {}, state="approved")
    assert (locked.code, locked.extra) == (423, {"code": "locked", "state": "approved"})
