"""Grapheme clusters: the unit in which lgforms handles text.

A cluster is a base character plus everything that modifies it in place: variation selectors
(IVS VS17–VS256 = U+E0100–U+E01EF, SVS VS1–VS16 = U+FE00–U+FE0F) and combining marks
(e.g. U+3099 the combining dakuten). Wrapping, truncation, width measurement and character
spacing all work on clusters, so a base is never split from its selector.

The definition is deliberately narrower than UAX #29 (no emoji/Hangul rules): official forms
carry kanji, kana, Latin and digits, and a small explicit rule set is easier to verify.
"""

from __future__ import annotations

import re
import unicodedata

VS_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))

_EXTEND = (
    "\u0300-\u036f"  # combining diacritical marks
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\u3099\u309a"  # combining (han)dakuten
    "\ufe00-\ufe0f"  # SVS
    "\ufe20-\ufe2f"
    "\U000e0100-\U000e01ef"  # IVS
    "\u200d"  # ZWJ keeps what it joins in one cluster
)
# Line breaks never carry a mark (UAX #29 GB4/GB5): "\n\u3099" is a break and a stray mark.
_CLUSTER_RE = re.compile(rf"\r\n|[\r\n]|[^{_EXTEND}\r\n][{_EXTEND}]*|[{_EXTEND}]+", re.S)
_HAS_EXTEND = re.compile(rf"[{_EXTEND}]")


def split_clusters(text: str) -> list[str]:
    """Split text into clusters. A stray selector/mark at the start is its own (invalid) cluster,
    so it is reported by the coverage check instead of being silently glued or dropped."""
    if not _HAS_EXTEND.search(text):
        return list(text)  # fast path: the common case has no selectors at all
    return _CLUSTER_RE.findall(text)


# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt): invisible by definition.
# HarfBuzz hides them; a font may still map some to a visible glyph (IPAmj draws U+00AD as a hyphen).
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def is_default_ignorable(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _DEFAULT_IGNORABLE)


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def not_a_character(cluster: str) -> str | None:
    """Why a cluster cannot be printed whatever the fonts hold, or None. Checked before any
    font is asked: IPAmj has glyphs for U+3099 and U+00AD, which would print a free-standing
    dakuten or a hyphen that is not in the value."""
    for ch in cluster:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return f"{_name(ch)} is a lone surrogate (half of a UTF-16 pair), not a character"
    first = cluster[0]
    cp = ord(first)
    if is_variation_selector(cp):
        return f"variation selector {_name(first)} has no base character before it"
    if first == "\u200d":
        return f"{_name(first)} has no character before it to join"
    if unicodedata.category(first) in ("Mn", "Mc", "Me"):
        return (f"combining mark {_name(first)} has no base character before it "
                f"(it would print free-standing)")
    if is_default_ignorable(cp):
        return f"{_name(first)} is an invisible formatting character, not part of a name or text; remove it"
    if len(cluster) >= 3 and is_variation_selector(ord(cluster[1])) and is_variation_selector(ord(cluster[2])):
        return "a character takes one variation selector, not two"
    return None


def is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def codepoints(cluster: str) -> str:
    """'葛󠄂' -> 'U+845B U+E0102' (how errors and the CLI name characters)."""
    return " ".join(f"U+{ord(c):04X}" for c in cluster)
