"""資格情報のお知らせ（国民健康保険）: the items by their standard labels (一部負担金の割合, 保険者番号 and
保険者名称 apart, 有効期限), the statement that the notice alone cannot be used to see a doctor, the
70–74 dates as the law sets them (有効期限 = the day before the 75th birthday when that comes first),
the peel instruction naming the free edge, card backs only behind cards, the contact from the tenant,
and both deliveries (Z-fold 圧着はがき, A4 window envelope) through the postal checks."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

import lgforms
from lgforms.postal.profiles import load_profile
from lgforms.tenants.profile import demo_profile

from pdfcheck import pdf_chars, pypdf_pages, text_in_box

FORM = "kokuho_shikaku_joho_oshirase"
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/kokuho" / FORM / "samples"
TYPICAL = json.loads((SAMPLES / "oshirase_3nin.json").read_text("utf-8"))
EDGE = json.loads((SAMPLES / "oshirase_edge_4nin.json").read_text("utf-8"))
NOT_ALONE = "この「資格情報のお知らせ」だけでは、医療機関等を受診することはできません。"
PANELS = ["address", "back", "inner_1", "inner_2", "inner_3", "inner_4"]  # the order of panel pages


def flat(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "").replace("\n", "")


def tool():
    spec = importlib.util.spec_from_file_location("kokuho_shikaku", ROOT / "tools/samples/kokuho_shikaku.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def members(n: int) -> dict:
    p = copy.deepcopy(EDGE)
    p["members"] = p["members"][:n]
    return p


def test_the_items_by_their_standard_labels():
    pages = dict(zip(PANELS, (flat(t) for t in pypdf_pages(lgforms.render(FORM, TYPICAL)))))
    card = pages["inner_2"]
    for label in ("氏名", "生年月日", "記号・番号", "資格取得年月日", "交付年月日", "一部負担金の割合", "発効期日", "有効期限",
                  "保険者番号", "保険者名称"):
        assert label in card, label
    assert "負担割合" not in card.replace("一部負担金の割合", "")  # the standard label, not a short form
    letter = pages["inner_3"]
    for label in ("資格情報のお知らせ", "被保険者", "一部負担金の割合", "保険者番号", "保険者名称", "問い合わせ先"):
        assert label in letter, label
    # 保険者番号 and 保険者名称: two items in two cells, not 「992016　みどり野市」 in one
    chars = pdf_chars(lgforms.render(FORM, TYPICAL))[PANELS.index("inner_3")]
    assert flat(text_in_box(chars, (6, 113.5, 24, 7))) == "保険者番号" and text_in_box(chars, (30, 113.5, 64, 7)) == "992016"
    assert flat(text_in_box(chars, (6, 120.5, 24, 7))) == "保険者名称" and text_in_box(chars, (30, 120.5, 64, 7)) == "みどり野市"
    # the notice alone cannot be used to see a doctor: on the letter and on every card part
    assert flat(NOT_ALONE) in letter
    n = len(TYPICAL["members"])
    assert sum(flat(NOT_ALONE) in pages[p] for p in ("inner_1", "inner_2")) == 2
    assert sum(pages[p].count(flat(NOT_ALONE)) for p in ("inner_1", "inner_2")) == n


def test_70_to_74_dates_as_the_law_sets_them():
    """髙木 (born 昭和27年6月20日) reaches 75 on 令和9年6月20日: the お知らせ is valid until the day before —
    not 7月31日, not a month end (the v1 sample said 令和9年6月30日)."""
    m = TYPICAL["members"][2]
    assert (m["futan_wariai"], m["hakko_kijitsu"], m["yuko_kigen"]) == ("2割", "令和8年11月1日", "令和9年6月19日")
    text = flat("".join(pypdf_pages(lgforms.render(FORM, TYPICAL))))
    assert "令和9年6月19日" in text and "6月30日" not in text
    t = tool()
    on = dt.date(2026, 11, 24)
    assert t.koreisha(dt.date(1952, 6, 20), dt.date(2026, 11, 1), on)["yuko_kigen"] == dt.date(2027, 6, 19)
    assert t.koreisha(dt.date(1953, 9, 1), dt.date(2000, 4, 1), on)["yuko_kigen"] == dt.date(2027, 7, 31)
    # born on the 1st: reaches 70 the day before, in the previous month; the rate applies from the birthday month
    assert t.koreisha(dt.date(1956, 12, 1), dt.date(2000, 4, 1), on)["hakko_kijitsu"] == dt.date(2026, 12, 1)
    assert t.koreisha(dt.date(1956, 12, 2), dt.date(2000, 4, 1), on) == {}  # still 69 all of November
    assert t.koreisha(dt.date(1990, 3, 15), dt.date(2000, 4, 1), on) == {}


def test_the_samples_are_what_the_tool_computes():
    """The payload and the tool's own annotations; ``_printed_values*`` are the printed forms
    tools/printed_annotations.py adds for the end-to-end test, not the sample tool's."""
    t = tool()

    def own(sample: dict) -> dict:
        return {k: v for k, v in sample.items() if not k.startswith("_printed_values")}

    assert json.loads(json.dumps(t.typical(), ensure_ascii=False)) == own(TYPICAL)
    assert json.loads(json.dumps(t.edge(), ensure_ascii=False)) == own(EDGE)


@pytest.mark.parametrize("change,ok", [
    ({"hakko_kijitsu": None}, False),  # a rate without the day it applies from
    ({"yuko_kigen": None}, False),  # a 70–74 rate without its 有効期限
    ({"futan_wariai": None, "hakko_kijitsu": None}, True),  # 有効期限 alone: e.g. the end of a period of stay
    ({"futan_wariai": None, "hakko_kijitsu": None, "yuko_kigen": None}, True),  # under 70
])
def test_the_70_to_74_items_come_together(change, ok):
    p = copy.deepcopy(TYPICAL)
    p["members"][2].update(change)
    if ok:
        assert lgforms.render(FORM, p)[:4] == b"%PDF"
    else:
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.render(FORM, p)
        assert ei.value.code == "RULE_VIOLATED" and "$.members[2]" in json.dumps(ei.value.detail, ensure_ascii=False)


@pytest.mark.parametrize("panel", ["address", "back"])
def test_the_peel_instruction_names_the_free_edge(panel):
    """issue 9: the instruction said 「下端から」; both outer faces are folded along their left edge (the
    address face's top 8 mm is cut away) and open from the right."""
    prof = load_profile("pressure-seal-Z")
    m = prof.panel_to_front(panel)
    sw, sh = prof.sheet
    pw, ph = prof.panel_size
    edges = {"左端": (0, ph / 2), "右端": (pw, ph / 2), "上端": (pw / 2, 0), "下端": (pw / 2, ph)}
    hinge = [k for k, (x, y) in edges.items() if 0.01 < m(x, y)[0] < sw - 0.01 and 0.01 < m(x, y)[1] < sh - 0.01]
    assert hinge == ["左端"]
    face = flat(pypdf_pages(lgforms.render(FORM, TYPICAL))[PANELS.index(panel)])
    assert "右端から、圧着面をゆっくりはがしてご覧ください。" in face
    assert not any(f"{e}から" in face for e in ("左端", "上端", "下端"))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_card_backs_only_behind_cards(n):
    """Cards 1–2 are on the body (inner_2) with their backs on inner_4; cards 3–4 on inner_1 with their
    backs on the outer back face — at the same height, so each back is behind its card."""
    p = members(n)
    chars = pdf_chars(lgforms.render(FORM, p))
    by = dict(zip(PANELS, chars))
    for k in range(4):
        front, back = ("inner_2", "inner_4") if k < 2 else ("inner_1", "back")
        y = 62 * (k % 2)
        name = text_in_box(by[front], (26.2, 24.5 + y, 66.6, 8))  # the card's 氏名 cell
        note = text_in_box(by[back], (9, 20 + y, 82, 5))
        if k < n:
            assert flat(p["members"][k]["name"]).replace("\U000E0102", "") in flat(name).replace("\U000E0102", "")
            assert note == "ご注意"
        else:
            assert name == "" and note == "" and text_in_box(by[back], (5.2, 16 + y, 89.6, 58)) == ""


def test_the_contact_comes_from_the_tenant_profile():
    t = demo_profile().model_copy(deep=True)
    t.contacts["kokuho"] = "ひばり町役場 住民課 国保係　電話 0000-22-3333（架空）"
    for delivery in (None, "window-envelope"):
        text = flat("".join(pypdf_pages(lgforms.render(FORM, TYPICAL, tenant=t, delivery=delivery))))
        assert "ひばり町役場住民課国保係電話0000-22-3333（架空）" in text and "保険年金課" not in text
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, dict(TYPICAL, toiawase="電話 0000-99-9999"))
    assert "toiawase" in ei.value.message
    bare = demo_profile().model_copy(deep=True)
    del bare.contacts["kokuho"]
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(FORM, TYPICAL, tenant=bare)
    assert ei.value.code == "TENANT_DATA_MISSING" and "contacts.kokuho" in ei.value.message


@pytest.mark.parametrize("field", ["atena_postcode", "atena_address", "atena_name", "hokensha_no", "hokensha_name",
                                   "hakko_date", "members"])
def test_a_required_item_cannot_be_left_out(field):
    p = {k: v for k, v in TYPICAL.items() if k != field}
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert ei.value.code == "PAYLOAD_INVALID" and field in ei.value.message


@pytest.mark.parametrize("field", ["name", "birth_date", "kigo", "bango", "edaban", "shikaku_shutoku_date"])
def test_a_members_required_item_cannot_be_left_out(field):
    p = copy.deepcopy(TYPICAL)
    del p["members"][0][field]
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert field in ei.value.message and "members" in (ei.value.path or "")


def test_a_wrong_insurer_check_digit_is_refused():
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(FORM, dict(TYPICAL, hokensha_no="992011"))
    assert ei.value.path == "$.hokensha_no"


@pytest.mark.parametrize("sample", [TYPICAL, EDGE], ids=["typical", "edge"])
def test_both_deliveries_pass_the_postal_checks_with_the_shipped_profiles(sample):
    z = lgforms.render_result(FORM, sample, delivery="pressure-seal-Z", printer_profile="pressure-seal-Z",
                              imposition="sheets")
    assert z.pages == 2
    a4 = lgforms.render_result(FORM, sample, delivery="window-envelope", printer_profile="window-envelope",
                               imposition="sheets")
    n = len(sample["members"])
    assert a4.pages == n  # one sheet per insured person
    pages = [flat(t) for t in pypdf_pages(a4.data)]
    for k, m in enumerate(sample["members"]):
        assert flat(m["name"]) + "様の国民健康保険の資格情報をお知らせします。" in pages[k]
        assert pages[k].count(flat(NOT_ALONE)) == 2  # the letter and its card part
        assert flat(sample["atena_name"]) + "様" in pages[k] and f"{k + 1}/{n}" in pages[k]
