"""Thai dictionary order (shared.collation.thai_key) against lists whose order is known."""
import random

from shared import geography
from shared.collation import thai_key

# The 76 provinces as the Ministry of Interior lists them in Thai alphabetical order.
PROVINCES_IN_ORDER = """กระบี่ กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร
เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ นนทบุรี นราธิวาส
น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา พะเยา พังงา พัทลุง พิจิตร
พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด ระนอง ระยอง ราชบุรี
ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี
สุโขทัย สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง อำนาจเจริญ อุดรธานี อุตรดิตถ์ อุทัยธานี
อุบลราชธานี""".split()

# Dictionary entries under ก in the Royal Institute's order: consonants before vowels, leading vowels
# after the others, tone marks only after the letters.
WORDS_IN_ORDER = ["ก", "กก", "กง", "กร", "กะ", "กัก", "กา", "ก่า", "ก้า", "กาก", "กำ", "กิ", "กี", "กุ", "กู",
                  "เก", "เก่ง", "เกลือ", "แก", "แก่", "โก", "ใกล้", "ไก่", "ข", "ขอ", "เขา", "คน"]


def shuffled(words):
    copy = list(words)
    random.Random(2569).shuffle(copy)
    return copy


def test_the_provinces_sort_in_the_ministrys_order():
    assert sorted(shuffled(PROVINCES_IN_ORDER), key=thai_key) == PROVINCES_IN_ORDER
    assert sorted((p.name_th for p in geography.provinces()), key=thai_key) == PROVINCES_IN_ORDER


def test_dictionary_entries_keep_the_dictionarys_order():
    assert sorted(shuffled(WORDS_IN_ORDER), key=thai_key) == WORDS_IN_ORDER


def test_code_point_order_is_not_dictionary_order():
    """What the key corrects: plain sorting (SQLite's) files เชียงใหม่ under เ, after every ก … ฮ word."""
    assert sorted(["เชียงใหม่", "ตาก"]) == ["ตาก", "เชียงใหม่"]
    assert sorted(["เชียงใหม่", "ตาก"], key=thai_key) == ["เชียงใหม่", "ตาก"]


def test_latin_digits_and_empty_values_sort_without_error():
    assert sorted(["b", "A", "", None, "1", "ก"], key=thai_key) == ["", None, "1", "A", "b", "ก"]
