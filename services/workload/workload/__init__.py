"""Workload Tracking System: yearly rounds, the question catalog, district records, confirmation."""
import time

import click
from flask import request
from sqlalchemy.exc import SQLAlchemyError

from shared.errors import handle_http_error
from shared.openapi import Api
from shared.web import api_settings, create_service_app, current_user, init_service
from workload.domain import WorkloadError
from workload.models import db, outbox


def create_app(overrides: dict | None = None):
    from workload import config, directory_client, portal_client

    app = create_service_app(__name__, "workload", {**api_settings("workload", "Workload Tracking System"),
                                                     **config.settings()}, overrides)
    app.extensions["workload_directory"] = directory_client.client(app.config)
    app.extensions["workload_portal"] = portal_client.client(app.config)  # the cockpit's deliveries
    db.init_app(app)
    api = Api(app)
    from workload import (
        admin,
        cockpit_api,
        cockpit_views,
        evidence_api,
        evidence_views,
        export_api,
        export_views,
        views,
        workbook_api,
        workbook_views,
    )
    from workload import api as workload_api

    api.register_blueprint(workload_api.blp)
    api.register_blueprint(evidence_api.blp)
    api.register_blueprint(export_api.blp)
    api.register_blueprint(workbook_api.blp)
    api.register_blueprint(cockpit_api.blp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(evidence_views.bp)
    app.register_blueprint(export_views.bp)
    app.register_blueprint(workbook_views.bp)
    app.register_blueprint(cockpit_views.bp)
    init_service(app, db)
    app.before_request_funcs.setdefault(None, []).insert(0, workbook_api.request_limit)  # before the form is read
    outbox.init_app(app)  # flask --app workload relay

    @app.cli.command("load-demo")
    def load_demo():
        """Load the demo rounds and records when the database has no round yet."""
        from workload.demo import load_demo_rounds

        print(load_demo_rounds())

    @app.cli.command("remind")
    @click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="the day to remind for (default: today, Bangkok)")
    @click.option("--daily", is_flag=True, help="remind now, then again every 24 hours (make run)")
    def remind(today, daily: bool):
        """Emit the reminders due today: window opened, the countdown to who is behind (workload.reminders)."""
        from shared import thai
        from workload import reminders

        while True:
            wait = 24 * 3600
            try:
                print(reminders.remind(today.date() if today else thai.today()), flush=True)
            except SQLAlchemyError as exc:
                db.session.rollback()
                if not daily:
                    raise
                print(f"remind: database unavailable, trying again in 5 minutes: {exc}", flush=True)
                wait = 300
            if not daily:
                break
            time.sleep(wait)

    app.register_error_handler(WorkloadError, lambda error: handle_http_error(workload_api.problem_for(error)))

    from workload import permissions

    # Registered after init_service's identity loader, so the user is known here.
    # Not for a request no route takes: Flask answers it (404, or 405 with Allow) whoever asks.
    app.before_request(lambda: None if request.routing_exception else permissions.gate(current_user(),
                                                                                        request.endpoint))
    return app
