"""ทะเบียน ทถอ.: the registry of district officers, synced from DLA Connect."""
import sys

import click

from directory import config
from directory.models import db
from shared.openapi import Api
from shared.web import api_settings, create_service_app, init_service


def create_app(overrides: dict | None = None):
    settings = {**api_settings("directory", "ทะเบียน ทถอ."), **config.settings()}
    app = create_service_app(__name__, "directory", settings, overrides)
    db.init_app(app)
    api = Api(app)
    from directory import admin, views
    from directory import api as directory_api

    api.register_blueprint(directory_api.blp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(views.bp)
    init_service(app, db)
    _register_commands(app)
    return app


def _register_commands(app) -> None:
    from directory.sync import SyncBusy, sync_with_settings

    def sync_once(started_by: str) -> None:
        try:
            run = sync_with_settings(app.config, "command", started_by)
        except SyncBusy:
            click.echo("another sync is running; skipped")
            return
        click.echo(f"sync {run.id}: {run.status} fetched={run.fetched} added={run.added} changed={run.changed} "
                   f"removed={run.removed} rejected={run.rejected}"
                   + (f" error={run.error_code} {run.error_detail}" if run.error_code else ""))
        if run.status != "succeeded":
            sys.exit(1)

    @app.cli.command("sync")
    @click.option("--by", default="scheduler", help="who started it, for the sync log")
    def sync_command(by):
        """Sync the registry from DLA Connect once (the scheduler's command); exit 1 when it failed."""
        sync_once(by)

    @app.cli.command("load-demo")
    def load_demo():
        """First sync of a fresh installation (make run); nothing when a sync has already succeeded."""
        from directory.registry import last_sync

        if last_sync() is None:
            sync_once("demo-load")
        else:
            click.echo("registry already synced")
