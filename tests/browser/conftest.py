"""One headless Chromium (Debian's, driven by Playwright) for every browser test, and fresh pages."""
import shutil

import pytest
from playwright.sync_api import sync_playwright

# As root, without a sandbox; and no background traffic to hosts this machine cannot reach.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Chromium is missing: `make test` installs the Debian package chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, width: int, height: int):
    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, 1280, 900)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 390 px wide phone screen."""
    context, page = _new_page(browser, 390, 844)
    yield page
    context.close()
