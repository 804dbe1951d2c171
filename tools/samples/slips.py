"""納付書 codes for the samples: the コンビニ収納 GS1-128 data (44 digits: AI 91, 請求書発行企業コード
912345 (fictitious), 21-digit 自由使用欄, 再発行区分 0, 支払期限 YYMMDD, 印紙フラグ 0, 金額 6 digits,
mod-10 (3/1) check digit — as tools/samples/kojin_juminzei.py) and a fictitious eL番号."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from lgforms.codes.checkdigits import compute_cvs_barcode_cd  # noqa: E402

CVS_LIMIT = 300_000  # municipalities cap a convenience-store payment at 30万円


def cvs(free: str, due: dt.date, amount: int) -> str:
    """44 digits; ``free`` is the issuer's own 自由使用欄 (at most 21 digits, zero-padded right)."""
    assert free.isdigit() and len(free) <= 21 and 0 <= amount <= 999_999
    body = f"91912345{free.ljust(21, '0')}0{due:%y%m%d}0{amount:06d}"
    assert len(body) == 43
    return body + str(compute_cvs_barcode_cd(body))


def el_no(zeimoku: str, number: str, ki: int = 0) -> str:
    """A fictitious 25-digit eL番号: 団体 99201, 税目 2 digits, 通知書番号 10 digits, 期 2 digits."""
    return f"00000992011{zeimoku:0>2}{int(number):010d}{ki:02d}"


def grouped(digits: str, n: int = 5) -> str:
    return " ".join(digits[i:i + n] for i in range(0, len(digits), n))


def slip(zeimoku: str, number: str, ki: int, due: dt.date, amount: int, qr: bool = False) -> dict:
    """The slip codes of one 期: a GS1-128 only up to 30万円; the eL-QR (when asked) with its eL番号."""
    s: dict = {"el_no": el_no(zeimoku, number, ki)}
    if amount <= CVS_LIMIT:
        s["cvs"] = cvs(f"{zeimoku:0>2}{int(number):010d}{ki:02d}", due, amount)
        s["cvs_limit"] = due.isoformat()
    if qr:
        s["el_qr"] = "ELQR-SAMPLE-" + s["el_no"]
    return s
