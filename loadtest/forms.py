"""What a browser would submit from a page's forms: their action and their fields, read from the HTML.

Regular expressions rather than a full HTML parser: the load generator shares two cores with the
stack, and the pages come from our own templates (attributes always double-quoted).
"""
import html
import re
from dataclasses import dataclass, field

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_FIELD = re.compile(r"<(input|textarea)\b([^>]*)>(?:(.*?)</textarea>)?", re.S)
_ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # in page order; a name may repeat

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


def _attributes(text: str) -> dict[str, str]:
    return {name: html.unescape(value or "") for name, value in _ATTRIBUTE.findall(text)}


def forms(page: str, default_action: str = "") -> list[Form]:
    """Every form of the page with what submitting it sends: disabled fields (and those of a disabled
    fieldset) and unchecked boxes left out, as a browser does."""
    found = []
    for form_attributes, body in _FORM.findall(page):
        form = Form(_attributes(form_attributes).get("action") or default_action)
        # A disabled fieldset disables every field up to its end (our templates do not nest disabled ones).
        body = re.sub(r"<fieldset\b[^>]*\bdisabled\b.*?</fieldset>", "", body, flags=re.S)
        for tag, attributes_text, content in _FIELD.findall(body):
            attributes = _attributes(attributes_text)
            if "name" not in attributes or "disabled" in attributes:
                continue
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                continue
            value = html.unescape(content or "") if tag == "textarea" else attributes.get("value", "")
            form.fields.append((attributes["name"], value))
        found.append(form)
    return found


def form_with(page: str, field_name: str, default_action: str = "") -> Form | None:
    """The first form of the page that has a field of that name."""
    return next((form for form in forms(page, default_action) if form.value(field_name) is not None), None)
