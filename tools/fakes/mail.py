"""A mail server on the loopback for make run and the tests: aiosmtpd takes every message over SMTP and keeps
it as a file; a small web app shows what it caught at /dev/mail/ (nginx routes that there in development only,
GATEWAY_DEV_MAIL) and /dev/mail/messages.json for the tests.

    python -m tools.fakes.mail SMTP_PORT HTTP_PORT FOLDER      (what tools/stack.py runs; one process)

Never part of a production image: deploy/python.Dockerfile copies services/ and shared/, not tools/.
"""
import json
import sys
import threading
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask, abort, render_template_string

from shared import testing
from shared.clock import utcnow


class Keeper:
    """aiosmtpd's handler: every message accepted is a numbered JSON file (envelope and raw message)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = len(list(self.folder.glob("*.json"))) + 1
            kept = {"number": number, "mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                    "received_at": utcnow().isoformat() + "Z",
                    "raw": envelope.original_content.decode("utf-8", "replace")}
            partial = self.folder / f"{number:06d}.part"
            partial.write_text(json.dumps(kept, ensure_ascii=False))
            partial.rename(self.folder / f"{number:06d}.json")  # readers never see half a message
        return "250 Message accepted for delivery"


def messages(folder: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


PAGE = """<!doctype html><html lang="th"><meta charset="utf-8"><title>จดหมายที่ส่งออก (development)</title>
<h1>จดหมายที่ส่งออก (development only)</h1>
{% for m in mails %}<article><h2><a href="/dev/mail/{{ m.number }}">{{ m.subject }}</a></h2>
<p>ถึง {{ m.to }}{% if m.cc %} · สำเนา {{ m.cc }}{% endif %} · {{ m.received_at }}</p></article>
{% else %}<p>ยังไม่มีจดหมาย</p>{% endfor %}"""


def create_app(folder: Path) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": "fake-mail"}

    @app.get("/dev/mail/messages.json")
    def as_json():
        return {"messages": messages(folder)}

    @app.get("/dev/mail/")
    def index():
        shown = []
        for kept in reversed(messages(folder)):
            parsed = message_from_bytes(kept["raw"].encode(), policy=policy.default)
            shown.append({"number": kept["number"], "subject": parsed["Subject"], "to": parsed["To"],
                          "cc": parsed["Cc"], "received_at": kept["received_at"]})
        return render_template_string(PAGE, mails=shown)

    @app.get("/dev/mail/<int:number>")
    def one(number):
        path = folder / f"{number:06d}.json"
        if not path.exists():
            abort(404)
        parsed = message_from_bytes(json.loads(path.read_text())["raw"].encode(), policy=policy.default)
        body = parsed.get_body(("plain",))
        return {"subject": parsed["Subject"], "to": parsed["To"], "cc": parsed["Cc"],
                "message_id": parsed["Message-ID"], "text": body.get_content() if body else ""}

    return app


def serve(smtp_port: int, http_port: int, folder: Path) -> None:
    controller = Controller(Keeper(folder), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        with testing.serving(create_app(folder), http_port):
            threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
