"""ทะเบียน ทถอ.: the registry of district officers, synced from DLA Connect."""
from flask_smorest import Api

from directory.models import db
from shared.web import api_settings, create_service_app, init_service


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "directory", api_settings("directory", "ทะเบียน ทถอ."), overrides)
    db.init_app(app)
    api = Api(app)
    from directory import api as directory_api, views

    api.register_blueprint(directory_api.blp)
    app.register_blueprint(views.bp)
    init_service(app, db)
    return app
