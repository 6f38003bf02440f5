"""Every page works under the Content-Security-Policy nginx sends: Chromium reports no violation (no inline
script, no foreign origin) on the public pages, the login, a district's record and the charts of evidence."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/api/", "/news/", "/directory/", "/toolkits/", "/faq/", "/about/", "/sso/login", "/sso/admins"]
SIGNED_IN = ["/workload/2569/districts/8101/", "/workload/2568/evidence/", "/workload/2568/evidence/compare",
             "/workload/2568/provinces/81/", "/news/manage/"]


def violations(page) -> list[str]:
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


def sign_in(page, url, username):
    page.goto(url + "/sso/login?next=/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill("demo-pass-2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(url + "/")


def test_the_api_page_lists_the_five_documents_and_reads_one_under_the_policy(stack, page):
    found = violations(page)
    page.goto(stack.url + "/api/")
    links = page.locator("ul.api-documents a[href$='openapi.json']")
    expect(links).to_have_count(5)
    expect(page.locator("#swagger-ui")).to_contain_text("/api/workload/rounds")  # rendered by Swagger UI
    page.goto(stack.url + "/api/?service=news")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/news/items")
    assert found == []


def test_no_page_breaks_the_content_security_policy(stack, page):
    found = violations(page)
    for path in PUBLIC:
        response = page.goto(stack.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.classList.contains('js')")  # early.js ran, from its file
    sign_in(page, stack.url, "demo-central")
    for path in SIGNED_IN:
        page.goto(stack.url + path)
        page.wait_for_load_state("networkidle")
    assert found == []
