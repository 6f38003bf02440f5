"""The portal: home, toolkits, about, FAQ, and the central office's editing of them."""
from shared.web import create_service_app, init_service
from portal import news_client
from portal.models import db


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "portal", news_client.settings(), overrides)
    db.init_app(app)
    app.extensions["news"] = news_client.client(app.config)
    from portal import views

    app.register_blueprint(views.bp)
    init_service(app, db)
    return app
