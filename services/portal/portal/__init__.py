"""The portal: home, toolkits, about, FAQ, and the central office's editing of them."""
from shared.web import create_service_app, init_service
from portal.models import db


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "portal", None, overrides)
    db.init_app(app)
    from portal import views

    app.register_blueprint(views.bp)
    init_service(app, db)
    return app
