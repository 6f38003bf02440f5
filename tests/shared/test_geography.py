from shared import geography


def test_seventy_six_provinces_without_bangkok():
    codes = [p.code for p in geography.provinces()]
    assert len(codes) == 76
    assert "10" not in codes
    assert codes == sorted(codes)


def test_eight_hundred_seventy_eight_districts():
    districts = geography.districts()
    assert len(districts) == 878
    assert len({d.code for d in districts}) == 878
    assert all(d.province_code != "10" for d in districts)


def test_lookups_by_dopa_code():
    assert geography.district("3001").name_th == "เมืองนครราชสีมา"
    assert geography.province("81").name_th == "กระบี่"
    assert [d.name_th for d in geography.districts("81")][:2] == ["เมืองกระบี่", "เขาพนม"]
    assert geography.district("1001") is None  # a Bangkok khet is not a district office here
    assert geography.province("10") is None
    assert geography.districts("10") == ()


def test_office_names():
    assert geography.district_office_name("8101") == "ท้องถิ่นอำเภอเมืองกระบี่"
    assert geography.province_office_name("81") == "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดกระบี่"
