"""全角 (full-width) conversion for printed forms.

Forms print numbers and addresses in full width so that vertical text and fixed-pitch boxes line up.
Only ASCII and half-width katakana are converted: kanji, kana, variation selectors (IVS) and non-BMP
characters (𠮷) pass through untouched, because changing them would change a person's name.
"""

from __future__ import annotations

import unicodedata

__all__ = ["zenkaku", "hankaku_digits"]

_VOICED = "\uff9e"  # ﾞ
_SEMI_VOICED = "\uff9f"  # ﾟ
# The stand-alone marks ゛/゜ (not the combining U+3099/U+309A that NFKC gives): a lone ﾞ stays visible.
_MARKS = {_VOICED: "\u309b", _SEMI_VOICED: "\u309c"}
_COMBINING = {_VOICED: "\u3099", _SEMI_VOICED: "\u309a"}


def _ascii_to_full(c: str) -> str:
    # U+0021..U+007E map one-to-one onto U+FF01..U+FF5E (so "-" -> U+FF0D －, "~" -> U+FF5E ～,
    # "\\" -> U+FF3C ＼); space becomes the ideographic space U+3000.
    if c == " ":
        return "\u3000"
    return chr(ord(c) + 0xFEE0)


def _halfwidth_kana(c: str) -> str:
    """Full-width form of one half-width katakana/punctuation character (U+FF61..U+FF9F)."""
    if c in _MARKS:
        return _MARKS[c]
    # NFKC maps each of these to exactly one full-width character (｡ -> 。, ｰ -> ー, ｶ -> カ).
    return unicodedata.normalize("NFKC", c)


def zenkaku(s: str) -> str:
    """Convert printable ASCII and half-width katakana to full width; leave every other character alone.

    A half-width kana followed by ﾞ/ﾟ becomes the precomposed voiced kana (ｶﾞ -> ガ, ﾊﾟ -> パ, ｳﾞ -> ヴ).
    A ﾞ/ﾟ that cannot combine (after a full-width character or a kana with no voiced form) becomes the
    stand-alone mark ゛/゜.
    """
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        o = ord(c)
        if 0x20 <= o <= 0x7E:
            out.append(_ascii_to_full(c))
        elif 0xFF61 <= o <= 0xFF9F:
            full = _halfwidth_kana(c)
            nxt = s[i + 1] if i + 1 < n else ""
            if c not in _MARKS and nxt in _COMBINING:
                composed = unicodedata.normalize("NFC", full + _COMBINING[nxt])
                if len(composed) == 1:  # a precomposed voiced kana exists
                    out.append(composed)
                    i += 2
                    continue
            out.append(full)
        else:
            out.append(c)
        i += 1
    return "".join(out)


_TO_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def hankaku_digits(s: str) -> str:
    """Turn full-width digits ０-９ into ASCII digits; nothing else changes (the inverse of zenkaku for digits)."""
    return s.translate(_TO_ASCII_DIGITS)
