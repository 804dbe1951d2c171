"""Codes and number formats of Japanese forms: 和暦, 漢数字, yen, 全角, identifier check digits
(``checkdigits``) and the payload checks built on them (``identifiers``: one per schema format).

Pure functions, stdlib only. Every conversion failure raises :class:`lgforms.errors.ValueInvalid`.
"""

from __future__ import annotations

from .checkdigits import (
    compute_corporate_number_cd,
    compute_cvs_barcode_cd,
    compute_insurer_cd,
    compute_lg_code_cd,
    compute_my_number_cd,
    corporate_number_of_lg,
    cvs_barcode_check,
    gs1_check_digit,
    is_valid_corporate_number,
    is_valid_insurer_number,
    is_valid_kouki_insured_number,
    is_valid_lg_code,
    is_valid_my_number,
)
from .kansuji import kansuji, parse_kansuji
from .money import comma, yen
from .wareki import seireki, to_date, wareki
from .zenkaku import hankaku_digits, zenkaku

__all__ = [
    "to_date", "wareki", "seireki",
    "kansuji", "parse_kansuji",
    "yen", "comma",
    "zenkaku", "hankaku_digits",
    "compute_my_number_cd", "is_valid_my_number",
    "compute_corporate_number_cd", "is_valid_corporate_number", "corporate_number_of_lg",
    "compute_lg_code_cd", "is_valid_lg_code",
    "gs1_check_digit", "compute_cvs_barcode_cd", "cvs_barcode_check",
    "compute_insurer_cd", "is_valid_insurer_number", "is_valid_kouki_insured_number",
]
