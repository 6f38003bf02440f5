"""Events a service tells the portal about, written in the same transaction as the change (docs/notifications.md).

Each service that emits events has an outbox table of its own (`Outbox(db, "workload")` adds it to the
service's models; each service's Alembic history creates it). `outbox.emit(session, kind, payload, event_id)`
adds a row to the session the change is in: the event exists if and only if the change committed. The relay
(`flask --app <service> relay`, a process of its own) hands pending events in order to the portal's internal
endpoint; the portal keeps each event id once, so a batch sent again (a relay killed before it marked the
batch, two relays) changes nothing there. A failed hand-over is tried again later, waiting longer each time.
"""
import logging
import time
from collections.abc import Callable
from datetime import timedelta

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from shared import config, internal
from shared.clock import utcnow

log = logging.getLogger("dcc.outbox")

EVENTS_PATH = "/internal/events"  # the portal's, called with the services' secret (shared.internal)


class HandOverFailed(Exception):
    """The portal could not be reached, or did not take the batch."""


def retry_after(attempts: int, cap_seconds: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 2, 4, 8 … seconds, never more than `cap_seconds`."""
    return timedelta(seconds=min(2 ** min(attempts, 20), cap_seconds))


def retry_cap_seconds() -> int:
    """NOTIFY_RETRY_MAX_SECONDS: the longest wait between two tries of an event or a message."""
    return config.env_int("NOTIFY_RETRY_MAX_SECONDS", 300)


class Outbox:
    def __init__(self, db, service: str):
        self.db = db
        self.service = service

        class OutboxEvent(db.Model):
            """An event of this service for the portal; delivered_at is set once the portal took it."""
            __tablename__ = "outbox_events"

            id = db.Column(db.Integer, primary_key=True)
            event_id = db.Column(db.String(120), nullable=False, unique=True)
            kind = db.Column(db.String(64), nullable=False)
            payload = db.Column(db.JSON, nullable=False)
            created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
            delivered_at = db.Column(db.DateTime)
            attempts = db.Column(db.Integer, nullable=False, default=0)
            next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
            last_error = db.Column(db.String(500))

        self.model = OutboxEvent

    def emit(self, session, kind: str, payload: dict, event_id: str):
        """Add the event to `session`, in the transaction of the change it tells about (committed with it).
        `event_id` names the event within this service, the same on every try of the same change."""
        row = self.model(event_id=f"{self.service}:{event_id}", kind=kind, payload=payload)
        session.add(row)
        return row

    def relay_once(self, hand_over: Callable[[list[dict]], set[str]], batch: int = 100) -> int:
        """Hand the oldest pending events due now to `hand_over` (→ the event ids the portal took) and mark
        those delivered; the rest wait for their next try. Returns how many were delivered."""
        session, model, now = self.db.session, self.model, utcnow()
        # Two relays never take the same rows at once (PostgreSQL; SQLite has one writer anyway).
        rows = list(session.scalars(
            select(model).where(model.delivered_at.is_(None), model.next_attempt_at <= now)
            .order_by(model.id).limit(batch).with_for_update(skip_locked=True)))
        if not rows:
            session.rollback()
            return 0
        try:
            taken, failure = hand_over([event_json(row) for row in rows]), None
        except HandOverFailed as exc:
            taken, failure = set(), str(exc)
        cap = retry_cap_seconds()
        for row in rows:
            if row.event_id in taken:
                row.delivered_at = now
            else:
                row.attempts += 1
                row.next_attempt_at = now + retry_after(row.attempts, cap)
                row.last_error = (failure or "not taken by the portal")[:500]
        session.commit()
        if failure:
            log.warning("outbox: %d events not handed over: %s", len(rows), failure)
        return len(taken)

    def pending(self) -> int:
        return self.db.session.scalar(select(self.db.func.count()).select_from(self.model)
                                      .where(self.model.delivered_at.is_(None)))

    def init_app(self, app) -> None:
        """`flask --app <service> relay [--once]`: the relay, as a process of its own."""
        @app.cli.command("relay")
        @click.option("--once", is_flag=True, help="hand over what is due now, then stop")
        @click.option("--interval", default=1.0, show_default=True, help="seconds between looks when idle")
        def relay(once: bool, interval: float):
            """Hand this service's outbox events to the portal (docs/notifications.md)."""
            hand_over = portal_hand_over(app.config.get("DCC_SERVICE_SECRET"))
            while True:
                try:
                    delivered = self.relay_once(hand_over)
                except SQLAlchemyError as exc:  # the database is away for a moment: look again later
                    self.db.session.rollback()
                    log.warning("outbox: database unavailable: %s", exc)
                    delivered = 0
                if once and not delivered:
                    break
                if not delivered:
                    time.sleep(interval)


def event_json(row) -> dict:
    return {"event_id": row.event_id, "kind": row.kind, "payload": row.payload,
            "created_at": row.created_at.isoformat() + "Z"}


def portal_hand_over(secret: str | None, timeout: float = 10.0) -> Callable[[list[dict]], set[str]]:
    """POST a batch to the portal's internal endpoint (PORTAL_INTERNAL_URL, by default where nginx finds the
    portal) → the event ids it took (new or known already)."""
    base_urls = internal.portal_urls()

    def hand_over(events: list[dict]) -> set[str]:
        try:
            response = internal.call(base_urls, "POST", EVENTS_PATH, secret, timeout, json={"events": events})
        except internal.InternalUnavailable as exc:
            raise HandOverFailed(str(exc)) from exc
        if response.status_code != 200:
            raise HandOverFailed(f"portal answered {response.status_code}: {response.text[:200]}")
        try:
            return set(response.json()["taken"])
        except (ValueError, KeyError, TypeError) as exc:
            raise HandOverFailed(f"portal's answer unreadable: {exc}") from exc
    return hand_over
