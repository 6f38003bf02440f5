"""A workbook that another program has saved: the download edited with openpyxl, re-saved by LibreOffice Calc
(headless, `make test` installs it), uploaded; and the download saved by LibreOffice unchanged is no change."""
import shutil
import subprocess

from tests.workload.test_workbook import download, edited, fill, upload


def through_libreoffice(data: bytes, tmp_path) -> bytes:
    """The file as LibreOffice writes it: opened and saved again as .xlsx (its own XML, styles, shared strings)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is missing: `make libreoffice` installs it"
    source, out = tmp_path / "in" / "record.xlsx", tmp_path / "out"
    source.parent.mkdir()
    source.write_bytes(data)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    converted = (out / "record.xlsx").read_bytes()
    assert converted != data
    return converted


def test_a_file_saved_by_libreoffice_reads_back(client, as_user, tmp_path):
    headers = as_user("district", "8101")

    def edit(workbook):
        fill(workbook["ด้านที่ 2"], 3, 4, 1, 1.5)
        workbook["ข้อมูลเฉพาะ สถอ."]["B3"] = "=ไม่ใช่สูตร"
        workbook["ข้อมูลเฉพาะ สถอ."]["B3"].data_type = "s"
        for column, value in zip("CDEF", ("เรื่อง", 2, 0, 3)):
            workbook["ข้อมูลเฉพาะ สถอ."][f"{column}3"] = value

    data = through_libreoffice(edited(download(client, headers, "8101"), edit), tmp_path)
    response = upload(client, headers, "8101", data)
    assert response.status_code == 201, response.json
    assert response.json["errors"] == []
    changes = response.json["changes"]
    assert [(a["number"], [c["new"] for c in a["answers"]]) for a in changes["aspects"]] == [
        (2, [{"volume": 4, "days": 1, "hours": 1.5}])]
    assert [r["detail"] for r in changes["custom_rows"]["added"]] == ["=ไม่ใช่สูตร"]


def test_the_unchanged_download_saved_by_libreoffice_is_no_change(client, as_user, tmp_path):
    headers = as_user("district", "8102")
    response = upload(client, headers, "8102", through_libreoffice(download(client, headers, "8102"), tmp_path))
    assert response.status_code == 201, response.json
    assert response.json["errors"] == [] and response.json["changes"]["summary"] == "ไม่มีการเปลี่ยนแปลง"
