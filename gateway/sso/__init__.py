"""DLA-SSO, the center's own identity provider: login, tokens, sessions, nginx's auth_request target."""
from shared.auth import KeySet
from shared.openapi import Api
from shared.web import api_settings, create_service_app, init_service
from sso import config
from sso.keys import KeyRing, ensure_keys
from sso.models import db, outbox


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "sso", {**config.settings(), **api_settings("sso", "DLA-SSO")}, overrides)
    db.init_app(app)
    ensure_keys(app.config["SSO_KEY_DIR"])
    ring = app.extensions["sso_keys"] = KeyRing(app.config["SSO_KEY_DIR"])
    api = Api(app)
    from sso import account_views, admin_api, admin_views, cli, services, views
    from sso import api as sso_api

    api.register_blueprint(sso_api.blp)
    api.register_blueprint(admin_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    cli.register(app)
    outbox.init_app(app)  # flask --app sso relay
    # The SSO trusts its own keys (as its files say now), and knows its sessions.
    init_service(app, db, keys=KeySet(ring.jwks), sessions=services.live_session_id)
    return app
