"""The baseline: a bare Flask hello-world, served and proxied exactly like the services, without auth."""
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/bench/hello")
    def hello():
        return {"hello": "world"}

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
