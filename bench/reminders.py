"""`make bench` part, or `.venv/bin/python -m bench.reminders`: the 14-day reminder of a whole season (#23).

Starts its own stack like bench/run.py (PostgreSQL from TEST_DATABASE_URL, through PgBouncer) with the demo's
open round 2569, in which one district of every province has a complete record its province has not confirmed:
the 14-day reminder then goes to the 802 other districts and to all 76 provinces. Window-opened notices are
marked as told beforehand, so that only the reminder is measured. Times from the start of
`flask --app workload remind --today <14 days before closing>` until the stack's own SMTP server
(tools/fakes/mail.py) has received every message: the outbox, the relay, the portal's inbox (with the SSO's
recipients) and the sender, end to end. Target: ≤ 30 s.
"""
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

from bench.run import QUIET  # bench.run also defaults TEST_DATABASE_URL to the local PostgreSQL
from shared import geography
from shared.clock import utcnow
from shared.thai import to_bangkok
from tools.stack import ROOT, VENV_BIN, running
from workload.demo import _answer, _contact
from workload.models import AnswerRow, AspectSave, Question, Record, Round, outbox

BOUND_S = 30.0
MARK = 14
TIMEOUT_S = 600


def prepare_season(url: str) -> tuple[int, object]:
    """One complete, unconfirmed record per province in round 2569; window-opened told to every district.
    Returns how many records were filled and the day to remind for."""
    import random

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            round_id, closes_at = connection.execute(select(Round.id, Round.closes_at)
                                                     .where(Round.fiscal_year == 2569)).one()
            questions = connection.execute(select(Question.id).where(Question.round_id == round_id,
                                                                     Question.retired_at.is_(None))).scalars().all()
            now = utcnow()
            chosen = [geography.districts(p.code)[0] for p in geography.provinces()]
            connection.execute(insert(Record), [
                {"round_id": round_id, "district_code": d.code, "province_code": d.province_code, "contact_version": 1,
                 "contact_saved_at": now, "created_at": now, **_contact(random.Random(d.code), d.code)}
                for d in chosen])
            ids = dict(connection.execute(select(Record.district_code, Record.id)
                                          .where(Record.round_id == round_id)).all())
            rng = random.Random(2569)
            connection.execute(insert(AnswerRow), [
                dict(zip(("record_id", "question_id", "volume", "days", "hours"), (ids[d.code], q, *_answer(rng))))
                for d in chosen for q in questions])
            connection.execute(insert(AspectSave), [
                {"record_id": ids[d.code], "aspect": n, "version": 1, "saved_at": now, "saved_by": f"d-{d.code}"}
                for d in chosen for n in range(1, 9)])
            connection.execute(insert(outbox.model), [
                {"event_id": f"workload:window_opened:2569:{d.code}", "kind": "workload.window_opened", "payload": {},
                 "created_at": now, "delivered_at": now, "attempts": 0, "next_attempt_at": now}
                for d in geography.districts()])
            # As in a real season, each complete record's province was told when it became complete (else the
            # daily run would catch that notice up now, and its mail would be counted as the reminder's).
            connection.execute(insert(outbox.model), [
                {"event_id": f"workload:record_complete:2569:{d.code}", "kind": "workload.record_complete",
                 "payload": {}, "created_at": now, "delivered_at": now, "attempts": 0, "next_attempt_at": now}
                for d in chosen])
        return len(chosen), to_bangkok(closes_at).date() - timedelta(days=MARK)
    finally:
        engine.dispose()


def count(engine, statement, **params) -> int:
    with engine.connect() as connection:
        return connection.execute(statement if not isinstance(statement, str) else text(statement), params).scalar()


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="dcc-bench-reminders-"))
    with running(var_dir, QUIET) as stack:
        filled, day = prepare_season(stack.database_urls["workload"])
        workload_db, portal_db = (create_engine(stack.database_urls[name]) for name in ("workload", "portal"))
        folder = var_dir / "mail"
        held_before = len(list(folder.glob("*.json")))
        pending = select(func.count()).select_from(outbox.model).where(outbox.model.delivered_at.is_(None))
        prefix = f"workload:countdown:2569:{MARK}:%"
        started = time.perf_counter()
        done = subprocess.run([str(VENV_BIN / "flask"), "--app", "workload", "remind", "--today", day.isoformat()],
                              env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
        emitted_s = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            return 1
        print(f"remind --today {day}: {done.stdout.strip()} ({emitted_s:.1f} s)")
        handed_s = None
        while True:
            if time.perf_counter() - started > TIMEOUT_S:
                print(f"NOT done after {TIMEOUT_S} s", file=sys.stderr)
                return 1
            if handed_s is None and count(workload_db, pending) == 0:
                handed_s = time.perf_counter() - started
            messages = count(portal_db, "SELECT count(*) FROM portal_mail WHERE event_id LIKE :p", p=prefix)
            held = len(list(folder.glob("*.json"))) - held_before
            sent = count(portal_db, "SELECT count(*) FROM portal_mail WHERE event_id LIKE :p AND status = 'sent'",
                         p=prefix)
            if handed_s is not None and messages and held >= messages and sent == messages:
                seconds = time.perf_counter() - started
                break
            time.sleep(0.2)
        failed = count(portal_db, "SELECT count(*) FROM portal_mail WHERE event_id LIKE :p AND status <> 'sent'",
                       p=prefix)
        workload_db.dispose()
        portal_db.dispose()
    database = stack.database_urls["workload"].split(":")[0].split("+")[0]
    ok = seconds <= BOUND_S and failed == 0
    print(f"{MARK}-day reminder ({len(geography.districts()) - filled} districts behind, {filled} provinces waiting, "
          f"database {database}): {messages} messages handed to the SMTP server in {seconds:.1f} s "
          f"(events in the outbox after {emitted_s:.1f} s, all handed to the portal after {handed_s:.1f} s); "
          f"not sent: {failed} — target ≤ {BOUND_S:.0f} s {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
