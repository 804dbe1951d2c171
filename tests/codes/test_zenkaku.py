"""全角 conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgforms.codes import hankaku_digits, zenkaku


@pytest.mark.parametrize(("src", "out"), [
    ("0123456789", "０１２３４５６７８９"),
    ("ABCxyz", "ＡＢＣｘｙｚ"),
    ("987-6543", "９８７－６５４３"),
    ("3丁目12番5号 202号室", "３丁目１２番５号\u3000２０２号室"),
    ("!~", "！～"),
    ("(a)", "（ａ）"),
    ("ｶﾞ", "ガ"),
    ("ﾊﾟ", "パ"),
    ("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "バビブベボ"),
    ("ｳﾞ", "ヴ"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
    ("ｷｮｳﾄ", "キョウト"),
    ("｡｢｣､･ｰ", "。「」、・ー"),
    ("ｱﾞ", "ア゛"),  # no precomposed voiced ア: stand-alone mark
    ("ﾞ", "゛"),
    ("ﾟ", "゜"),
    ("カﾞ", "カ゛"),  # a full-width base is left alone; only the half-width mark converts
    ("", ""),
])
def test_zenkaku(src: str, out: str) -> None:
    assert zenkaku(src) == out


def test_hyphen_is_fullwidth_hyphen_minus() -> None:
    assert zenkaku("-") == "\uff0d"
    assert zenkaku(" ") == "\u3000"


@pytest.mark.parametrize("s", [
    "髙橋", "𠮷田", "葛\U000E0102城", "齋藤", "ひらがな", "カタカナ", "ＡＢＣ", "１２３", "\t\n", "é", "①",
])
def test_other_characters_unchanged(s: str) -> None:
    assert zenkaku(s) == s


def test_mixed_keeps_ivs_and_non_bmp() -> None:
    assert zenkaku("葛\U000E0102城 𠮷1") == "葛\U000E0102城\u3000𠮷１"


def test_hankaku_digits() -> None:
    assert hankaku_digits("令和８年１１月２４日") == "令和8年11月24日"
    assert hankaku_digits("ＡＢＣ１２３－") == "ＡＢＣ123－"  # digits only


@given(st.text(alphabet="0123456789", max_size=30))
def test_digits_round_trip(s: str) -> None:
    assert hankaku_digits(zenkaku(s)) == s


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_ascii_becomes_one_fullwidth_char_each(s: str) -> None:
    out = zenkaku(s)
    assert len(out) == len(s)
    assert all(0xFF01 <= ord(c) <= 0xFF5E for c in out)
