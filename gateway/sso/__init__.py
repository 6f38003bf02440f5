"""DLA-SSO, the center's own identity provider: login, tokens, sessions, nginx's auth_request target."""
from flask_smorest import Api

from shared.auth import KeySet
from shared.web import api_settings, create_service_app, init_service
from sso import config
from sso.keys import ensure_keys, jwks_document
from sso.models import db


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "sso", {**config.settings(), **api_settings("sso", "DLA-SSO")}, overrides)
    db.init_app(app)
    signing_key, kid = app.extensions["sso_signing_key"] = ensure_keys(app.config["SSO_KEY_DIR"])
    api = Api(app)
    from sso import account_views, admin_api, admin_views, api as sso_api, cli, services, views

    api.register_blueprint(sso_api.blp)
    api.register_blueprint(admin_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    cli.register(app)
    # The SSO trusts its own key, and knows its sessions.
    init_service(app, db, keys=KeySet(jwks_document(signing_key, kid)), sessions=services.live_session_id)
    return app
