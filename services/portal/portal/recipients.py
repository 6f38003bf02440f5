"""Who works in an office, asked of the SSO at its internal endpoint (services only: shared.internal)."""
from shared import internal


class RecipientsUnavailable(Exception):
    """The SSO could not say who the office's users are: the events wait and are handed over again."""


def from_sso(base_urls: str, secret: str | None, timeout: float = 5.0):
    def resolve(office: tuple[str, str]) -> list[dict]:
        kind, code = office
        try:
            response = internal.call(base_urls, "GET", "/internal/recipients", secret, timeout, params={kind: code})
        except internal.InternalUnavailable as exc:
            raise RecipientsUnavailable(str(exc)) from exc
        if response.status_code != 200:
            raise RecipientsUnavailable(f"the SSO answered {response.status_code}")
        return response.json()["users"]
    return resolve
