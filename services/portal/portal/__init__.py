"""The portal: home, toolkits, Local MOOC, about, FAQ, and the central office's editing of them."""
from flask import current_app

from portal import config, directory_client, inbox, mail, news_client, recipients
from portal.attachments import Store
from portal.content import PortalError
from portal.models import db
from shared import storage
from shared.errors import handle_http_error
from shared.openapi import Api
from shared.web import api_settings, create_service_app, init_service


def create_app(overrides: dict | None = None):
    app = create_service_app(__name__, "portal", {**api_settings("portal", "ศูนย์ประสานงานท้องถิ่นอำเภอ: เนื้อหา"),
                                                   **config.settings()}, overrides)
    db.init_app(app)
    app.extensions["news"] = news_client.client(app.config)
    app.extensions["directory"] = directory_client.client(app.config)
    # Notifications: the recipients of an event are asked of the SSO; the bell counts here, in this database.
    app.extensions["portal_recipients"] = recipients.from_sso(app.config["SSO_INTERNAL_URL"],
                                                              app.config["DCC_SERVICE_SECRET"])
    app.extensions["dcc_unread"] = inbox.unread_count
    api = Api(app)
    from portal import api as portal_api
    from portal import deliveries, internal, manage, notification_views, notifications_api, views

    api.register_blueprint(portal_api.blp)
    api.register_blueprint(notifications_api.blp)
    app.register_blueprint(internal.bp)
    app.register_blueprint(deliveries.bp)  # the central office's cockpit (a workload page)
    app.register_blueprint(notification_views.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
    init_service(app, db)
    mail.init_app(app)  # flask --app portal send-mail
    app.register_error_handler(PortalError, lambda error: handle_http_error(portal_api.problem_for(error)))

    @app.cli.command("load-content")
    def load_content():
        """Load the starting content written from the user manual, when the portal has none yet."""
        from portal.loader import load_content as load

        print(load(store()))

    @app.cli.command("load-demo")
    def load_demo():
        """`make run`'s example items (marked ตัวอย่าง), into a portal holding only the starter content."""
        from portal.demo import load_demo as load

        print(load(store()))

    return app


def store() -> Store:
    """Where this app keeps attached PDFs (made once per app: a bucket's client is slow to make), and their limit."""
    if "portal.store" not in current_app.extensions:
        current_app.extensions["portal.store"] = Store(storage.from_settings("portal", current_app.config),
                                                       current_app.config["PORTAL_MAX_PDF_BYTES"])
    return current_app.extensions["portal.store"]
