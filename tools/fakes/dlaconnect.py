"""A fake DLA Connect (contract: docs/dlaconnect.md) for make run, the tests and the benchmark.

It serves a generated registry of invented people, one record per district of all 878, the same
every time (seeded), and misbehaves on demand through its /_fake/ endpoints: slow pages, 5xx a
number of times, a broken page, malformed records, a duplicate id, removals and changes.

    gunicorn 'tools.fakes.dlaconnect:create_app()'      (what tools/stack.py runs; one process)
    python -m tools.fakes.dlaconnect 8095

Never part of a production image: deploy/python.Dockerfile copies services/ and shared/, not tools/.
"""
import math
import random
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from flask import Flask, Response, abort, jsonify, request

from shared import geography, testing
from shared.thai import BANGKOK

SEED = 2568
PATH = "/v1/district-officers"
MARK = "(ข้อมูลสมมติ)"
FIRST_NAMES = (("นาย", "สมชาย"), ("นาย", "ประเสริฐ"), ("นาง", "สุนีย์"), ("นางสาว", "วิไลวรรณ"), ("นาย", "ธนากร"),
               ("นาง", "พรทิพย์"), ("นาย", "วีระพงษ์"), ("นางสาว", "กัลยา"), ("นาย", "อนุชา"), ("นาง", "จันทร์เพ็ญ"),
               ("นาย", "ชัยวัฒน์"), ("นางสาว", "ปิยะนุช"), ("นาย", "สุรชัย"), ("นาง", "รัตนา"), ("นาย", "ณัฐพล"),
               ("นางสาว", "ศิริพร"), ("นาย", "กิตติศักดิ์"), ("นาง", "อรุณี"), ("นาย", "พงศกร"), ("นางสาว", "ดวงใจ"))
LAST_NAMES = ("ทดสอบดี", "ใจสมมติ", "ตัวอย่างยิ่ง", "มั่นคงทดลอง", "สาธิตงาม", "แสนสมมติ", "รุ่งทดสอบ", "ศรีตัวอย่าง",
              "บุญสาธิต", "ทองทดลอง", "พูลสมมติ", "วงศ์ตัวอย่าง", "แก้วทดสอบ", "จันทร์สาธิต", "สุขทดลอง")
POSITIONS = ("นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", "นักจัดการงานทั่วไปชำนาญการพิเศษ",
             "นักวิชาการส่งเสริมการปกครองท้องถิ่นชำนาญการพิเศษ", "นักวิชาการส่งเสริมการปกครองท้องถิ่นชำนาญการ")


def generate_registry(seed: int = SEED) -> list[dict]:
    """One record per district. Every 29th district's assignment has ended (vacant); the officer of
    the district before it in the same province covers it, except every 58th, which stays uncovered."""
    rng = random.Random(seed)
    districts = geography.districts()
    records: list[dict] = []
    for i, district in enumerate(districts):
        title, first = rng.choice(FIRST_NAMES)
        updated = datetime(2026, 10, 1, 9, 0, tzinfo=BANGKOK) + timedelta(minutes=rng.randrange(80_000))
        records.append({
            "id": f"DLA-{district.code}-01",
            "title": title, "first_name": first, "last_name": f"{rng.choice(LAST_NAMES)} {MARK}",
            "position": rng.choice(POSITIONS),
            "office_district_code": district.code,
            "assigned_district_codes": [district.code],
            "office_phone": f"0 {district.code[:2]}{rng.randrange(10, 99)} {rng.randrange(1000, 9999)}",
            "mobile_phone": f"08{rng.randrange(10)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            "office_email": f"lo{district.code}@dla-connect.example",
            "personal_email": f"officer.{district.code}@mail.example",
            "photo_url": "{base}photos/" + f"DLA-{district.code}-01.svg" if i % 3 == 0 else None,
            "status": "active",
            "updated_at": updated.isoformat(),
        })
        if i % 29 == 7:
            records[-1]["status"] = "ended"
            previous = records[-2] if len(records) > 1 else None
            if i % 58 != 7 and previous and previous["office_district_code"][:2] == district.province_code:
                previous["assigned_district_codes"].append(district.code)
    return records


@dataclass
class Behaviour:
    """How the fake misbehaves; POST /_fake/behaviour with any of these as JSON."""
    slow_seconds: float = 0.0  # every page waits this long
    fail_times: int = 0  # the next N page requests answer fail_status
    fail_status: int = 500
    broken_page: int | None = None  # this page answers 200 with truncated JSON
    malformed: list[str] = field(default_factory=list)  # ids whose records break the contract
    duplicate: bool = False  # a record in the middle repeats the first record's id
    ended: list[str] = field(default_factory=list)  # ids whose assignment ends (status "ended")
    absent: list[str] = field(default_factory=list)  # ids left out of the list altogether
    changes: dict[str, dict] = field(default_factory=dict)  # id → fields to overwrite


def create_app(seed: int = SEED, token: str | None = None, public_url: str | None = None) -> Flask:
    """`public_url`: where browsers find the photos, when the fake serving this sync is not the one
    that keeps running (the demo load in tools/stack.py); by default the address it was asked at."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    base_records = generate_registry(seed)
    state = {"behaviour": Behaviour(), "page_requests": 0}
    lock = threading.Lock()

    def current_records(behaviour: Behaviour, base: str) -> list[dict]:
        records = []
        for original in base_records:
            record = {**original, "assigned_district_codes": list(original["assigned_district_codes"])}
            if record["id"] in behaviour.absent:
                continue
            if record["photo_url"]:
                record["photo_url"] = record["photo_url"].format(base=base)
            if record["id"] in behaviour.ended:
                record["status"] = "ended"
            record.update(behaviour.changes.get(record["id"], {}))
            if record["id"] in behaviour.malformed:
                record.update(office_district_code="0000", office_email="ไม่ใช่อีเมล")
            records.append(record)
        if behaviour.duplicate and len(records) > 2:
            records[len(records) // 2] = {**records[len(records) // 2], "id": records[0]["id"]}
        return records

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": "fake-dlaconnect"}

    @app.get(PATH)
    def officers():
        if token and request.headers.get("Authorization") != f"Bearer {token}":
            abort(401)
        try:
            page = int(request.args.get("page", "1"))
            per_page = min(500, max(1, int(request.args.get("per_page", "100"))))
        except ValueError:
            abort(400)
        with lock:
            state["page_requests"] += 1
            behaviour = state["behaviour"]
            failing = behaviour.fail_times > 0
            if failing:
                behaviour.fail_times -= 1
        if behaviour.slow_seconds:
            time.sleep(behaviour.slow_seconds)
        if failing:
            return Response('{"error": "fake failure"}', status=behaviour.fail_status, mimetype="application/json")
        if behaviour.broken_page == page:
            return Response('{"data": [{"id": "DLA-', status=200, mimetype="application/json")
        records = current_records(behaviour, public_url.rstrip("/") + "/" if public_url else request.host_url)
        total = len(records)
        return jsonify({"data": records[(page - 1) * per_page: page * per_page],
                        "meta": {"page": page, "per_page": per_page, "total": total,
                                 "total_pages": max(1, math.ceil(total / per_page))}})

    @app.get("/photos/<dla_id>.svg")
    def photo(dla_id):
        initials = dla_id[-7:-3]
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="150"><rect width="120" height="150" '
               f'fill="#d5dbe3"/><circle cx="60" cy="55" r="28" fill="#8a97a8"/><rect x="22" y="92" width="76" '
               f'height="58" rx="30" fill="#8a97a8"/><text x="60" y="144" font-size="12" text-anchor="middle">'
               f'{initials}</text></svg>')
        return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.route("/_fake/behaviour", methods=["GET", "POST"])
    def behaviour():
        with lock:
            if request.method == "POST":
                state["behaviour"] = Behaviour(**{**asdict(state["behaviour"]), **(request.get_json() or {})})
            return asdict(state["behaviour"])

    @app.post("/_fake/reset")
    def reset():
        with lock:
            state.update(behaviour=Behaviour(), page_requests=0)
        return asdict(state["behaviour"])

    @app.get("/_fake/stats")
    def stats():
        return {"page_requests": state["page_requests"], "records": len(base_records)}

    return app


@contextmanager
def serving(app: Flask | None = None, port: int = 0):
    """Serve the fake from a thread of this process: (base URL, app). For tests and the demo load."""
    app = app or create_app()
    with testing.serving(app, port) as url:
        yield url, app


if __name__ == "__main__":
    create_app().run("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8095, threaded=True)
