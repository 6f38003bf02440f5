"""Which office a signed-in user speaks for, described from the reference geography."""
from shared import geography
from shared.auth import Identity


def office_of(user: Identity) -> dict:
    district = geography.district(user.district_code) if user.district_code else None
    province = geography.province(user.province_code) if user.province_code else None
    if user.has_role("district") and district:
        level, name = "district", geography.district_office_name(district.code)
    elif province:
        level, name = "province", geography.province_office_name(province.code)
    else:
        level, name = "central", "กรมส่งเสริมการปกครองท้องถิ่น (ส่วนกลาง)"
    return {
        "level": level,
        "name": name,
        "province": {"code": province.code, "name": province.name_th} if province else None,
        "district": {"code": district.code, "name": district.name_th} if district else None,
    }
