"""lgforms.codes against written-out references (issue 17: the mutants that survived the earlier
tests). Every expected value here is a literal: error messages and details as the API documents
them (a stable, clear message is part of the contract), check digits worked by hand (the working
is in the comments) or published, 和暦 era boundaries from the 元号 proclamations.

Run by tools/mutation.sh (module "codes"); docs/testing.md lists the mutants explained as equivalent.
"""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest

from lgforms.errors import ValueInvalid

cd, idf, kj, mo, wa, zk = (importlib.import_module("lgforms.codes." + m)
                           for m in ("checkdigits", "identifiers", "kansuji", "money", "wareki", "zenkaku"))

ERRORS = [
    ('cd.compute_my_number_cd(12345678901)', '個人番号 base must be a string of digits, got int', {'type': 'int'}),
    ("cd.compute_my_number_cd('１２３')", '個人番号 base must contain ASCII digits 0-9 only', {'length': 3}),
    ("cd.compute_my_number_cd('123')", '個人番号 base must be 11 digits, got 3', {'expected': 11, 'length': 3}),
    ('cd.is_valid_my_number(123)', '個人番号 must be a string of digits, got int', {'type': 'int'}),
    ("cd.is_valid_my_number('12345678901')", '個人番号 must be 12 digits, got 11', {'expected': 12, 'length': 11}),
    ("cd.is_valid_my_number('1234567890１2')", '個人番号 must contain ASCII digits 0-9 only', {'length': 12}),
    ('cd.compute_corporate_number_cd(1)', '法人番号 base must be a string of digits, got int', {'type': 'int'}),
    ("cd.compute_corporate_number_cd('1')", '法人番号 base must be 12 digits, got 1', {'expected': 12, 'length': 1}),
    ("cd.is_valid_corporate_number('1')", '法人番号 must be 13 digits, got 1', {'expected': 13, 'length': 1}),
    ('cd.is_valid_corporate_number(1)', '法人番号 must be a string of digits, got int', {'type': 'int'}),
    ("cd.compute_lg_code_cd('1')", '団体コード base must be 5 digits, got 1', {'expected': 5, 'length': 1}),
    ('cd.compute_lg_code_cd(1)', '団体コード base must be a string of digits, got int', {'type': 'int'}),
    ("cd.is_valid_lg_code('1')", '団体コード must be 6 digits, got 1', {'expected': 6, 'length': 1}),
    ('cd.is_valid_lg_code(1)', '団体コード must be a string of digits, got int', {'type': 'int'}),
    ("cd.gs1_check_digit('')", 'GS1 data must contain ASCII digits 0-9 only', {'length': 0}),
    ('cd.gs1_check_digit(1)', 'GS1 data must be a string of digits, got int', {'type': 'int'}),
    ("cd.gs1_check_digit('1a')", 'GS1 data must contain ASCII digits 0-9 only', {'length': 2}),
    ("cd.compute_cvs_barcode_cd('1'*43)", 'CVS barcode data must start with the AI 91', {'ai': '11'}),
    ("cd.compute_cvs_barcode_cd('9'*42)", 'CVS barcode data must be 43 digits, got 42', {'expected': 43, 'length': 42}),
    ('cd.compute_cvs_barcode_cd(1)', 'CVS barcode data must be a string of digits, got int', {'type': 'int'}),
    ("cd.cvs_barcode_check('91'+'0'*41)", 'CVS barcode data must be 44 digits, got 43', {'expected': 44, 'length': 43}),
    ("cd.compute_insurer_cd('')", '保険者番号 base must contain ASCII digits 0-9 only', {'length': 0}),
    ('cd.compute_insurer_cd(1)', '保険者番号 base must be a string of digits, got int', {'type': 'int'}),
    ("cd.compute_insurer_cd('a')", '保険者番号 base must contain ASCII digits 0-9 only', {'length': 1}),
    ("cd.is_valid_insurer_number('1234')", '保険者番号 must be 6 (国保) or 8 digits, got 4', {'expected': [6, 8], 'length': 4}),
    ('cd.is_valid_insurer_number(1)', '保険者番号 must be a string of digits, got int', {'type': 'int'}),
    ("cd.is_valid_kouki_insured_number('1234567')", '後期高齢者 被保険者番号 must be 8 digits, got 7', {'expected': 8, 'length': 7}),
    ('cd.is_valid_kouki_insured_number(1)', '後期高齢者 被保険者番号 must be a string of digits, got int', {'type': 'int'}),
    ("cd.is_valid_kouki_insured_number('1234567a')", '後期高齢者 被保険者番号 must contain ASCII digits 0-9 only', {'length': 8}),
    ("idf.check_kojin_bango('12345678901')", '個人番号 must be 12 digits, got 11', {'expected_length': [12], 'length': 11}),
    ("idf.check_kojin_bango('1234-5678901')", '個人番号 must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 12}),
    ("idf.check_kojin_bango('123456789010')", '個人番号: check digit (digit 12 of 12) is 0, expected 8', {'position': 12, 'expected': 8}),
    ("idf.check_hojin_bango('123')", '法人番号 must be 13 digits, got 3', {'expected_length': [13], 'length': 3}),
    ("idf.check_hojin_bango('x')", '法人番号 must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 1}),
    ("idf.check_hojin_bango('0000000000000')", '法人番号: check digit (digit 1 of 13) is 0, expected 9', {'position': 1, 'expected': 9}),
    ("idf.check_dantai_code('12345')", '地方公共団体コード must be 6 digits, got 5', {'expected_length': [6], 'length': 5}),
    ("idf.check_dantai_code('1234a6')", '地方公共団体コード must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 6}),
    ("idf.check_dantai_code('131010')", '地方公共団体コード: check digit (digit 6 of 6) is 0, expected 6', {'position': 6, 'expected': 6}),
    ("idf.check_hokensha_bango('1234567')", '保険者番号 must be 6 or 8 digits, got 7', {'expected_length': [6, 8], 'length': 7}),
    ("idf.check_hokensha_bango('12345a')", '保険者番号 must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 6}),
    ("idf.check_hokensha_bango('123450')", '保険者番号 検証番号: check digit (digit 6 of 6) is 0, expected 5', {'position': 6, 'expected': 5}),
    ("idf.check_hokensha_bango('12345670')", '保険者番号 検証番号: check digit (digit 8 of 8) is 0, expected 4', {'position': 8, 'expected': 4}),
    ("idf.check_kouki_hihokensha_bango('1234567')", '後期高齢者医療 被保険者番号 must be 8 digits, got 7', {'expected_length': [8], 'length': 7}),
    ("idf.check_kouki_hihokensha_bango('1234567a')", '後期高齢者医療 被保険者番号 must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 8}),
    ("idf.check_kouki_hihokensha_bango('12345670')", '後期高齢者医療 被保険者番号 検証番号: check digit (digit 8 of 8) is 0, expected 4', {'position': 8, 'expected': 4}),
    ("idf.check_cvs_barcode('1')", 'コンビニ収納 barcode data must be 44 digits, got 1', {'expected_length': [44], 'length': 1}),
    ("idf.check_cvs_barcode('x'*44)", 'コンビニ収納 barcode data must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)', {'length': 44}),
    ("idf.check_cvs_barcode('8'*44)", 'コンビニ収納 barcode data must start with the AI 91', {'position': 1}),
    ("idf.check_cvs_barcode('91'+'0'*28+'260229'+'0'*8)", 'コンビニ収納 barcode data: digits 31–36 (支払期限日, YYMMDD) are not a date', {'position': 31}),
    ("idf.check_cvs_barcode('91'+'0'*28+'260228'+'0'*8)", 'コンビニ収納 barcode data: check digit (digit 44 of 44) is 0, expected 4', {'position': 44, 'expected': 4}),
    ('kj.kansuji(-1)', '漢数字 needs a non-negative integer, got -1', {'value': -1}),
    ('kj.kansuji(1.5)', '漢数字 needs a non-negative integer or a digit string, got float', {'type': 'float'}),
    ("kj.kansuji('12a')", "漢数字 needs a string of decimal digits, got '12a'", {'value': '12a'}),
    ("kj.kansuji(1, 'x')", "unknown 漢数字 style 'x' (use positional, digits or daiji)", {'style': 'x'}),
    ('kj.kansuji(10**20)', '100000000000000000000 is too large for 漢数字 (the largest unit written is 京)', {'value': 100000000000000000000}),
    ('kj.kansuji(True)', '漢数字 needs a non-negative integer or a digit string, got bool', {'type': 'bool'}),
    ('kj.parse_kansuji(1)', 'not a 漢数字 string: 1', {'value': '1'}),
    ("kj.parse_kansuji('')", "not a 漢数字 string: ''", {'value': "''"}),
    ("kj.parse_kansuji('一a')", "'一a' is not a 漢数字 number: unexpected character(s) U+0061", {'value': '一a', 'characters': 'U+0061'}),
    ("kj.parse_kansuji('〇十')", "'〇十' is not a well-formed 漢数字 number: 〇 cannot be mixed with units", {'value': '〇十'}),
    ("kj.parse_kansuji('十百')", "'十百' is not a well-formed 漢数字 number: units out of order", {'value': '十百'}),
    ("kj.parse_kansuji('万億')", "'万億' is not a well-formed 漢数字 number: 万 has no number before it", {'value': '万億'}),
    ("kj.parse_kansuji('一万二万')", "'一万二万' is not a well-formed 漢数字 number: units out of order", {'value': '一万二万'}),
    ("kj.parse_kansuji('万')", "'万' is not a well-formed 漢数字 number: 万 has no number before it", {'value': '万'}),
    ('mo.comma(True)', 'an amount of money must be an integer number of yen, got a bool', {'type': 'bool'}),
    ('mo.comma(1.5)', 'an amount of money must be an integer number of yen, got 1.5', {'value': '1.5'}),
    ("mo.comma(float('inf'))", 'an amount of money must be an integer number of yen, got inf', {'value': 'inf'}),
    ("mo.comma('1')", 'an amount of money must be an integer number of yen, got str', {'type': 'str'}),
    ('mo.comma(None)', 'an amount of money must be an integer number of yen, got NoneType', {'type': 'NoneType'}),
    ('mo.comma(2.0**53+2)', 'an amount of money must be an integer number of yen, got 9007199254740994.0', {'value': '9007199254740994.0'}),
    ('mo.yen(1.5)', 'an amount of money must be an integer number of yen, got 1.5', {'value': '1.5'}),
    ('wa.to_date(1)', 'a date must be a string or a date, got int', {'type': 'int'}),
    ("wa.to_date('2026-02-29')", "invalid date '2026-02-29': no such day (2026-02-29 does not exist)", {'value': '2026-02-29', 'reason': 'no such day (2026-02-29 does not exist)'}),
    ("wa.to_date('令和8年2月29日')", "invalid date '令和8年2月29日': no such day (2026-02-29 does not exist)", {'value': '令和8年2月29日', 'reason': 'no such day (2026-02-29 does not exist)'}),
    ("wa.to_date('明治5年1月1日')", "invalid date '明治5年1月1日': 明治5年 and earlier used the lunisolar calendar; a Gregorian date cannot be computed (Gregorian from 明治6年1月1日)", {'value': '明治5年1月1日', 'reason': '明治5年 and earlier used the lunisolar calendar; a Gregorian date cannot be computed (Gregorian from 明治6年1月1日)'}),
    ("wa.to_date('大正16年1月1日')", "invalid date '大正16年1月1日': outside 大正 (1912-07-30 to 1926-12-24); 1927-01-01 is 昭和2年1月1日", {'value': '大正16年1月1日', 'reason': 'outside 大正 (1912-07-30 to 1926-12-24); 1927-01-01 is 昭和2年1月1日'}),
    ("wa.to_date('平成31年5月1日')", "invalid date '平成31年5月1日': outside 平成 (1989-01-08 to 2019-04-30); 2019-05-01 is 令和元年5月1日", {'value': '平成31年5月1日', 'reason': 'outside 平成 (1989-01-08 to 2019-04-30); 2019-05-01 is 令和元年5月1日'}),
    ("wa.to_date('nonsense')", "invalid date 'nonsense': expected YYYY-MM-DD or a 和暦 date such as 令和8年11月24日", {'value': 'nonsense', 'reason': 'expected YYYY-MM-DD or a 和暦 date such as 令和8年11月24日'}),
    ("wa.to_date('R8.2.30')", "invalid date 'R8.2.30': no such day (2026-02-30 does not exist)", {'value': 'R8.2.30', 'reason': 'no such day (2026-02-30 does not exist)'}),
    ("wa.wareki('2026-01-01', 'x')", "unknown 和暦 format 'x' (use long, ym, year, era or short)", {'fmt': 'x'}),
    ("wa.wareki('2026-01-01', numerals='x')", "unknown numerals 'x' (use arabic, zenkaku or kansuji)", {'numerals': 'x'}),
    ("wa.wareki('1872-12-31')", "invalid date '1872-12-31': before 1873-01-01 Japan used the lunisolar calendar; a Gregorian date cannot be written in 和暦", {'value': '1872-12-31', 'reason': 'before 1873-01-01 Japan used the lunisolar calendar; a Gregorian date cannot be written in 和暦'}),
    ("wa.wareki('2026-01-01', 'short', 'kansuji')", 'the short 和暦 form (R8.11.24) cannot use kansuji numerals', {'fmt': 'short', 'numerals': 'kansuji'}),
    ("wa.seireki('2026-01-01', 'x')", "unknown 西暦 format 'x' (use long, iso or slash)", {'fmt': 'x'}),
    ("cd.corporate_number_of_lg('131010')", '団体コード has a wrong check digit', {'value': '131010'}),
    # the digit shown is the one found: the first of 13 (法人番号's check digit leads)
    ("idf.check_hojin_bango('1000000000000')", '法人番号: check digit (digit 1 of 13) is 1, expected 9', {'position': 1, 'expected': 9}),
    ("mo.comma(Decimal('1.5'))", 'an amount of money must be an integer number of yen, got 1.5', {'value': '1.5'}),
    ("mo.comma(Decimal('NaN'))", 'an amount of money must be an integer number of yen, got NaN', {'value': 'NaN'}),
    ("wa.to_date('令和1年4月30日')", "invalid date '令和1年4月30日': outside 令和 (from 2019-05-01); 2019-04-30 is 平成31年4月30日",
     {'value': '令和1年4月30日', 'reason': 'outside 令和 (from 2019-05-01); 2019-04-30 is 平成31年4月30日'}),
    ("wa.to_date('明治45年7月30日')", "invalid date '明治45年7月30日': outside 明治 (1873-01-01 to 1912-07-29); 1912-07-30 is 大正元年7月30日",
     {'value': '明治45年7月30日', 'reason': 'outside 明治 (1873-01-01 to 1912-07-29); 1912-07-30 is 大正元年7月30日'}),
]


@pytest.mark.parametrize("call, message, detail", ERRORS, ids=[c for c, _, _ in ERRORS])
def test_error_message_and_detail(call, message, detail):
    with pytest.raises(ValueInvalid) as e:
        eval(call)
    assert (e.value.message, e.value.detail) == (message, detail)


# 検証番号 of 保険者番号 and 後期高齢者医療 被保険者番号: from the right of the base, weights 2, 1, 2 …,
# the digits of each product summed; check digit = (10 - sum % 10) % 10.
#   1234567 → 7·2=14→5, 6, 5·2=10→1, 4, 3·2=6, 2, 1·2=2: 26 → 4
#   123456  → 6·2=12→3, 5, 4·2=8, 3, 2·2=4, 1: 24 → 6
#   12345   → 5·2=10→1, 4, 3·2=6, 2, 1·2=2: 15 → 5
#   0113001 → 1·2=2, 0, 0, 3, 1·2=2, 1, 0: 8 → 2  (01130012: 全国健康保険協会 東京支部, published)
@pytest.mark.parametrize("number, valid", [
    ("12345674", True), ("12345670", False), ("12345676", False), ("12345678", False), ("12345671", False),
])
def test_kouki_insured_number_check_digit(number, valid):
    assert cd.is_valid_kouki_insured_number(number) is valid


@pytest.mark.parametrize("number, valid", [
    ("01130012", True), ("01130013", False), ("123455", True), ("123450", False), ("12345674", True),
])
def test_insurer_number_check_digit(number, valid):
    assert cd.is_valid_insurer_number(number) is valid


def _gs1_cd(digits: str) -> int:
    """GS1 mod 10 (GS1 General Specifications 7.9.1): weights 3, 1, 3 … from the right."""
    s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(digits)))
    return (10 - s % 10) % 10


def _cvs(yymmdd: str) -> str:
    body = "91" + "912345" + "0" * 21 + "0" + yymmdd + "0" + "001000"
    assert len(body) == 43
    return body + str(_gs1_cd(body))


@pytest.mark.parametrize("yymmdd", ["120229", "261231", "270101", "280229"])
def test_cvs_due_date_valid(yymmdd):
    """支払期限日 YYMMDD is 20YY: 2012-02-29 and 2028-02-29 exist, and a December date is month 12."""
    idf.check_cvs_barcode(_cvs(yymmdd))


@pytest.mark.parametrize("yymmdd", ["260229", "261301", "260431", "250229"])
def test_cvs_due_date_invalid(yymmdd):
    with pytest.raises(ValueInvalid) as e:
        idf.check_cvs_barcode(_cvs(yymmdd))
    assert e.value.message == "コンビニ収納 barcode data: digits 31–36 (支払期限日, YYMMDD) are not a date"


def test_money_bounds():
    """Floats are accepted when they are whole and exact (≤ 2**53)."""
    assert mo.comma(2.0 ** 53) == "9,007,199,254,740,992"
    assert (mo.yen(-1234), mo.comma(-1234)) == ("△¥1,234", "△1,234")
    assert (mo.comma(Decimal("1000")), mo.yen(Decimal("-2500"))) == ("1,000", "△¥2,500")
    with pytest.raises(ValueInvalid):
        mo.comma(2.0 ** 53 + 2)


@pytest.mark.parametrize("n, style, text", [
    (10000, "positional", "一万"), (100000000, "positional", "一億"), (110000, "positional", "十一万"),
    (1000, "positional", "千"), (10, "positional", "十"), (10000, "daiji", "壱万"), (10, "daiji", "壱拾"),
    (11000, "daiji", "壱万壱千"), (1, "daiji", "壱"),
])
def test_kansuji_literals(n, style, text):
    assert kj.kansuji(n, style) == text


@pytest.mark.parametrize("text, n", [("一万", 10000), ("十一万", 110000), ("一億二千万", 120000000), ("千", 1000)])
def test_parse_kansuji_literals(text, n):
    assert kj.parse_kansuji(text) == n


def test_zenkaku_leaves_control_and_hangul_filler():
    """Only U+0020–U+007E (ASCII printable) and U+FF61–U+FF9F (half-width katakana) change."""
    assert zk.zenkaku("\x7f") == "\x7f"
    assert zk.zenkaku("\uffa0") == "\uffa0"
    assert zk.zenkaku("~ ｱ") == "～\u3000ア"


@pytest.mark.parametrize("iso, text", [
    ("2019-04-30", "平成31年4月30日"), ("2019-05-01", "令和元年5月1日"), ("1989-01-07", "昭和64年1月7日"),
    ("1989-01-08", "平成元年1月8日"), ("1926-12-24", "大正15年12月24日"), ("1926-12-25", "昭和元年12月25日"),
    ("1912-07-29", "明治45年7月29日"), ("1912-07-30", "大正元年7月30日"), ("1873-01-01", "明治6年1月1日"),
])
def test_wareki_era_boundaries(iso, text):
    assert wa.wareki(iso) == text
    assert wa.to_date(text) == datetime.date.fromisoformat(iso)
