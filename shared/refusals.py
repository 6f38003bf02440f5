"""Refusals a user can understand, the same way in every service: the domain raises a code, the
service's messages.py holds the Thai words, and the API answers a problem document with both.

Each service subclasses Refusal (so that its app handles only its own) and ValidationFailed:
    class WorkloadError(Refusal): ...
    class ValidationFailed(refusals.ValidationFailed, WorkloadError): ...
"""
from shared.errors import ApiProblem


class Refusal(Exception):
    """`code` is looked up in the service's messages; `details` travel with it."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


class ValidationFailed(Refusal):
    """Field by field: `errors` maps a field name to the code of what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("invalid", errors=errors)
        self.errors = errors


def words(errors: dict[str, str], field_words: dict[str, str]) -> dict[str, str]:
    """Each field's error code in Thai (the code itself when it has no wording)."""
    return {name: field_words.get(code, code) for name, code in errors.items()}


def problem(error: Refusal, statuses: dict[str, tuple[int, str]], field_words: dict[str, str],
            **extra) -> ApiProblem:
    """The problem document of a refusal: its status and Thai detail, its code, and per-field messages."""
    status, detail = statuses[error.code]
    if isinstance(error, ValidationFailed):
        extra["errors"] = words(error.errors, field_words)
    return ApiProblem(status, detail, code=error.code, **extra)
