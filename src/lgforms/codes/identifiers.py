"""Identifier checks for payload fields: one function per JSON Schema ``format`` name.

Each check takes the string a payload carries and raises :class:`ValueInvalid` saying what is wrong
-- for a wrong check digit, which position holds it and which digit was expected -- but never the
value itself: these are personal data (個人番号 is 特定個人情報) and error reports are logged.

========================== ======================================================================
format                     rule
========================== ======================================================================
``kojin-bango``            個人番号: 12 digits, the last a check digit (総務省令第85号 第5条)
``hojin-bango``            法人番号: 13 digits, the FIRST a check digit (財務省令第70号 第2条)
``dantai-code``            全国地方公共団体コード: 6 digits, the last a 検査数字 (JIS X 0402)
``hokensha-bango``         保険者番号: 6 (国保) or 8 digits, the last a 検証番号 (2/1 digit sums)
``kouki-hihokensha-bango`` 後期高齢者医療 被保険者番号: 8 digits, the last a 検証番号 (as 保険者番号)
``cvs-barcode``            コンビニ収納 GS1-128 data: 44 digits, AI 91, 支払期限日 YYMMDD, mod-10 CD
========================== ======================================================================

Not here, because no check-digit rule could be confirmed: 国保 被保険者記号・番号 (set by each insurer),
介護保険 被保険者番号 (10 digits, assigned by the 保険者 with no published check rule), eL番号.
"""

from __future__ import annotations

import datetime
from typing import Callable

from lgforms.errors import ValueInvalid

from .checkdigits import (
    compute_corporate_number_cd,
    compute_cvs_barcode_cd,
    compute_insurer_cd,
    compute_lg_code_cd,
    compute_my_number_cd,
)

__all__ = ["IDENTIFIER_FORMATS", "check_identifier"]


def _shape(value: str, lengths: tuple[int, ...], what: str) -> None:
    if not (value.isascii() and value.isdigit()):
        raise ValueInvalid(f"{what} must be ASCII digits 0-9 only (no hyphens, spaces or full-width digits)",
                           detail={"length": len(value)})
    if len(value) not in lengths:
        want = " or ".join(str(n) for n in lengths)
        raise ValueInvalid(f"{what} must be {want} digits, got {len(value)}",
                           detail={"expected_length": list(lengths), "length": len(value)})


def _wrong_cd(what: str, position: int, length: int, expected: int, got: str) -> ValueInvalid:
    return ValueInvalid(f"{what}: check digit (digit {position} of {length}) is {got}, expected {expected}",
                        detail={"position": position, "expected": expected})


def check_kojin_bango(value: str) -> None:
    _shape(value, (12,), "個人番号")
    cd = compute_my_number_cd(value[:11])
    if cd != int(value[11]):
        raise _wrong_cd("個人番号", 12, 12, cd, value[11])


def check_hojin_bango(value: str) -> None:
    _shape(value, (13,), "法人番号")
    cd = compute_corporate_number_cd(value[1:])
    if cd != int(value[0]):
        raise _wrong_cd("法人番号", 1, 13, cd, value[0])


def check_dantai_code(value: str) -> None:
    _shape(value, (6,), "地方公共団体コード")
    cd = compute_lg_code_cd(value[:5])
    if cd != int(value[5]):
        raise _wrong_cd("地方公共団体コード", 6, 6, cd, value[5])


def check_hokensha_bango(value: str) -> None:
    _shape(value, (6, 8), "保険者番号")
    cd = compute_insurer_cd(value[:-1])
    if cd != int(value[-1]):
        raise _wrong_cd("保険者番号 検証番号", len(value), len(value), cd, value[-1])


def check_kouki_hihokensha_bango(value: str) -> None:
    _shape(value, (8,), "後期高齢者医療 被保険者番号")
    cd = compute_insurer_cd(value[:7])
    if cd != int(value[7]):
        raise _wrong_cd("後期高齢者医療 被保険者番号 検証番号", 8, 8, cd, value[7])


def check_cvs_barcode(value: str) -> None:
    """標準料金代理収納 GS1-128 data (GS1 Japan guideline, as summarised in the catalog): 1–2 AI ``91``,
    3–8 請求書発行企業コード, 9–29 自由使用欄, 30 再発行区分, 31–36 支払期限日 YYMMDD (西暦), 37 印紙フラグ,
    38–43 支払金額, 44 check digit (mod 10, weights 3/1, summed over all 43 digits including the AI --
    the AI's part of the sum is unconfirmed, see ``checkdigits``)."""
    _shape(value, (44,), "コンビニ収納 barcode data")
    if not value.startswith("91"):
        raise ValueInvalid("コンビニ収納 barcode data must start with the AI 91", detail={"position": 1})
    try:  # 20YY: the guideline's dates are this century's (2000 + YY is a leap year exactly when YY is)
        datetime.date(2000 + int(value[30:32]), int(value[32:34]), int(value[34:36]))
    except ValueError:
        raise ValueInvalid("コンビニ収納 barcode data: digits 31–36 (支払期限日, YYMMDD) are not a date",
                           detail={"position": 31}) from None
    cd = compute_cvs_barcode_cd(value[:43])
    if cd != int(value[43]):
        raise _wrong_cd("コンビニ収納 barcode data", 44, 44, cd, value[43])


IDENTIFIER_FORMATS: dict[str, Callable[[str], None]] = {
    "kojin-bango": check_kojin_bango,
    "hojin-bango": check_hojin_bango,
    "dantai-code": check_dantai_code,
    "hokensha-bango": check_hokensha_bango,
    "kouki-hihokensha-bango": check_kouki_hihokensha_bango,
    "cvs-barcode": check_cvs_barcode,
}


def check_identifier(fmt: str, value: str) -> None:
    """Run the check of format ``fmt`` on ``value`` (KeyError for an unknown format)."""
    IDENTIFIER_FORMATS[fmt](value)
