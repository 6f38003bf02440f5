"""DLA-SSO, the center's own identity provider: login, tokens, sessions, nginx's auth_request target."""
from flask_smorest import Api

from shared.web import api_settings, create_service_app, init_service
from sso import config
from sso.keys import ensure_keys
from sso.models import db


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "sso", {**config.settings(), **api_settings("sso", "DLA-SSO")}, overrides)
    db.init_app(app)
    app.extensions["sso_signing_key"] = ensure_keys(app.config["SSO_KEY_DIR"])
    api = Api(app)
    from sso import api as sso_api, cli, views

    api.register_blueprint(sso_api.blp)
    app.register_blueprint(views.bp)
    cli.register(app)
    init_service(app, db)
    return app
