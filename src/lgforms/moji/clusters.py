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
_CLUSTER_RE = re.compile(rf"\r\n|[^{_EXTEND}][{_EXTEND}]*|[{_EXTEND}]+", re.S)
_HAS_EXTEND = re.compile(rf"[{_EXTEND}]")


def split_clusters(text: str) -> list[str]:
    """Split text into clusters. A stray selector/mark at the start is its own (invalid) cluster,
    so it is reported by the coverage check instead of being silently glued or dropped."""
    if not _HAS_EXTEND.search(text):
        return list(text)  # fast path: the common case has no selectors at all
    return _CLUSTER_RE.findall(text)


def is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def codepoints(cluster: str) -> str:
    """'葛󠄂' -> 'U+845B U+E0102' (how errors and the CLI name characters)."""
    return " ".join(f"U+{ord(c):04X}" for c in cluster)
