"""Which characters make up a word that a line is not broken inside (layout.text._is_word): Latin
letters and digits, ASCII or full-width, and the hyphens, commas and full stops inside numbers and
codes ("No.123-456", "1,234"). Checked against Unicode's own data (unicodedata), character by
character over the whole ASCII and full-width ranges: the ends of each range (0 9 A Z a z and
their full-width forms) and their neighbours (/ : @ [ ` { …) decide it."""

from __future__ import annotations

import unicodedata

from lgforms.layout.text import _is_word

PUNCTUATION = set("-‐－,，.．")


def latin_letter_or_digit(c: str) -> bool:
    ascii_form = unicodedata.normalize("NFKC", c)  # Ａ -> A, ９ -> 9
    return len(ascii_form) == 1 and ascii_form.isascii() and ascii_form.isalnum()


def test_latin_letters_digits_and_number_punctuation_are_word_characters():
    chars = [chr(o) for o in range(0x20, 0x7F)] + [chr(o) for o in range(0xFF01, 0xFF5F)] + ["‐"]
    for c in chars:
        assert _is_word(c) == (latin_letter_or_digit(c) or c in PUNCTUATION), f"U+{ord(c):04X} {c}"


def test_kana_kanji_and_other_letters_are_not():
    for c in "あア漢〇一ｱαÀ＿　/：":
        assert not _is_word(c), f"U+{ord(c):04X} {c}"
    assert _is_word("A\U000E0100")  # a cluster: its first code point decides
