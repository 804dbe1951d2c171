"""Identifier check digits and the CVS GS1-128 check digit.

Expected values were worked by hand; e.g. 個人番号 12345678901: digits from the right 1,0,9,8,7,6,5,4,3,2,1
times weights 2,3,4,5,6,7,2,3,4,5,6 = 212; 212 mod 11 = 3; CD = 11 - 3 = 8.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgforms.codes import (
    compute_corporate_number_cd,
    compute_cvs_barcode_cd,
    compute_lg_code_cd,
    compute_my_number_cd,
    corporate_number_of_lg,
    cvs_barcode_check,
    gs1_check_digit,
    is_valid_corporate_number,
    is_valid_lg_code,
    is_valid_my_number,
)
from lgforms.errors import ValueInvalid


def single_digit_variants(code: str) -> list[str]:
    """Every string that differs from ``code`` in exactly one digit."""
    return [code[:i] + d + code[i + 1:] for i, c in enumerate(code) for d in "0123456789" if d != c]


# --- 個人番号

def test_my_number_valid_example() -> None:
    assert compute_my_number_cd("12345678901") == 8
    assert is_valid_my_number("123456789018")


def test_my_number_every_single_digit_change_fails() -> None:
    # CD 8 corresponds to remainder 3 only, and every weight is nonzero mod 11, so every change is caught.
    variants = single_digit_variants("123456789018")
    assert len(variants) == 108
    assert [v for v in variants if is_valid_my_number(v)] == []


def test_my_number_remainder_0_and_1_share_cd_0() -> None:
    # 12345678905: weighted sum 220 = 20*11 -> remainder 0 -> CD 0.
    assert compute_my_number_cd("12345678905") == 0
    # 12345678900: the rightmost digit (weight 2) drops by 5 -> 210, remainder 1 -> also CD 0.
    assert compute_my_number_cd("12345678900") == 0
    assert is_valid_my_number("123456789050")
    assert is_valid_my_number("123456789000")  # one digit away and still valid: a limit of the algorithm


@pytest.mark.parametrize(("base", "cd"), [
    ("00000000000", 0),  # sum 0
    ("00000000001", 9),  # 1*2 = 2 -> 11-2
    ("10000000000", 5),  # P11 weight 6 -> 11-6
    ("00000000005", 1),  # 5*2 = 10 -> 11-10
])
def test_my_number_hand_cases(base: str, cd: int) -> None:
    assert compute_my_number_cd(base) == cd


# --- 法人番号

@pytest.mark.parametrize("number", ["8000020131016", "7000020992011"])
def test_corporate_number_valid(number: str) -> None:
    assert is_valid_corporate_number(number)


def test_corporate_number_hand_computed() -> None:
    # 000020131016 from the right: 6,1,0,1,3,1,0,2,... weights 1,2,1,2,... -> 6+2+0+2+3+2+0+4 = 19;
    # 19 mod 9 = 1; CD = 9 - 1 = 8.
    assert compute_corporate_number_cd("000020131016") == 8
    # 000020992011: 1+2+0+4+9+18+0+4 = 38; 38 mod 9 = 2; CD = 7.
    assert compute_corporate_number_cd("000020992011") == 7
    assert compute_corporate_number_cd("000000000000") == 9  # CD is 1..9, never 0


@pytest.mark.parametrize("number", ["8000020131016", "7000020992011"])
def test_corporate_number_single_digit_changes(number: str) -> None:
    # Weights 1 and 2 mod 9 cannot see 0 <-> 9: those variants stay valid; every other change fails.
    undetected = [v for v in single_digit_variants(number) if is_valid_corporate_number(v)]
    blind = [v for v in single_digit_variants(number)
             if any({a, b} == {"0", "9"} for a, b in zip(v[1:], number[1:]) if a != b)]
    assert undetected == blind
    assert len(blind) == number[1:].count("0") + number[1:].count("9")


def test_corporate_number_of_lg() -> None:
    assert corporate_number_of_lg("131016") == "8000020131016"
    assert corporate_number_of_lg("992011") == "7000020992011"
    with pytest.raises(ValueInvalid):
        corporate_number_of_lg("131017")


# --- 全国地方公共団体コード

@pytest.mark.parametrize(("code", "name"), [
    ("131016", "千代田区"), ("281000", "神戸市"), ("110001", "埼玉県"), ("011002", "札幌市"),
    ("130001", "東京都"), ("010006", "北海道"),
    ("992011", "みどり野市 (fictitious)"),
])
def test_lg_code_valid(code: str, name: str) -> None:
    assert is_valid_lg_code(code), name


def test_lg_code_hand_computed() -> None:
    assert compute_lg_code_cd("13101") == 6  # 6+15+4+0+2 = 27; 27 mod 11 = 5; 11-5 = 6
    assert compute_lg_code_cd("28100") == 0  # 12+40+4 = 56; mod 11 = 1; 11-1 = 10 -> 0
    assert compute_lg_code_cd("11000") == 1  # 6+5 = 11; mod 11 = 0; 11-0 = 11 -> 1
    assert compute_lg_code_cd("01100") == 2  # 5+4 = 9; 11-9 = 2
    assert compute_lg_code_cd("99201") == 1  # 54+45+8+0+2 = 109; mod 11 = 10; 11-10 = 1


@pytest.mark.parametrize("code", ["131016", "281000", "011002"])
def test_lg_code_every_single_digit_change_fails(code: str) -> None:
    assert [v for v in single_digit_variants(code) if is_valid_lg_code(v)] == []


@pytest.mark.parametrize(("code", "undetected"), [
    # Remainder 0 and remainder 10 both give CD 1, so moving the sum by ±10 mod 11 goes unseen.
    ("110001", ["130001", "118001", "110701", "110051"]),  # sum 11 (r 0) -> 21/43/32/21 (r 10)
    ("992011", ["092011", "972011", "995011", "992411", "992071"]),  # sum 109 (r 10) -> 55/99/121/121/132 (r 0)
])
def test_lg_code_cd_1_blind_spot(code: str, undetected: list[str]) -> None:
    assert [v for v in single_digit_variants(code) if is_valid_lg_code(v)] == undetected


# --- GS1 mod 10 (3/1)

@pytest.mark.parametrize(("data", "cd"), [
    ("491234567890", 4),  # JAN example: 3*(0+8+6+4+2+9) + (9+7+5+3+1+4) = 116 -> 4
    ("4912345", 6),  # JAN-8: 3*(5+3+1+4) + (4+2+9) = 54 -> 6
    ("0", 0),
    ("1", 7),  # 3 -> 7
    ("00000000000000000", 0),
])
def test_gs1_check_digit(data: str, cd: int) -> None:
    assert gs1_check_digit(data) == cd


def test_gs1_every_single_digit_change_fails() -> None:
    full = "4912345678904"
    for v in single_digit_variants(full):
        assert gs1_check_digit(v[:-1]) != int(v[-1]), v


# --- CVS GS1-128 (標準料金代理収納), catalog sample

# The four codes of the reference catalog's sample kojin_zeigaku_kettei_futsu (copied: no test reads
# outside the repository), with the CDs
# computed by hand both ways. Including "91", the AI adds 9*3 + 1*1 = 28 to the sum.
CVS_CODES = [
    ("91912345010800001234560100000026063000641007", 7, 5),
    ("91912345010800001234560200000026083100628004", 4, 2),
    ("91912345010800001234560300000026110200628005", 5, 3),
    ("91912345010800001234560400000027020100628006", 6, 4),
]


@pytest.mark.parametrize(("code", "with_ai", "without_ai"), CVS_CODES)
def test_cvs_sample_codes(code: str, with_ai: int, without_ai: int) -> None:
    assert len(code) == 44
    assert compute_cvs_barcode_cd(code[:43]) == with_ai
    assert compute_cvs_barcode_cd(code[:43], include_ai=False) == without_ai
    assert int(code[43]) == with_ai
    assert cvs_barcode_check(code)  # the samples follow the "include AI" reading
    assert not cvs_barcode_check(code, include_ai=False)


def test_cvs_first_sample_by_hand() -> None:
    # Read right to left, the 43 data digits at odd positions (weight 3) are
    # 0,1,6,0,3,0,2,0,0,0,0,5,3,1,0,0,0,0,4,2,9,9 (sum 45; the last 9 is the AI's "9"),
    # and at even positions (weight 1) 0,4,0,0,6,6,0,0,0,1,6,4,2,0,0,8,1,5,3,1,1 (sum 48; the last 1 is
    # the AI's "1"). 3*45 + 48 = 183 -> CD 10 - 3 = 7. Without the AI: 183 - 27 - 1 = 155 -> CD 5.
    code = CVS_CODES[0][0][:43]
    rev = code[::-1]
    assert rev[0::2] == "0160302000053100004299"
    assert rev[1::2] == "040066000164200815311"
    assert gs1_check_digit(code) == 7
    assert gs1_check_digit(code[2:]) == 5


def _mod10_31(digits: str) -> int:
    """GS1 modulus 10, weights 3/1 from the right: written out here, not the code under test."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def test_every_cvs_code_in_the_repository_samples_has_a_right_check_digit() -> None:
    import re

    root = Path(__file__).resolve().parents[2]
    codes = {c for f in root.glob("forms/*/*/samples/*.json")
             for c in re.findall(r'"(91[0-9]{42})"', f.read_text(encoding="utf-8"))}
    assert len(codes) >= 10
    for code in sorted(codes):
        assert int(code[43]) == _mod10_31(code[:43]), code
        assert cvs_barcode_check(code)


def test_cvs_every_single_digit_change_fails() -> None:
    code = CVS_CODES[0][0]
    for v in single_digit_variants(code[2:]):  # keep the AI; any other digit changed
        assert not cvs_barcode_check("91" + v), v


# --- shapes

@pytest.mark.parametrize(("fn", "bad"), [
    (is_valid_my_number, "12345678901"),  # 11 digits
    (is_valid_my_number, "1234567890180"),
    (is_valid_my_number, "1234 5678 9018"),
    (is_valid_my_number, "１２３４５６７８９０１８"),  # full-width
    (is_valid_my_number, 123456789018),
    (is_valid_corporate_number, "800002013101"),
    (is_valid_corporate_number, "8000-02-0131016"),
    (is_valid_lg_code, "13101"),
    (is_valid_lg_code, 11002),  # int lost the leading zero of 011002
    (is_valid_lg_code, "13101a"),
    (compute_my_number_cd, "123456789018"),
    (compute_corporate_number_cd, "8000020131016"),
    (compute_lg_code_cd, "131016"),
    (gs1_check_digit, ""),
    (gs1_check_digit, "12a"),
    (cvs_barcode_check, "9191234501080000123456010000002606300064100"),  # 43 digits
    (cvs_barcode_check, "81912345010800001234560100000026063000641007"),  # not AI 91
    (compute_cvs_barcode_cd, "91912345010800001234560100000026063000641007"),  # 44 given
])
def test_bad_shapes_raise(fn, bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueInvalid) as exc:
        fn(bad)
    assert exc.value.code == "VALUE_INVALID"


def test_my_number_not_echoed_in_errors() -> None:
    with pytest.raises(ValueInvalid) as exc:
        is_valid_my_number("1234567890189")
    assert "1234567890189" not in str(exc.value)
    assert "1234567890189" not in repr(exc.value.detail)
