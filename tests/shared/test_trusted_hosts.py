"""DCC_TRUSTED_HOSTS: a Host the site does not answer to is refused, so no absolute link carries it."""
import portal


def test_an_unknown_host_is_refused_when_the_site_names_its_hosts(monkeypatch, tmp_path):
    monkeypatch.setenv("DCC_TRUSTED_HOSTS", "dcc.example.go.th, news")
    app = portal.create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3", "TESTING": True})
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"X-Forwarded-Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "dcc.example.go.th"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "news:8000"}).status_code == 200


def test_every_host_is_accepted_on_a_laptop(tmp_path):
    app = portal.create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3", "TESTING": True})
    assert app.test_client().get("/healthz", headers={"Host": "anything.local"}).status_code == 200
