"""Evidence through the gateway: the district's FTE set against the officers the registry lists."""
import re

import pytest

pytestmark = pytest.mark.stack


def test_fte_per_officer_comes_from_the_registry(stack):
    registry = stack.get("/api/directory/provinces/81").json()
    listed = {d["code"]: len(d["officers"]) for d in registry["districts"]}
    headers = stack.bearer("demo-district")
    page = stack.get("/workload/2568/evidence/districts/8101?basis=all", headers=headers).text
    officers = re.search(r'data-figure="officers">([^<]*)<', page).group(1)
    if listed["8101"]:
        assert officers.startswith(f"{listed['8101']} คน · FTE ต่อคน")
    else:
        assert officers == "ไม่มี ผอ.กง.ทอ. ในทะเบียน"
    province = stack.get("/workload/2568/evidence/provinces/81", headers=stack.bearer("demo-province")).text
    assert "ทะเบียน ทถอ. ไม่ตอบ" not in province and 'data-district="8108"' in province


def test_the_evidence_csv_travels_compressed_to_browsers_that_ask(stack):
    headers = {**stack.bearer("demo-province"), "Accept-Encoding": "gzip"}
    response = stack.get("/api/workload/rounds/2568/exports/evidence.csv?province=81&basis=all", headers=headers)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    text = response.content.decode("utf-8")  # requests has undone the gzip
    assert text.startswith("\ufeff") and "8101" in text
