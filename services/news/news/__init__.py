"""ข่าวประชาสัมพันธ์: district news with provincial approval, published on the site and in feeds."""
from flask import current_app

from news import config
from news.domain import NewsError
from news.media import Limits, give_back_freed_images
from news.models import db, outbox
from news.services import Store
from shared import storage
from shared.errors import handle_http_error
from shared.openapi import Api
from shared.web import api_settings, create_service_app, init_service


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "news", {**api_settings("news", "ข่าวประชาสัมพันธ์"), **config.settings()},
                             overrides)
    db.init_app(app)
    api = Api(app)
    from news import api as news_api
    from news import feeds, views

    api.register_blueprint(news_api.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(feeds.bp)
    init_service(app, db)
    outbox.init_app(app)  # flask --app news relay
    give_back_freed_images()  # decoded images are tens of MB: each goes back to the system once done

    @app.cli.command("load-demo")
    def load_demo():
        """Load a few approved demo news items when there are none yet."""
        from news.demo import load_demo_news

        print(load_demo_news(store()))

    app.register_error_handler(NewsError, lambda error: handle_http_error(news_api.problem_for(error)))
    return app


def store() -> Store:
    """Where this app keeps uploads (made once per app: a bucket's client is slow to make), and their limits."""
    cfg = current_app.config
    if "news.store" not in current_app.extensions:
        current_app.extensions["news.store"] = Store(
            storage.from_settings("news", cfg),
            Limits(cfg["NEWS_MAX_IMAGE_BYTES"], cfg["NEWS_MAX_IMAGE_PIXELS"], cfg["NEWS_MAX_PDF_BYTES"]))
    return current_app.extensions["news.store"]
