"""Identifier formats (``codes.identifiers``): known valid numbers, single-digit errors, and messages that
name the expected check digit but never the number.

Where the valid numbers come from:
* 個人番号: no real number may be published; 123456789018 is the catalog's worked sequence number
  (CD 8, worked by hand in tests/codes/test_checkdigits.py). Others here are computed by the rule of
  平成26年総務省令第85号 第5条 and cross-checked by hand where noted.
* 法人番号: 国税庁 法人番号公表サイト — 7000012050002 国税庁, 1180301018771 トヨタ自動車株式会社;
  8000020130001 東京都 and 8000020131016 千代田区 (地方公共団体: CD + 0000 + 2 + 0 + 団体コード).
* 団体コード: JIS X 0402 / 総務省 全国地方公共団体コード — 131016 千代田区, 130001 東京都, 011002 札幌市.
* 保険者番号: 協会けんぽ 支部 (printed on its members' cards and listed by 協会けんぽ) — 01010016 北海道,
  01130012 東京, 01140011 神奈川, 01270016 大阪. 国保 (6 digits): no real 国保 number was read in a
  source during this work; 992016 is the catalog's fictitious みどり野市, computed by the same rule.
* 後期高齢者 被保険者番号: personal numbers, none published; computed by the rule.
* コンビニ収納 barcode: the catalog's sample codes (their CDs worked by hand in test_checkdigits.py).
"""

from __future__ import annotations

import pytest

from lgforms.codes import compute_insurer_cd, is_valid_insurer_number, is_valid_kouki_insured_number
from lgforms.codes.identifiers import IDENTIFIER_FORMATS, check_identifier
from lgforms.errors import ValueInvalid

VALID = {
    "kojin-bango": ["123456789018", "123456789050", "000000000000", "000000000019"],
    "hojin-bango": ["7000012050002", "1180301018771", "8000020130001", "8000020131016", "7000020992011"],
    "dantai-code": ["131016", "130001", "011002", "281000", "992011"],
    "hokensha-bango": ["01010016", "01130012", "01140011", "01270016", "992016"],
    "kouki-hihokensha-bango": ["12345674", "00000000", "10000008"],
    "cvs-barcode": ["91912345010800001234560100000026063000641007",
                    "91912345010800001234560200000026083100628004",
                    "91912345010800001234560300000026110200628005",
                    "91912345010800001234560400000027020100628006"],
}
# where the check digit is: (position from 1, number length)
CD_AT = {"kojin-bango": 12, "hojin-bango": 1, "dantai-code": 6, "hokensha-bango": -1,
         "kouki-hihokensha-bango": 8, "cvs-barcode": 44}


def cd_index(fmt: str, value: str) -> int:
    p = CD_AT[fmt]
    return len(value) - 1 if p == -1 else p - 1


def test_every_format_has_valid_examples() -> None:
    assert set(VALID) == set(IDENTIFIER_FORMATS)


@pytest.mark.parametrize(("fmt", "value"), [(f, v) for f, vs in VALID.items() for v in vs])
def test_known_valid_numbers_pass(fmt: str, value: str) -> None:
    check_identifier(fmt, value)


@pytest.mark.parametrize(("fmt", "value"), [(f, vs[0]) for f, vs in VALID.items()])
def test_wrong_check_digit_names_position_and_expected_digit_not_the_value(fmt: str, value: str) -> None:
    i = cd_index(fmt, value)
    wrong = str((int(value[i]) + 1) % 10)
    bad = value[:i] + wrong + value[i + 1:]
    with pytest.raises(ValueInvalid) as ei:
        check_identifier(fmt, bad)
    e = ei.value
    assert f"expected {value[i]}" in e.message and f"digit {i + 1} of {len(value)}" in e.message
    assert e.detail == {"position": i + 1, "expected": int(value[i])}
    assert bad not in e.message and bad not in str(e.detail)
    assert value[:8] not in e.message  # not even a prefix of the number


@pytest.mark.parametrize("value", ["01130012", "992016", "12345674"])
def test_insurer_cd_catches_every_single_digit_error(value: str) -> None:
    # digit sums of 2·d cover 0..9 once each, so the 2/1 scheme sees every single substitution
    for i in range(len(value)):
        for d in "0123456789":
            if d != value[i]:
                v = value[:i] + d + value[i + 1:]
                assert compute_insurer_cd(v[:-1]) != int(v[-1]), v


def test_insurer_cd_blind_spot_09_transposition() -> None:
    # the one adjacent transposition the scheme cannot see: 0 9 <-> 9 0
    base = "3909001"
    swapped = "3990001"
    assert compute_insurer_cd(base) == compute_insurer_cd(swapped)


def test_insurer_cd_by_hand() -> None:
    # 0113001 from the right: 1·2=2, 0·1, 0·2, 3·1=3, 1·2=2, 1·1=1, 0·2 -> 8 -> 10-8 = 2 (協会けんぽ 東京 01130012)
    assert compute_insurer_cd("0113001") == 2
    # 99201: 1·2=2, 0, 2·2=4, 9·1=9, 9·2=18 -> 1+8=9 -> 24 -> 6 (fictitious 国保 992016)
    assert compute_insurer_cd("99201") == 6
    # 1234567: 7·2=14 -> 5, 6, 5·2=10 -> 1, 4, 3·2=6, 2, 1·2=2 -> 26 -> 4 (後期高齢 12345674)
    assert compute_insurer_cd("1234567") == 4
    assert compute_insurer_cd("0000000") == 0


def test_insurer_number_lengths() -> None:
    assert is_valid_insurer_number("01130012") and is_valid_insurer_number("992016")
    with pytest.raises(ValueInvalid, match="6 \\(国保\\) or 8 digits"):
        is_valid_insurer_number("1130012")
    with pytest.raises(ValueInvalid):
        is_valid_kouki_insured_number("992016")


@pytest.mark.parametrize(("fmt", "value", "why"), [
    ("kojin-bango", "12345678901", "must be 12 digits, got 11"),
    ("kojin-bango", "1234 5678 9018", "ASCII digits"),
    ("kojin-bango", "１２３４５６７８９０１８", "ASCII digits"),
    ("hojin-bango", "700001205000", "must be 13 digits"),
    ("dantai-code", "13101", "must be 6 digits"),  # 団体コード with the 検査数字 dropped
    ("hokensha-bango", "1130012", "must be 6 or 8 digits"),  # leading 0 of 法別番号 01 lost
    ("kouki-hihokensha-bango", "1234567", "must be 8 digits"),
    ("cvs-barcode", "9" * 43, "must be 44 digits"),
    ("cvs-barcode", "92" + "9" * 42, "AI 91"),
    ("cvs-barcode", "91912345010800001234560100000026023000641001", "支払期限日"),  # 2026-02-30
])
def test_wrong_shape(fmt: str, value: str, why: str) -> None:
    with pytest.raises(ValueInvalid, match=why) as ei:
        check_identifier(fmt, value)
    assert value not in ei.value.message


def test_cvs_due_date_is_checked_as_yymmdd() -> None:
    code = "91912345010800001234560100000026063000641007"
    assert code[30:36] == "260630"
    leap = code[:30] + "280229" + code[36:43]  # 2028-02-29 exists
    from lgforms.codes import compute_cvs_barcode_cd

    check_identifier("cvs-barcode", leap + str(compute_cvs_barcode_cd(leap)))
    no_leap = code[:30] + "270229" + code[36:43]
    with pytest.raises(ValueInvalid, match="31–36"):
        check_identifier("cvs-barcode", no_leap + str(compute_cvs_barcode_cd(no_leap)))
