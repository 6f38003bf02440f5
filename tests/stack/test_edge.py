"""The edge a production deployment needs, through the real nginx: Thai errors from nginx itself, security
headers, TLS with a certificate, the client address only from trusted proxies, key rotation that logs nobody
out. Some tests start a gateway of their own in front of the shared stack's services, with other settings."""
import datetime
import ipaddress
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gateway import render
from tools.stack import VENV_BIN, free_port

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def another_gateway(stack, tmp_path, **settings):
    """One more nginx in front of the stack's services, rendered with `settings` on top of the stack's; its URL."""
    port = free_port()
    run_dir = tmp_path / f"nginx-{port}"
    run_dir.mkdir()
    env = {**stack.env, "GATEWAY_PORT": str(port), "GATEWAY_RUN_DIR": str(run_dir), "GATEWAY_ACCESS_LOG": "off",
           **settings}
    config = run_dir / "nginx.conf"
    config.write_text(render.render(env))
    log = run_dir / "error.log"
    with log.open("wb") as errors:
        nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(run_dir), "-c", str(config)],
                                 stderr=errors)
    certificate = settings.get("GATEWAY_TLS_CERTIFICATE")
    url = f"{'https' if certificate else 'http'}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(url + "/healthz", timeout=1, verify=certificate or True)
                break
            except requests.ConnectionError:
                assert nginx.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        yield url
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def thai_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert any("\u0e00" <= c <= "\u0e7f" for c in body["title"] + body["detail"])


def thai_page(response, status: int) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/html")
    assert "รหัสข้อผิดพลาด " + str(status) in response.text and 'lang="th"' in response.text


# --- nginx's own errors ----------------------------------------------------------------------------------

def test_a_body_over_nginxs_limit_is_a_thai_413(stack):
    body = b"x" * (26 * 1024 * 1024)
    thai_problem(requests.post(stack.url + "/api/workload/rounds", data=body, timeout=30,
                               headers={"Content-Type": "application/json"}), 413, "too_large")
    thai_page(requests.post(stack.url + "/news/manage/new", data=body, timeout=30), 413)


def test_too_many_login_attempts_are_a_thai_429(stack):
    # Without the form's own CSRF value: refused (400) before any password is checked, so nothing is counted.
    statuses = [stack.post("/sso/login", data={"username": "x", "password": "x"}) for _ in range(80)]
    page = next(r for r in statuses if r.status_code == 429)
    thai_page(page, 429)
    assert page.headers["Retry-After"] == "5"
    api = [stack.post("/api/sso/token", data=b"{", headers={"Content-Type": "application/json"}) for _ in range(80)]
    thai_problem(next(r for r in api if r.status_code == 429), 429, "rate_limited")
    time.sleep(3)  # let the bucket drain for whatever runs next


def test_a_service_that_is_down_is_a_thai_502_and_a_slow_one_a_thai_504(stack, tmp_path):
    stack.kill("directory")
    try:
        thai_page(stack.get("/directory/"), 502)
        thai_problem(stack.get("/api/directory/provinces"), 502, "upstream_unavailable")
    finally:
        stack.start("directory")
    assert stack.get("/directory/").status_code == 200
    with another_gateway(stack, tmp_path, GATEWAY_READ_TIMEOUT_SECONDS="2") as url:
        directory = stack.supervisor.select("directory.1")[0].process.pid
        os.killpg(directory, signal.SIGSTOP)  # it accepts connections and never answers
        try:
            thai_page(requests.get(url + "/directory/", timeout=10), 504)
            thai_problem(requests.get(url + "/api/directory/provinces", timeout=10), 504, "upstream_timeout")
        finally:
            os.killpg(directory, signal.SIGCONT)
        assert requests.get(url + "/directory/", timeout=10).status_code == 200


# --- Security headers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/news/", "/directory/", "/sso/login", "/static/css/site.css",
                                  "/api/portal/items", "/no-such-page", "/static/missing.css", "/static/",
                                  "/internal/verify"])
def test_every_answer_carries_the_security_headers(stack, path):
    response = stack.get(path)
    headers = response.headers
    assert headers["X-Request-ID"]
    if path.startswith(("/static/missing", "/internal/")) or path == "/static/":  # nginx's own answers, in Thai
        thai_page(response, 404)
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


# --- TLS and the client's address ------------------------------------------------------------------------

def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "gateway.crt", directory / "gateway.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_gateway_serves_tls_with_a_given_certificate_and_then_says_hsts(stack, tmp_path):
    cert, key = self_signed(tmp_path)
    with another_gateway(stack, tmp_path, GATEWAY_TLS_CERTIFICATE=str(cert),
                         GATEWAY_TLS_CERTIFICATE_KEY=str(key)) as url:
        home = requests.get(url + "/", verify=str(cert), timeout=10)
        assert home.status_code == 200 and "ศูนย์ประสานงานท้องถิ่นอำเภอ" in home.text
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        browser = requests.Session()
        form = browser.get(url + "/sso/login", timeout=10, verify=str(cert)).text
        login_csrf = form.split('name="login_csrf" value="')[1].split('"')[0]
        answer = browser.post(url + "/sso/login", allow_redirects=False, timeout=10, verify=str(cert), data={
            "username": "d-3007", "password": "demo-pass-2568", "next": "/", "login_csrf": login_csrf})
        assert answer.status_code == 302
        assert "Secure" in answer.headers["Set-Cookie"]  # the SSO saw HTTPS through nginx
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url + "/", timeout=10)  # no certificate the client trusts: no talk


def test_the_client_address_comes_only_from_trusted_proxies(stack, tmp_path):
    # The stack's gateways trust 127.0.0.1 (the tests stand in for the load balancer): each X-Forwarded-For is
    # its own client, with its own login bucket; a chain is read from the right, as far as proxies are trusted.
    spread = [stack.post("/sso/login", data={}, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
              for i in range(1, 61)]
    assert 429 not in spread
    # A gateway that trusts another address ignores what the client claims: one client, one bucket.
    with another_gateway(stack, tmp_path, GATEWAY_TRUSTED_PROXIES="10.9.9.9") as url:
        claimed = [requests.post(url + "/sso/login", data={}, timeout=10, allow_redirects=False,
                                 headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(1, 61)]
    assert 429 in claimed
    time.sleep(3)


# --- Key rotation ----------------------------------------------------------------------------------------

def test_a_key_rotation_logs_nobody_out(stack):
    old = stack.bearer("d-3008")
    old_kid = jwt.get_unverified_header(old["Authorization"][7:])["kid"]
    rotated = subprocess.run([str(VENV_BIN / "flask"), "--app", "sso", "rotate-keys"], env=stack.env, cwd=ROOT,
                             capture_output=True, text=True, check=True)
    new = stack.bearer("d-3008")
    new_kid = jwt.get_unverified_header(new["Authorization"][7:])["kid"]
    assert new_kid != old_kid and new_kid in rotated.stdout
    direct = stack.service_urls("workload")[0]
    for headers in (old, new):
        assert stack.get("/api/workload/me", headers=headers).status_code == 200
        assert requests.get(direct + "/api/workload/me", headers=headers, timeout=10).status_code == 200
