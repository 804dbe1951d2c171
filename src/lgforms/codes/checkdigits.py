"""Check digits of Japanese public identifiers and of the convenience-store (CVS) payment barcode.

All functions take strings of ASCII digits of the exact length (no hyphens, spaces or full-width
digits: an identifier with lost leading zeros, e.g. int 11002 for 011002, must fail loudly).
A wrong shape raises ValueInvalid; a well-formed number with a wrong check digit gives False.
Error messages never repeat the number itself, since 個人番号 is specific personal information.

Known blind spots (the algorithms, not this code):

* 個人番号: remainders 0 and 1 both give CD 0, so some single-digit errors are not caught when CD is 0.
* 法人番号: weights 1/2 mod 9 cannot see a 0 <-> 9 substitution (9 ≡ 18 ≡ 0 mod 9).
* 団体コード: remainders 0 and 10 both give CD 1 (e.g. 110001 埼玉県 and 130001 東京都 differ in one digit).
* 保険者番号 / 後期高齢者 被保険者番号 (weights 2/1 with digit sums, i.e. Luhn): every single-digit error is
  caught, but swapping adjacent digits 0 and 9 ("09" <-> "90") is not.
"""

from __future__ import annotations

from lgforms.errors import ValueInvalid

__all__ = [
    "compute_my_number_cd", "is_valid_my_number",
    "compute_corporate_number_cd", "is_valid_corporate_number", "corporate_number_of_lg",
    "compute_lg_code_cd", "is_valid_lg_code",
    "gs1_check_digit", "compute_cvs_barcode_cd", "cvs_barcode_check",
    "compute_insurer_cd", "is_valid_insurer_number", "is_valid_kouki_insured_number",
]


def _digits(value: object, length: int | None, what: str) -> list[int]:
    if not isinstance(value, str):
        raise ValueInvalid(f"{what} must be a string of digits, got {type(value).__name__}",
                           detail={"type": type(value).__name__})
    # isascii() + isdigit(): str.isdigit alone accepts ０-９ and superscripts.
    if not (value.isascii() and value.isdigit()):
        raise ValueInvalid(f"{what} must contain ASCII digits 0-9 only", detail={"length": len(value)})
    if length is not None and len(value) != length:
        raise ValueInvalid(f"{what} must be {length} digits, got {len(value)}",
                           detail={"expected": length, "length": len(value)})
    return [int(c) for c in value]


# --- 個人番号 (My Number): 番号法施行令 and 総務省令第85号 第5条 (catalog SOUMU-MYNUMBER-CD). Pn = n-th digit from the right of the 11-digit base,
# Qn = n+1 (n <= 6) or n-5 (n >= 7); CD = 11 - (ΣPn·Qn mod 11), or 0 when the remainder is 0 or 1.

def compute_my_number_cd(base: str) -> int:
    """Check digit (last digit) of a 個人番号 from its first 11 digits."""
    digits = _digits(base, 11, "個人番号 base")
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(digits), start=1))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(number: str) -> bool:
    """True if the 12-digit 個人番号 has a correct check digit."""
    digits = _digits(number, 12, "個人番号")
    return compute_my_number_cd(number[:11]) == digits[11]


# --- 法人番号: 法人番号の指定等に関する省令 (catalog MOF-HOUJIN-CD). The CD is the FIRST digit. Pn = n-th digit from the
# right of the 12-digit base, Qn = 1 (n odd) or 2 (n even); CD = 9 - (ΣPn·Qn mod 9), so 1..9.

def compute_corporate_number_cd(base: str) -> int:
    """Check digit (first digit) of a 法人番号 from its 12-digit base."""
    digits = _digits(base, 12, "法人番号 base")
    total = sum(p * (1 if n % 2 else 2) for n, p in enumerate(reversed(digits), start=1))
    return 9 - total % 9


def is_valid_corporate_number(number: str) -> bool:
    """True if the 13-digit 法人番号 has a correct check digit (its first digit)."""
    digits = _digits(number, 13, "法人番号")
    return compute_corporate_number_cd(number[1:]) == digits[0]


def corporate_number_of_lg(lg_code: str) -> str:
    """法人番号 of a local government: CD + "0000" + "2" + "0" + its 6-digit 団体コード (checked first)."""
    if not is_valid_lg_code(lg_code):
        raise ValueInvalid("団体コード has a wrong check digit", detail={"value": lg_code})
    base = "000020" + lg_code
    return f"{compute_corporate_number_cd(base)}{base}"


# --- 全国地方公共団体コード: JIS X 0402. 5 digits weighted 6,5,4,3,2; CD = last digit of
# (11 - Σ mod 11): remainder 0 -> 1, 1 -> 0, 10 -> 1.

def compute_lg_code_cd(base: str) -> int:
    """検査数字 (6th digit) of a 団体コード from its first 5 digits."""
    digits = _digits(base, 5, "団体コード base")
    total = sum(d * w for d, w in zip(digits, (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10


def is_valid_lg_code(code: str) -> bool:
    """True if the 6-digit 全国地方公共団体コード has a correct 検査数字."""
    digits = _digits(code, 6, "団体コード")
    return compute_lg_code_cd(code[:5]) == digits[5]


# --- GS1 modulus 10, weights 3/1: the rightmost data digit (next to the CD) weighs 3.

def gs1_check_digit(digits: str) -> int:
    """GS1 mod-10 check digit for ``digits`` (the data without its CD): weights 3,1,3,... from the right."""
    ds = _digits(digits, None, "GS1 data")
    if not ds:
        raise ValueInvalid("GS1 data must not be empty", detail={"length": 0})
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(ds)))
    return -total % 10


# --- 標準料金代理収納 GS1-128 (44 digits: AI 91 + 41 data digits + CD). Whether the CD sum covers the AI
# digits "91" is NOT confirmed from the GS1 Japan guideline; the catalog samples include them, so that
# is the default. Because the AI is 2 digits, the other digits keep their weights either way; only the
# AI's own contribution (9·3 + 1·1 = 28) differs, so the two choices give CDs 2 apart (mod 10).

def _cvs_digits(code: str, length: int) -> str:
    _digits(code, length, "CVS barcode data")
    if not code.startswith("91"):
        raise ValueInvalid("CVS barcode data must start with the AI 91", detail={"ai": code[:2]})
    return code


def compute_cvs_barcode_cd(code43: str, *, include_ai: bool = True) -> int:
    """Check digit (44th digit) for the first 43 digits of a CVS GS1-128 code (``include_ai``: sum the "91")."""
    code = _cvs_digits(code43, 43)
    return gs1_check_digit(code if include_ai else code[2:])


def cvs_barcode_check(code44: str, *, include_ai: bool = True) -> bool:
    """True if the 44-digit CVS GS1-128 data ends with the right mod-10 (3/1) check digit."""
    code = _cvs_digits(code44, 44)
    return compute_cvs_barcode_cd(code[:43], include_ai=include_ai) == int(code[43])


# --- 保険者番号 検証番号 (健康保険・国民健康保険・後期高齢者医療): the 5 or 7 digits before the 検証番号 are
# multiplied by 2, 1, 2, 1, ... from the RIGHT; a two-digit product counts as the sum of its digits; the
# 検証番号 is 10 minus the last digit of the total (0 when that digit is 0). This is the Luhn scheme.
# Sources (secondary: the 厚生労働省 text itself was not read): two independent public implementations
# agree -- a clinic reception system (Java, HokenVerifierLib.calcCheckingDigit, used for 社保・国保 and 後期
# 高齢 保険者番号) and a レセプト (UKE) file checker (JS, ukeInsuranceCheckDigit, which also applies it to the
# 8-digit 後期高齢者 被保険者番号 as 受付エラー 4151); and published numbers fit it: 協会けんぽ 東京支部
# 01130012, 大阪支部 01270016. 国保 保険者番号 are 6 digits (都道府県 2 + 保険者別 3 + 検証番号), others 8
# (法別番号 2 + 都道府県 2 + 保険者別 3 + 検証番号).

def compute_insurer_cd(base: str) -> int:
    """検証番号 for the digits of a 保険者番号 (or 後期高齢者 被保険者番号) before it."""
    digits = _digits(base, None, "保険者番号 base")
    if not digits:
        raise ValueInvalid("保険者番号 base must not be empty", detail={"length": 0})
    total = 0
    for i, d in enumerate(reversed(digits)):
        p = d * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return (10 - total % 10) % 10


def is_valid_insurer_number(number: str) -> bool:
    """True if a 保険者番号 (6 digits: 国保; 8 digits: 法別番号 + …) ends with the right 検証番号."""
    if isinstance(number, str) and len(number) not in (6, 8):
        raise ValueInvalid(f"保険者番号 must be 6 (国保) or 8 digits, got {len(number)}",
                           detail={"expected": [6, 8], "length": len(number)})
    digits = _digits(number, None, "保険者番号")
    return compute_insurer_cd(number[:-1]) == digits[-1]


def is_valid_kouki_insured_number(number: str) -> bool:
    """True if an 8-digit 後期高齢者医療 被保険者番号 ends with the right 検証番号 (same scheme as 保険者番号)."""
    digits = _digits(number, 8, "後期高齢者 被保険者番号")
    return compute_insurer_cd(number[:-1]) == digits[-1]
