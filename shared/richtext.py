"""Limited rich text (news bodies, portal content): paragraphs, bold, lists and links, cleaned on the
server with nh3.

Whatever a browser or API client sends, only the allow-list below is ever stored; script, event
handlers, styles and javascript: links are dropped. Officers may also type plain text: blank lines
make paragraphs and lines starting with "-" or "•" make a list.
"""
import html
import re

import nh3

TAGS = {"p", "br", "strong", "b", "em", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"

BLOCK_START = re.compile(r"<\s*(p|ul|ol)[\s>]", re.IGNORECASE)
BULLET = re.compile(r"^\s*[-•*]\s+")


def clean_html(raw: str) -> str:
    return nh3.clean(raw, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL,
                     strip_comments=True, clean_content_tags={"script", "style"}).strip()


def _blocks(text: str) -> str:
    """Blank lines part paragraphs, "-" lines make a list, a block already in <p>/<ul>/<ol> stays as it is.
    Inline markup (bold, links) typed or inserted by the editor's buttons is kept for the sanitiser."""
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if BLOCK_START.match(lines[0]):
            out.append(" ".join(lines))
        elif all(BULLET.match(line) for line in lines):
            out.append("<ul>" + "".join(f"<li>{BULLET.sub('', line)}</li>" for line in lines) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)


def body_html(raw: str | None) -> str:
    """What the editor sent (HTML or plain text) → the sanitised HTML that is stored."""
    return clean_html(_blocks(raw or ""))


def body_text(clean: str) -> str:
    """The stored HTML as plain text: for summaries, search and the check that a body says something."""
    with_breaks = re.sub(r"</(p|li)>|<br\s*/?>", " ", clean)
    return " ".join(html.unescape(nh3.clean(with_breaks, tags=set())).split())


def summary(clean: str, length: int = 200) -> str:
    text = body_text(clean)
    return text if len(text) <= length else text[:length].rstrip() + "…"
