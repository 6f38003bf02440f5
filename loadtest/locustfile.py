"""The season's deadline day, written from the manual: districts filling in their record, provinces confirming,
the central office watching and the public reading. Run by loadtest/run.py; every figure comes from the
environment (loadtest.settings), so that the smoke test runs the very same scenario, smaller and faster.

Every user signs in through the real login form (its login_csrf) and submits the pages' own forms (their
csrf_token and version), each from its own client address in X-Forwarded-For, which the load test's gateway
trusts from 127.0.0.1 as it trusts the ingress in production: the login limit sees 964 clients, not one.
"""
import ipaddress
import itertools
import random
import time

from locust import HttpUser, LoadTestShape, events, task
from locust.exception import RescheduleTask

from loadtest import names, settings
from loadtest.forms import form_with, forms
from loadtest.steps import StepRecorder
from shared import geography

CONFIG = settings.from_environment()
YEAR = CONFIG.year
DISTRICTS = [d.code for d in geography.districts()]
PROVINCES = [p.code for p in geography.provinces()]
# The demo's กระบี่ is signed in as its named demo users (README "Demo logins"): d-8101 and p-81 do not exist.
DEMO_NAMES = {"d-8101": "demo-district", "p-81": "demo-province"}
PASSWORD = "demo-pass-2568"
FIRST_ADDRESS = ipaddress.ip_address("10.20.0.1")
_addresses = itertools.count()


def think(span: tuple[float, float]) -> None:
    time.sleep(random.uniform(*span))


class Visitor(HttpUser):
    """One person at one browser: its own cookies, its own client address."""
    abstract = True
    wait_time = staticmethod(lambda: 0)  # each task thinks between its own steps
    username = ""  # set by on_start of the users that sign in

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = str(FIRST_ADDRESS + next(_addresses))
        self.signed_in = False

    def fetch(self, method: str, path: str, name: str, expect: int = 200, where: str = "", **kwargs):
        """One request, a failure unless it answers `expect` (and, for a redirect, goes `where`)."""
        with self.client.request(method, path, name=name, allow_redirects=False, catch_response=True,
                                 **kwargs) as response:
            location = response.headers.get("Location", "")
            if response.status_code != expect or where not in location:
                response.failure(f"{response.status_code} {location} {response.text[:200]!r}")
                think(CONFIG.think)  # a person reads the error before trying again
                raise RescheduleTask()
            return response

    def sign_in(self, landing: str) -> None:
        """The login form, then the entry page, which sends each role to its own landing page."""
        form = form_with(self.fetch("GET", "/sso/login", names.LOGIN).text, "login_csrf", "/sso/login")
        think((1, 3))  # typing the user name and the password
        data = dict(form.fields) | {"username": DEMO_NAMES.get(self.username, self.username),
                                    "password": PASSWORD, "next": "/workload/"}
        self.fetch("POST", "/sso/login", names.LOGIN, 302, "/workload/", data=data)
        self.fetch("GET", "/workload/", names.ENTRY, 302, landing)
        self.signed_in = True

    def submit(self, page: str, field: str, path: str, name: str, where: str, changes: dict | None = None):
        """Submit the page's form that has `field`, as the browser would, with `changes` typed in."""
        form = form_with(page, field, path)
        data = [(key, value) for key, value in form.fields if key not in (changes or {})]
        data += list((changes or {}).items())
        return self.fetch("POST", form.action, name, 302, where, data=data)


class District(Visitor):
    """A district office: its record, aspect by aspect, with its status page between saves. A share of
    them finish (contact and all eight aspects complete) and from then on only read, so that no save
    ever meets the province's confirmation; the others revise aspects 1–7 all day."""
    weight = fixed_count = CONFIG.districts

    def on_start(self):
        super().on_start()
        index = next(_districts)
        self.district = DISTRICTS[index % len(DISTRICTS)]
        # Several officers of one office (only in the step test, beyond 878 users) never save the same aspect.
        officer = index // len(DISTRICTS)
        self.username = f"d-{self.district}"
        own = [n for n in range(1, 8) if (n - 1) % CONFIG.officers == officer % CONFIG.officers]
        finishes = officer == 0 and random.random() < CONFIG.finish_share
        revisions = [random.choice(own) for _ in range(random.randint(*CONFIG.revisions))]
        plan = (["contact"] if officer == 0 else []) + own + revisions + ([8] if finishes else [])
        self.plan = iter(plan) if finishes else itertools.chain(plan, (random.choice(own) for _ in itertools.count()))
        self.record = f"/workload/{YEAR}/districts/{self.district}"

    @task
    def work(self):
        if not self.signed_in:
            self.sign_in(self.record + "/")
            self.status_page()
            return
        item = next(self.plan, None)
        if item == "contact":
            self.save_contact()
        elif item is not None:
            self.save_aspect(item)
        else:  # finished: the record is read-only to this office from the confirmation on
            self.fetch("GET", f"{self.record}/aspects/{random.randint(1, 8)}", names.ASPECT)
            think(CONFIG.think)
        self.status_page()
        if random.random() < 0.25:
            self.fetch("GET", f"{self.record}/history", names.HISTORY)
            think(CONFIG.think)

    def status_page(self):
        self.fetch("GET", self.record + "/", names.STATUS)
        think(CONFIG.think)

    def save_aspect(self, number: int):
        path, name = f"{self.record}/aspects/{number}", names.ASPECT
        page = self.fetch("GET", path, name).text
        think(CONFIG.think)
        questions = {key[1:].split("_")[0] for key, _ in form_with(page, "version", path).fields if key.startswith("q")}
        answers = {}
        for question in questions:
            answers |= {f"q{question}_volume": str(random.randint(1, 60)),
                        f"q{question}_days": str(random.randint(0, 5)),
                        f"q{question}_hours": str(random.randint(0, 15) / 2)}
        self.submit(page, "version", path, name, f"{path}?saved=1", answers)
        self.fetch("GET", f"{path}?saved=1", name)
        think(CONFIG.think)

    def save_contact(self):
        """ข้อมูล ติดต่อ สถอ., offered from last year's record: checked and saved as it is."""
        path, name = f"{self.record}/contact", names.CONTACT
        page = self.fetch("GET", path, name).text
        think(CONFIG.think)
        self.submit(page, "version", path, name, f"{path}?saved=1")
        self.fetch("GET", f"{path}?saved=1", name)
        think(CONFIG.think)


class Province(Visitor):
    """A provincial office: its province's status page every 30–60 s, confirming each complete record."""
    weight = fixed_count = CONFIG.provinces

    def on_start(self):
        super().on_start()
        self.province = PROVINCES[next(_provinces) % len(PROVINCES)]
        self.username = f"p-{self.province}"
        self.page = f"/workload/{YEAR}/provinces/{self.province}/"

    @task
    def watch(self):
        if not self.signed_in:
            self.sign_in(self.page)
        name = names.PROVINCE
        page = self.fetch("GET", self.page, name).text
        for form in forms(page):
            if not form.action.endswith("/confirm"):
                continue
            think((2, 5))  # "ยังไม่ได้ยืนยันข้อมูล" → "ยืนยันการทำรายงาน" → "ตกลง"
            district = form.action.split("/")[-2]
            self.fetch("POST", form.action, names.CONFIRM, 302, f"done={district}",
                       data=form.fields)
            self.fetch("GET", f"{self.page}?done={district}", name)
        think(CONFIG.province_every)


class Central(Visitor):
    """The central office: the season at a glance and the nation's evidence."""
    weight = fixed_count = CONFIG.central
    username = "demo-central"

    @task
    def watch(self):
        if not self.signed_in:
            self.sign_in(f"/workload/{YEAR}/provinces/")
        self.fetch("GET", f"/workload/{YEAR}/provinces/", names.NATIONAL)
        think(CONFIG.think)
        self.fetch("GET", f"/workload/{YEAR}/evidence/nation", names.EVIDENCE)
        think(CONFIG.think)


class Public(Visitor):
    """Someone of the public, not signed in: the home page, the news, the registry."""
    weight = fixed_count = CONFIG.public

    @task
    def read(self):
        self.fetch("GET", "/", names.HOME)
        think(CONFIG.think)
        self.fetch("GET", "/news/", names.NEWS)
        think(CONFIG.think)
        self.fetch("GET", "/directory/", names.REGISTRY)
        think(CONFIG.think)
        self.fetch("GET", f"/directory/provinces/{random.choice(PROVINCES)}/", names.REGISTRY_PROVINCE)
        think(CONFIG.think)


_districts, _provinces = itertools.count(), itertools.count()

if CONFIG.step_users:
    # The step test grows every kind of user in the season's proportions (no loop variable left at module
    # level: Locust would take it for another user class).
    District.fixed_count = Province.fixed_count = Central.fixed_count = Public.fixed_count = 0
    RECORDER = StepRecorder(CONFIG)
    events.request.add_listener(RECORDER.add)

    class Steps(LoadTestShape):
        """+step_users every step_seconds up to step_max_seconds; ends after the first step whose p95 is
        over the step limit (1 s)."""

        def tick(self):
            elapsed = self.get_run_time()
            step = int(elapsed // CONFIG.step_seconds)
            if elapsed >= CONFIG.step_max_seconds or not RECORDER.at_step(step, (step + 1) * CONFIG.step_users):
                RECORDER.finish()
                return None
            return (step + 1) * CONFIG.step_users, CONFIG.spawn_rate
else:
    # The season: exactly one user per district and per province, as on the deadline day.
    assert CONFIG.districts <= len(DISTRICTS) and CONFIG.provinces <= len(PROVINCES)
