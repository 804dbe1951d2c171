"""The last text-layer holes: what shaping and coverage must refuse, and which sequence an MJ
token stands for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lgforms
from lgforms.moji.fonts import FontFile, FontStack, default_stacks
from lgforms.moji.mj import check_text, mj_map

ROOT = Path(__file__).resolve().parents[2]
INKAN = json.loads((ROOT / "forms/inkan/inkan_toroku_shomeisho/samples/inkan_basic.json").read_text("utf-8"))
PUA = "\uE000"


@pytest.fixture(scope="module")
def gaiji(tmp_path_factory) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "pdf"))
    from test_tenant_fonts import make_gaiji_font  # a 外字 font with no space glyph

    return make_gaiji_font(tmp_path_factory.mktemp("fonts") / "gaiji.ttf")


def test_the_test_font_has_no_space_glyph(gaiji):
    # HarfBuzz drops default-ignorables in exactly this case: the premise of the next tests
    f = FontFile(gaiji).ensure_loaded()
    assert 0x20 not in f.cmap and ord(PUA) in f.cmap


@pytest.mark.parametrize("tail", ["\U000E0101\U000E0101", "\u200d", "\ufe00\ufe01", "\u200d\u200d"])
def test_shaping_keeps_default_ignorables_so_the_font_cannot_cover_them(gaiji, tail):
    f = FontFile(gaiji, key="gaiji")
    assert f.lookup(PUA) is not None
    assert f.lookup(PUA + tail) is None  # not the bare 外字 glyph


def test_gaiji_with_unknown_sequences_fails_through_a_tenant(gaiji):
    st = default_stacks()["mincho"].with_extra([FontFile(gaiji, key="gaiji")])
    for text, code in ((PUA + "\U000E0101\U000E0101", "MOJI_INVALID"), (PUA + "\u200d", "MOJI_NOT_IN_FONT")):
        with pytest.raises(lgforms.MojiNotInFont) as ei:
            st.resolve(text)
        assert ei.value.code == code


@pytest.mark.parametrize("name,position,cps", [
    ("\u3099田　花子", 0, "U+3099"),  # leading combining dakuten: would print free-standing
    ("田\u00ad中　花子", 1, "U+00AD"),  # soft hyphen: IPAmj draws it as a visible hyphen
    ("田中\u200b花子", 2, "U+200B"),
    ("田中\ufeff花子", 2, "U+FEFF"),
    ("\U000E0100田中", 0, "U+E0100"),  # a selector with no base
    ("田中\ud842花子", 2, "U+D842"),  # a lone surrogate (JSON "\ud842")
    ("葛\U000E0102\U000E0100城", 0, "U+845B U+E0102 U+E0100"),  # two selectors on one character
])
def test_characters_that_are_no_characters_are_errors(name, position, cps):
    p = dict(INKAN, name=name)
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.render("inkan_toroku_shomeisho", p)
    e = ei.value
    assert e.code == "MOJI_INVALID" and e.path == "$.name"
    assert e.detail["position"] == position and e.detail["codepoints"] == cps


def test_a_mark_after_a_line_break_is_not_glued_to_it():
    from lgforms.moji.clusters import split_clusters

    assert split_clusters("あ\n\u3099い") == ["あ", "\n", "\u3099", "い"]
    assert split_clusters("か\u3099\r\n") == ["か\u3099", "\r\n"]
    rows = check_text("あ\n\u3099")
    assert rows[2]["code"] == "MOJI_INVALID" and rows[2]["position"] == 2


def test_combining_marks_after_a_base_still_print():
    # か + combining dakuten is one cluster: IPAmj composes it (this is not a stray mark)
    [row] = check_text("か\u3099")
    assert row["ok"], row


def test_mj_tokens_prefer_the_moji_joho_ivs_over_an_svs():
    m = mj_map()
    e = m.lookup("MJ030185")
    assert e.text == "\u6717\U000E0106" and "\u6717\ufe00" in e.sequences
    both = [e for e in m.entries.values()
            if any(len(s) == 2 and 0xFE00 <= ord(s[1]) <= 0xFE0F for s in e.sequences)
            and any(len(s) == 2 and ord(s[1]) >= 0xE0100 for s in e.sequences)]
    assert len(both) == 89  # IPAmj 005.01: MJ codes reachable by both kinds of sequence
    assert all(0xE0100 <= ord(e.text[1]) <= 0xE01EF for e in both)
    # and the expansion in a name field prints and copies out as that sequence
    stack = default_stacks()["mincho"]
    for e in both:
        g = stack.resolve(e.text)
        assert g.font.glyph_names[g.gid] == "mj" + e.code[2:]


def test_an_mj_token_in_a_name_copies_out_as_the_ivs():
    from pdfcheck import pypdf_pages

    pdf = lgforms.render("inkan_toroku_shomeisho", dict(INKAN, name="MJ030185子　花"))
    assert "\u6717\U000E0106子" in pypdf_pages(pdf)[0]


def test_check_text_reads_mj_tokens_as_a_name_field_does():
    rows = check_text("MJ022335城")
    assert [r["codepoints"] for r in rows] == ["U+845B U+E0102", "U+57CE"]
    assert rows[0]["source"] == "MJ022335" and rows[0]["mj"] == "MJ022335" and rows[1]["position"] == 8
    letters = check_text("MJ022335", mj_tokens=False)
    assert len(letters) == 8 and letters[0]["codepoints"] == "U+004D"
    bad = check_text("aMJ999999b")
    assert [(r["position"], r["ok"]) for r in bad] == [(0, True), (1, False), (9, True)]
    assert bad[1]["code"] == "MOJI_NOT_IN_FONT" and bad[1]["text"] == "MJ999999"


def test_fallbacks_are_not_affected_by_the_checks():
    # an IVS fallback (tenants that allow it) still resolves; a stray selector does not
    st = FontStack("mincho", default_stacks()["mincho"].fonts)
    g = st.resolve("葛\U000E01EF", allow_ivs_fallback=True)
    assert g.fallback
    with pytest.raises(lgforms.MojiNotInFont):
        st.resolve("\U000E01EF", allow_ivs_fallback=True)
