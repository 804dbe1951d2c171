"""Municipality profiles (lgforms.tenants.profile): reading a profile file, its checks, and the
``tenant`` values a form may see. Expected values are written out (paths, codes, messages, the
values a slot list selects), not computed by the module."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import lgforms
from lgforms.errors import LgformsError
from lgforms.tenants.profile import MAX_FONT_BYTES, check_font, demo_profile, load_profile, make_profile

DEMO = Path(lgforms.__file__).parent / "tenants" / "demo"
FONT = Path(__file__).resolve().parents[2] / "fonts" / "ipaexg.ttf"
SEAL = DEMO / "seal.png"

BASE = {"code": "131016", "name": "東京都千代田区", "mayor_title": "千代田区長", "mayor_name": "山田　一郎"}


def err(fn, *a, **k) -> LgformsError:
    with pytest.raises(LgformsError) as e:
        fn(*a, **k)
    return e.value


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


# -- make_profile -------------------------------------------------------------------------------------

def test_a_profile_names_its_first_problem_by_path():
    e = err(make_profile, {**BASE, "name": "あ" * 61})
    assert (e.code, e.path) == ("TENANT_INVALID", "$.name") and e.message.startswith("tenant profile: ")
    e = err(make_profile, {**BASE, "contacts": {"zeimu": "x" * 201}})
    assert (e.code, e.path) == ("TENANT_INVALID", "$.contacts.zeimu")
    e = err(make_profile, {**BASE, "code": "131017"})  # 13101's check digit is 6
    assert (e.code, e.path) == ("TENANT_INVALID", "$.code") and "check digit" in e.message
    e = err(make_profile, {k: v for k, v in BASE.items() if k != "mayor_name"})
    assert (e.code, e.path) == ("TENANT_INVALID", "$.mayor_name")


@pytest.mark.parametrize("size", [(30, 30), (0.1, 30), (21, 18)])
def test_a_seal_of_up_to_30_mm_is_accepted(size):
    p = make_profile({**BASE, "seal": {"png": SEAL.read_bytes(), "size_mm": size}})
    assert p.seal.size_mm == tuple(float(x) for x in size)


@pytest.mark.parametrize("size", [(30.5, 21), (21, 31), (0, 21), (21, -1)])
def test_a_seal_outside_0_to_30_mm_is_refused(size):
    e = err(make_profile, {**BASE, "seal": {"png": SEAL.read_bytes(), "size_mm": size}})
    assert (e.code, e.path, e.message) == ("TENANT_INVALID", "$.seal.size_mm", "seal size must be between 0 and 30 mm")


def test_a_seal_that_is_no_image_is_refused():
    e = err(make_profile, {**BASE, "seal": {"png": b"GIF89a not a png", "size_mm": (21, 21)}})
    assert (e.code, e.path) == ("IMAGE_INVALID", "$.seal") and e.message.startswith("seal image")


# -- load_profile -------------------------------------------------------------------------------------

def test_a_profile_file_with_its_seal_and_fonts_beside_it(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inei.png").write_bytes(SEAL.read_bytes())
    (tmp_path / "gaiji.ttf").write_bytes(FONT.read_bytes())
    p = load_profile(write(tmp_path, 'code: "131016"\nname: 東京都千代田区\nmayor_title: 千代田区長\n'
                                     'mayor_name: 山田　一郎\nseal: {file: sub/inei.png}\nfonts: [gaiji.ttf]\n'))
    assert p.seal.png == SEAL.read_bytes() and p.seal.size_mm == (21.0, 21.0)  # 21 mm unless given
    assert p.fonts == [str((tmp_path / "gaiji.ttf").resolve())]
    assert p.local_name == "千代田区" and p.contacts == {} and p.allow_ivs_fallback is False


def test_a_seal_size_as_one_number_or_two(tmp_path):
    (tmp_path / "s.png").write_bytes(SEAL.read_bytes())
    head = 'code: "131016"\nname: 東京都千代田区\nmayor_title: 区長\nmayor_name: 山田\n'
    assert load_profile(write(tmp_path, head + "seal: {file: s.png, size_mm: 18}\n")).seal.size_mm == (18.0, 18.0)
    assert load_profile(write(tmp_path, head + "seal: {file: s.png, size_mm: 16.5}\n")).seal.size_mm == (16.5, 16.5)
    assert load_profile(write(tmp_path, head + "seal: {file: s.png, size_mm: [20, 15]}\n")).seal.size_mm == (20.0, 15.0)


def test_a_missing_seal_file_is_named(tmp_path):
    e = err(load_profile, write(tmp_path, 'code: "131016"\nname: 東京都千代田区\nmayor_title: 区長\nmayor_name: 山田\n'
                                          "seal: {file: nothere.png}\n"))
    assert (e.code, e.path) == ("TENANT_INVALID", "$.seal.file")
    assert e.message.startswith("cannot read seal image nothere.png: ")


def test_fonts_must_be_a_list_of_readable_font_files(tmp_path):
    head = 'code: "131016"\nname: 東京都千代田区\nmayor_title: 区長\nmayor_name: 山田\n'
    for fonts in ("fonts: gaiji.ttf\n", "fonts: [1]\n", "fonts: {a: b}\n"):
        e = err(load_profile, write(tmp_path, head + fonts))
        assert (e.code, e.path, e.message) == ("TENANT_INVALID", "$.fonts", "fonts must be a list of font file names")
    (tmp_path / "ok.ttf").write_bytes(FONT.read_bytes())
    e = err(load_profile, write(tmp_path, head + "fonts: [ok.ttf, missing.ttf]\n"))
    assert (e.code, e.path, e.message) == ("TENANT_INVALID", "$.fonts[1]",
                                          "cannot read font missing.ttf: No such file or directory")
    (tmp_path / "bad.ttf").write_bytes(b"\0\1\0\0 not a font")
    e = err(load_profile, write(tmp_path, head + "fonts: [bad.ttf]\n"))
    assert (e.code, e.path, e.message) == ("TENANT_INVALID", "$.fonts[0]",
                                          "bad.ttf is not a TrueType/OpenType font with a character map")
    assert load_profile(write(tmp_path, head)).fonts == []


def test_an_unreadable_profile_is_a_clear_error(tmp_path):
    e = err(load_profile, tmp_path / "none.yaml")
    assert e.code == "TENANT_INVALID" and e.message.startswith("cannot read tenant profile none.yaml: ")
    e = err(load_profile, write(tmp_path, "code: [unclosed\n"))
    assert e.code == "TENANT_INVALID" and e.message.startswith("cannot read tenant profile p.yaml: ")
    e = err(load_profile, write(tmp_path, "- a\n- b\n"))
    assert (e.code, e.message) == ("TENANT_INVALID", "tenant profile p.yaml must be a mapping")
    e = err(load_profile, write(tmp_path, ""))  # empty: a mapping with nothing in it
    assert (e.code, e.path) == ("TENANT_INVALID", "$.code")


def test_a_profile_in_shift_jis_is_named_as_such(tmp_path):
    p = tmp_path / "sjis.yaml"
    p.write_bytes('code: "131016"\nname: 東京都千代田区\n'.encode("cp932"))
    e = err(load_profile, p)
    # 東 is 0x93 0x8C in Shift_JIS, after the 15 + 6 bytes of 'code: "131016"\n' and 'name: '
    assert e.code == "TENANT_INVALID"
    assert e.message == ("tenant profile sjis.yaml is not UTF-8 (byte 0x93 at byte offset 21); save it as UTF-8")
    assert e.detail == {"byte_offset": 21}


def test_the_demo_profile_is_read_once(monkeypatch):
    import lgforms.tenants.profile as profile_module

    monkeypatch.setattr(profile_module, "_demo", None)  # read here, not taken from an earlier test
    d = demo_profile()
    assert (d.code, d.name, d.local_name, d.mayor_name) == ("992011", "東雲県みどり野市", "みどり野市", "松葉　恵子")
    assert d.seal is not None and d.seal.size_mm == (21.0, 21.0)
    assert demo_profile() is d


# -- check_font ---------------------------------------------------------------------------------------

def test_a_font_of_exactly_the_limit_passes_and_one_byte_more_does_not():
    data = FONT.read_bytes()
    padded = data + b"\0" * (MAX_FONT_BYTES - len(data))  # trailing bytes after the tables
    assert len(padded) == 32 * 1024 * 1024
    check_font(padded, path="$.fonts[0]")
    e = err(check_font, padded + b"\0", path="$.fonts[2]", name="big.ttf")
    assert (e.code, e.path) == ("TENANT_INVALID", "$.fonts[2]")
    assert e.message == "big.ttf: 33,554,433 bytes; a tenant font may have at most 33,554,432"


def test_a_font_without_a_character_map_is_refused():
    tt = TTFont(str(FONT))
    del tt["cmap"]
    out = io.BytesIO()
    tt.save(out)
    e = err(check_font, out.getvalue(), path="$.fonts[0]")
    assert (e.code, e.message) == ("TENANT_INVALID", "font is not a TrueType/OpenType font with a character map")
    check_font(FONT.read_bytes(), path="$.fonts[0]")  # the same font with its cmap


# -- the values a form sees ---------------------------------------------------------------------------

def profile(**extra):
    return make_profile({**BASE, "contacts": {"zeimu": "税務課　電話 03-0000-0000", "blank": ""},
                         "issuers": {"senkyo": {"title": "千代田区選挙管理委員会委員長", "name": "青木　正"}},
                         "tables": {"dankai": {"kijungaku": 72000, "rates": [0.5, 0.7]}}, **extra})


def test_slot_values_hold_only_the_declared_slots():
    p = profile()
    assert p.slot_values(["name", "contacts.zeimu", "issuers.senkyo", "seal", "contacts.kokuho?"]) == {
        "name": "東京都千代田区",
        "contacts": {"zeimu": "税務課　電話 03-0000-0000", "kokuho": None},
        "issuers": {"senkyo": {"title": "千代田区選挙管理委員会委員長", "name": "青木　正"}},
    }
    assert p.slot_values(["mayor_title", "mayor_name"]) == {"mayor_title": "千代田区長", "mayor_name": "山田　一郎"}
    assert p.slot_values(["name.x?"]) == {"name": {"x": None}}  # a sub-slot of a plain value: nothing


def test_form_values_refuse_a_missing_slot_and_skip_optional_ones():
    p = profile()
    ok = p.form_values("f1", ["name", "contacts.zeimu", "contacts.kokuho?", "seal", "local_name"])
    assert ok == {"name": "東京都千代田区", "contacts": {"zeimu": "税務課　電話 03-0000-0000", "kokuho": None},
                  "local_name": "千代田区"}
    for slot, path in (("contacts.kokuho", "tenant.contacts.kokuho"), ("contacts.blank", "tenant.contacts.blank"),
                       ("postal", "tenant.postal"), ("issuers.kyoiku", "tenant.issuers.kyoiku"),
                       ("name.sub", "tenant.name.sub")):
        e = err(p.form_values, "f2", ["name", slot, "mayor_name"])
        assert (e.code, e.path, e.form_id) == ("TENANT_DATA_MISSING", path, "f2")
        assert e.message.startswith(f"f2: the tenant profile of 東京都千代田区 (131016) has no {slot}, ")


SCHEMA = {"type": "object", "required": ["kijungaku", "rates"],
          "properties": {"kijungaku": {"type": "integer"}, "rates": {"type": "array", "items": {"type": "number"}}}}


def test_form_values_check_the_tables_against_the_form_s_schema():
    p = profile()
    v = p.form_values("kaigo", ["name"], {"dankai": SCHEMA})
    assert v == {"name": "東京都千代田区", "tables": {"dankai": {"kijungaku": 72000, "rates": [0.5, 0.7]}}}
    e = err(p.form_values, "kaigo", ["name"], {"dankai": SCHEMA, "other": SCHEMA})
    assert (e.code, e.path, e.form_id) == ("TENANT_DATA_MISSING", "tenant.tables.other", "kaigo")
    assert e.message == "kaigo: the tenant profile of 東京都千代田区 (131016) has no table 'other' (条例 data this form needs)"
    bad = profile(tables={"dankai": {"kijungaku": 72000, "rates": [0.5, "x"]}})
    e = err(bad.form_values, "kaigo", ["name"], {"dankai": SCHEMA})
    assert (e.code, e.path) == ("TENANT_DATA_MISSING", "tenant.tables.dankai.rates[1]")
    assert e.message == ("kaigo: the tenant's table 'dankai' does not match the form's schema for it at "
                         "tables.dankai.rates[1]: type 'number'")
    e = err(profile(tables={"dankai": {"rates": []}}).form_values, "kaigo", ["name"], {"dankai": SCHEMA})
    assert e.path == "tenant.tables.dankai" and e.message.endswith("at tables.dankai: required ['kijungaku', 'rates']")


def test_form_values_are_kept_per_form_and_slots():
    p = profile()
    a = p.form_values("f", ["name"])
    assert p.form_values("f", ["name"]) is a
    b = p.form_values("f", ["name", "mayor_name"])
    assert b == {"name": "東京都千代田区", "mayor_name": "山田　一郎"} and a == {"name": "東京都千代田区"}
    assert p.form_values("g", ["name"]) is not a
    t = p.form_values("f", ["name"], {"dankai": SCHEMA})
    assert "tables" in t and "tables" not in p.form_values("f", ["name"])
    other = profile(mayor_name="佐藤　花子")
    assert other.form_values("f", ["mayor_name"]) == {"mayor_name": "佐藤　花子"}


# -- second round: what the first mutation run left alive -----------------------------------------

def test_a_missing_slot_after_an_optional_one_or_the_seal_is_still_refused():
    p = profile()
    for slots in (["contacts.kokuho?", "postal"], ["seal", "postal"], ["seal?", "issuers.kyoiku"]):
        e = err(p.form_values, "f", ["name", *slots])
        assert (e.code, e.path) == ("TENANT_DATA_MISSING", f"tenant.{slots[-1]}"), slots


def test_a_table_s_first_problem_is_the_first_by_path_not_by_schema_order():
    schema = {"type": "object", "properties": {"rates": {"type": "array", "items": {"type": "number"}},
                                               "kijungaku": {"type": "integer"}}}
    bad = profile(tables={"dankai": {"kijungaku": "72000", "rates": [0.5, "x"]}})
    e = err(bad.form_values, "kaigo", ["name"], {"dankai": schema})
    assert (e.code, e.path, e.form_id) == ("TENANT_DATA_MISSING", "tenant.tables.dankai.kijungaku", "kaigo")
    assert e.message.endswith("at tables.dankai.kijungaku: type 'integer'")


def test_slot_keys_may_end_in_capital_letters():
    p = make_profile({**BASE, "contacts": {"FAX": "03-0000-0001", "TEL": "03-0000-0000"}})
    assert p.form_values("f", ["contacts.FAX", "contacts.TEL?"]) == \
        {"contacts": {"FAX": "03-0000-0001", "TEL": "03-0000-0000"}}


def test_a_seal_image_is_bounded_more_tightly_than_other_images():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (2001, 2000), 255).save(buf, "PNG")  # 4,002,000 px: over the seal bound of 4,000,000
    e = err(make_profile, {**BASE, "seal": {"png": buf.getvalue(), "size_mm": (21, 21)}})
    assert (e.code, e.path) == ("IMAGE_INVALID", "$.seal") and "4,000,000" in e.message
    buf = io.BytesIO()
    Image.new("L", (2000, 2000), 255).save(buf, "PNG")
    assert make_profile({**BASE, "seal": {"png": buf.getvalue(), "size_mm": (21, 21)}}).seal is not None


def cff_font() -> bytes:
    """A minimal OpenType font with CFF outlines (no 'glyf' table) and a character map."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({0x41: "A"})
    strings = {}
    for name in (".notdef", "A"):
        pen = T2CharStringPen(600, None)
        pen.moveTo((100, 0)), pen.lineTo((500, 0)), pen.lineTo((300, 700)), pen.closePath()
        strings[name] = pen.getCharString()
    fb.setupCFF("TestCFF", {"FullName": "Test CFF"}, strings, {})
    fb.setupHorizontalMetrics({".notdef": (600, 100), "A": (600, 100)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Test CFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


def test_an_opentype_font_with_cff_outlines_is_accepted():
    data = cff_font()
    tt = TTFont(io.BytesIO(data))
    assert "CFF " in tt and "glyf" not in tt
    check_font(data, path="$.fonts[0]")
