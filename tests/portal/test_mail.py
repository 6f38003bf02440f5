"""The notifications' e-mail against a real SMTP server on the loopback (aiosmtpd, tools/fakes/mail.py)."""
import asyncio
import socket
import threading
import time
from datetime import timedelta
from email import message_from_string, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal import mail
from portal.models import MailMessage, db
from shared.clock import utcnow
from shared.testing import require_postgresql
from tests.portal.test_notifications import hand_over, returned
from tools.fakes.mail import Keeper, messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(tmp_path):
    port = free_port()
    keeper = Keeper(tmp_path / "mail")
    server = {"controller": None}

    def start():
        server["controller"] = Controller(keeper, hostname="127.0.0.1", port=port)
        server["controller"].start()

    def stop():
        server["controller"].stop()
    start()
    yield {"port": port, "folder": keeper.folder, "start": start, "stop": stop}
    if server["controller"].loop.is_running():
        stop()


def settings(app, port) -> dict:
    return {**app.config, "SMTP_PORT": port, "SMTP_HOST": "127.0.0.1", "DCC_PUBLIC_URL": "http://center.test"}


def test_the_server_receives_both_parts_an_encoded_thai_subject_the_link_and_a_message_id(app, client, smtp, service):
    hand_over(client, service, returned())
    with app.app_context():
        assert mail.send_due(settings(app, smtp["port"])) == 1
        row = db.session.scalar(select(MailMessage))
        assert (row.status, row.attempts) == ("sent", 1)
    [kept] = messages(smtp["folder"])
    assert kept["rcpt_tos"] == ["district-user@dcc-demo.test", "contact@example.org"]
    assert "Subject: =?utf-8?" in kept["raw"]  # RFC 2047: the raw header is ASCII
    parsed = message_from_string(kept["raw"], policy=policy.default)
    assert parsed["Subject"] == "สถจ. ส่งกลับแก้ไข ด้านที่ 3, 5 ปีงบประมาณ 2569"
    assert parsed["To"] == "district-user@dcc-demo.test" and parsed["Cc"] == "contact@example.org"
    assert parsed["Message-ID"] == row.message_id
    link = "http://center.test/workload/2569/districts/8101/aspects/3"
    assert link in parsed.get_body(("plain",)).get_content()
    assert f'href="{link}"' in parsed.get_body(("html",)).get_content()
    with app.app_context():
        assert mail.send_due(settings(app, smtp["port"])) == 0  # sent once
    assert len(messages(smtp["folder"])) == 1


def test_with_the_server_away_nothing_is_lost_and_it_arrives_once_it_is_back(app, client, smtp, service, monkeypatch):
    monkeypatch.setenv("NOTIFY_RETRY_MAX_SECONDS", "30")
    hand_over(client, service, returned(), returned("workload:x:2"))
    smtp["stop"]()
    with app.app_context():
        assert mail.send_due(settings(app, smtp["port"])) == 0
        rows = db.session.scalars(select(MailMessage)).all()
        assert {(r.status, r.attempts) for r in rows} == {("retrying", 1)}
        assert all(r.last_error and r.next_attempt_at > utcnow() for r in rows)
        assert mail.send_due(settings(app, smtp["port"])) == 0  # not due yet: nobody hammers the server
        smtp["start"]()
        db.session.execute(MailMessage.__table__.update().values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert mail.send_due(settings(app, smtp["port"])) == 2
    ids = [message_from_string(m["raw"], policy=policy.default)["Message-ID"] for m in messages(smtp["folder"])]
    assert len(ids) == 2 and len(set(ids)) == 2


class SlowKeeper(Keeper):
    """The fake server, a little slow to accept each message: a sender's batch is still locked (and being
    sent) while the other sender looks for due messages."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def test_two_senders_at_once_send_each_message_exactly_once(app, tmp_path):
    """send_due's row locks (FOR UPDATE SKIP LOCKED): two `send-mail` processes at once take different
    messages; none goes out twice, none is left behind."""
    with app.app_context():
        require_postgresql(db.engine, "the two-senders test")
        due = utcnow() - timedelta(seconds=1)
        db.session.add_all([MailMessage(
            event_id=f"workload:race:{n}", recipient="district:8101", message_id=f"<race-{n}@dcc-demo.test>",
            to_addresses=["district-user@dcc-demo.test"], cc_addresses=[], subject=f"ทดสอบ {n}", text="ข้อความ",
            link="/workload/", next_attempt_at=due) for n in range(40)])
        db.session.commit()
    keeper = SlowKeeper(tmp_path / "mail")
    port = free_port()
    controller = Controller(keeper, hostname="127.0.0.1", port=port)
    controller.start()
    start, sent, errors = threading.Barrier(2), {}, []

    def sender(name: str):
        try:
            with app.app_context():  # an app context, and so a database session, of its own
                start.wait(timeout=10)
                sent[name] = 0
                while (accepted := mail.send_due(settings(app, port), batch=5)) or db.session.scalar(
                        select(func.count()).select_from(MailMessage).where(MailMessage.status.in_(mail.DUE))):
                    sent[name] += accepted
                    if not accepted:
                        time.sleep(0.01)  # the other sender holds what is left: look again in a moment
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)

    workers = [threading.Thread(target=sender, args=(name,)) for name in ("first", "second")]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        controller.stop()
    assert not errors and not any(w.is_alive() for w in workers), errors
    assert sent["first"] + sent["second"] == 40 and sent["first"] > 0 and sent["second"] > 0, sent  # both sent
    ids = [message_from_string(m["raw"], policy=policy.default)["Message-ID"] for m in messages(keeper.folder)]
    assert sorted(ids) == sorted(f"<race-{n}@dcc-demo.test>" for n in range(40))  # each exactly once
    with app.app_context():
        assert set(db.session.execute(select(MailMessage.status, MailMessage.attempts))) == {("sent", 1)}
