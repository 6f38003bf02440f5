"""ข่าวประชาสัมพันธ์: district news with provincial approval."""
from news.models import db
from shared.web import create_service_app, init_service


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "news", None, overrides)
    db.init_app(app)
    from news import views

    app.register_blueprint(views.bp)
    init_service(app, db)
    return app
