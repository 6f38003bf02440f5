"""E-mail of the notifications over SMTP (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS, SMTP_FROM).

`flask --app portal send-mail` runs as a process of its own. Each message is sent at least once with the same
Message-ID: a row is locked while it is sent (two senders never take the same one), marked sent after the
server accepted it, and tried again later, waiting longer each time, when the server is away. Only a crash
between the server's acceptance and the commit sends a copy again, with the same Message-ID.
"""
import logging
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate
from html import escape

import click
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from portal.models import MailMessage, db
from shared.clock import utcnow
from shared.outbox import retry_after, retry_cap_seconds

log = logging.getLogger("dcc.portal.mail")

DUE = ("pending", "retrying")


def build(message: MailMessage, sender: str, public_url: str) -> EmailMessage:
    """Plain text and HTML; the Thai subject is encoded per RFC 2047 by the email package."""
    link = public_url + message.link
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    if message.to_addresses:
        email["To"] = ", ".join(message.to_addresses)
    if message.cc_addresses:
        email["Cc"] = ", ".join(message.cc_addresses)
    email["Message-ID"] = message.message_id
    email["Date"] = formatdate(localtime=False)
    email.set_content(f"{message.text}\n\nดูรายละเอียด: {link}\n\n-- \nศูนย์ประสานงานท้องถิ่นอำเภอ กรมส่งเสริมการปกครองท้องถิ่น\n")
    email.add_alternative(
        f'<!doctype html><html lang="th"><body><h1 style="font-size:1.2em">{escape(message.subject)}</h1>'
        f"<p>{escape(message.text)}</p><p><a href=\"{escape(link)}\">ดูรายละเอียด</a></p>"
        "<p style=\"color:#555\">ศูนย์ประสานงานท้องถิ่นอำเภอ กรมส่งเสริมการปกครองท้องถิ่น</p></body></html>",
        subtype="html")
    return email


def _connect(settings: dict) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings["SMTP_HOST"], settings["SMTP_PORT"], timeout=settings["SMTP_TIMEOUT"])
    if settings["SMTP_STARTTLS"]:
        smtp.starttls()
    if settings["SMTP_USER"]:
        smtp.login(settings["SMTP_USER"], settings["SMTP_PASSWORD"] or "")
    return smtp


def _permanent(exc: Exception) -> bool:
    """The server refused for good (5xx): trying again would get the same answer."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def send_due(settings: dict, batch: int = 20) -> int:
    """Send the messages due now; returns how many the server accepted."""
    now = utcnow()
    rows = list(db.session.scalars(
        select(MailMessage).where(MailMessage.status.in_(DUE), MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.id).limit(batch).with_for_update(skip_locked=True)))
    if not rows:
        db.session.rollback()
        return 0
    sent, cap = 0, retry_cap_seconds()
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        smtp, failure = None, exc
    for row in rows:
        try:
            if smtp is None:
                raise failure
            smtp.send_message(build(row, settings["SMTP_FROM"], settings["DCC_PUBLIC_URL"]))
        except (OSError, smtplib.SMTPException) as exc:
            row.attempts += 1
            row.status = "failed" if _permanent(exc) else "retrying"
            row.next_attempt_at = now + retry_after(row.attempts, cap)
            row.last_error = str(exc)[:500] or type(exc).__name__
            log.warning("mail %s not sent (%s): %s", row.message_id, row.status, row.last_error)
            if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                smtp = None  # the connection is gone: the rest of the batch waits for the next try too
                failure = exc
            continue
        row.status, row.sent_at, row.last_error = "sent", utcnow(), None
        row.attempts += 1
        sent += 1
    _commit_outcomes(rows)
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent


OUTCOME = ("status", "sent_at", "last_error", "attempts", "next_attempt_at")


def _commit_outcomes(rows: list[MailMessage], tries: int = 5) -> None:
    """Commit what became of the batch. What the server accepted must not stay due, or it goes out twice: a
    commit that fails (the database busy or away for a moment) is tried again, row by row, a few times."""
    outcomes = {row.id: {name: getattr(row, name) for name in OUTCOME} for row in rows}
    for attempt in range(tries):
        try:
            if attempt:
                for row_id, values in outcomes.items():
                    db.session.execute(update(MailMessage).where(MailMessage.id == row_id).values(**values))
            db.session.commit()
            return
        except SQLAlchemyError as exc:
            db.session.rollback()
            log.warning("mail: outcome of %d messages not saved yet (%s), trying again", len(outcomes), exc)
            time.sleep(min(2 ** attempt, 10))
    raise SQLAlchemyError("mail: outcome of a batch not saved")


def init_app(app) -> None:
    @app.cli.command("send-mail")
    @click.option("--once", is_flag=True, help="send what is due now, then stop")
    @click.option("--interval", default=1.0, show_default=True, help="seconds between looks when idle")
    def send_mail(once: bool, interval: float):
        """Send the notifications' e-mail (docs/notifications.md)."""
        while True:
            try:
                sent = send_due(app.config)
            except SQLAlchemyError as exc:
                db.session.rollback()
                log.warning("mail: database unavailable: %s", exc)
                sent = 0
            if once and not sent:
                break
            if not sent:
                time.sleep(interval)
