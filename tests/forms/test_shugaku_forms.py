"""就学 (issue 10): 就学通知書 and 就学援助 認定（否認定）通知書, each as an A4 window-envelope notice and as a
V折り圧着はがき (variant pressure-seal-V).

The catalog-wide end-to-end and golden tests render only a form's default delivery; here every sample
is rendered in both deliveries and every payload value is found on paper, the postcard passes the
postal checks (nothing personal outside, 郵便番号枠, mark, weight) with the peel instruction naming the
free edge of each outer face, the rules of the law are enforced (学齢 for a 新入学, the 認定期間 within
the 年度, the 教育扶助 items, 認定 vs 否認定), the 教示 names the 教育委員会, the narrow 教示 block says
what the shared one says, and the longest values fit or fail with a clear error."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

import lgforms
from lgforms.codes import comma, wareki
from lgforms.postal.profiles import load_profile

from formtest import assert_required, norm
from pdfcheck import pdftotext, pypdf_pages
from yamlboxes import leaves

ROOT = Path(__file__).resolve().parents[2]
TSUCHI = "shugaku_tsuchisho"
ENJO = "shugaku_enjo_nintei_tsuchisho"
FOLDER = {TSUCHI: ROOT / "forms/shugaku" / TSUCHI, ENJO: ROOT / "forms/shugaku" / ENJO}
SAMPLES = [(f, p.stem) for f in (TSUCHI, ENJO) for p in sorted((FOLDER[f] / "samples").glob("*.json"))]
V = "pressure-seal-V"
PANELS_V = ["address", "back", "inner_left", "inner_right"]  # the order of the panel pages


def sample(form_id: str, name: str) -> dict:
    return json.loads((FOLDER[form_id] / "samples" / f"{name}.json").read_text("utf-8"))


def flat(s: str) -> str:
    return re.sub(r"[\s\u3000]+", "", s)


def renderings(value) -> list[str]:
    out = [str(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        out.append(comma(value))
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$|^(明治|大正|昭和|平成|令和)", value):
        try:
            out.append(wareki(value))
        except lgforms.ValueInvalid:  # 令和8年度 is not a date
            pass
    return out


def rule_error(form_id: str, payload: dict, rule: str, **kw) -> None:
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(form_id, payload, **kw)
    assert ei.value.code == "RULE_VIOLATED", (ei.value.code, ei.value.message)
    assert rule in [r["rule"] for r in ei.value.detail["rules"]], ei.value.detail


@pytest.mark.parametrize("delivery", [None, V])
@pytest.mark.parametrize("form_id,name", SAMPLES, ids=[f"{f}/{n}" for f, n in SAMPLES])
def test_every_value_is_printed_in_both_deliveries(form_id, name, delivery):
    payload = sample(form_id, name)
    pdf = lgforms.render(form_id, payload, delivery=delivery) if delivery else lgforms.render(form_id, payload)
    a = flat("".join(pypdf_pages(pdf)))
    b = flat(pdftotext(pdf, "-raw"))
    notes = payload.get("_printed", {})
    missing = []
    for path, value in leaves(payload):
        cands = [notes[path]] if path in notes else renderings(value)
        if not any(flat(c) in a for c in cands) or not any(flat(c) in b for c in cands):
            missing.append((path, cands[-1]))
    assert not missing, missing


@pytest.mark.parametrize("form_id,name", SAMPLES, ids=[f"{f}/{n}" for f, n in SAMPLES])
def test_the_postcard_keeps_personal_data_inside(form_id, name):
    """The postal checks pass (panels and imposed sheets); the back face carries no payload value and
    the address face none but the 宛名."""
    payload = sample(form_id, name)
    res = lgforms.render_result(form_id, payload, delivery=V)
    assert res.pages == 4
    sheets = lgforms.render_result(form_id, payload, delivery=V, imposition="sheets")
    assert sheets.pages == 2  # the front and the back of one A5 sheet
    pages = dict(zip(PANELS_V, (flat(t) for t in pypdf_pages(res.data))))
    atena = {"atena_postcode", "atena_address", "atena_katagaki", "atena_name"}
    shown = flat("".join(str(payload.get(k) or "") for k in ("atena_address", "atena_katagaki", "atena_name")))
    words = {"kekka", "nintei_kubun", "nyugaku_kubun", "child_sex", "himoku", "shurui", "nendo"}  # the form's own words
    for path, value in leaves(payload):
        key = re.findall(r"\w+", path)[-1]
        if not isinstance(value, str) or len(flat(value)) < 2 or key in words:
            continue
        assert flat(value) not in pages["back"], path
        # the child's address is the 宛名's; a child's name may be part of the parent's
        if path.split(".")[1].split("[")[0] not in atena and flat(value) not in shown:
            assert flat(value) not in pages["address"], path


@pytest.mark.parametrize("form_id", [TSUCHI, ENJO])
def test_peel_instructions_name_the_free_edge(form_id):
    """V fold: the address face is folded along its left edge, the back face along its right edge."""
    prof = load_profile(V)
    sw, sh = prof.sheet
    pw, ph = prof.panel_size
    edges = {"左端": (0, ph / 2), "右端": (pw, ph / 2), "上端": (pw / 2, 0), "下端": (pw / 2, ph)}
    free = {}
    for panel in ("address", "back"):
        m = prof.panel_to_front(panel)
        hinge = [k for k, (x, y) in edges.items() if 0.01 < m(x, y)[0] < sw - 0.01 and 0.01 < m(x, y)[1] < sh - 0.01]
        assert len(hinge) == 1
        free[panel] = {"左端": "右端", "右端": "左端"}[hinge[0]]
    name = next(n for f, n in SAMPLES if f == form_id)
    pages = dict(zip(PANELS_V, (flat(t) for t in pypdf_pages(lgforms.render(form_id, sample(form_id, name), delivery=V)))))
    for panel in ("address", "back"):
        assert f"{free[panel]}から、圧着面をゆっくりはがしてご覧ください。" in pages[panel], panel
        other = {"左端": "右端", "右端": "左端"}[free[panel]]
        assert f"{other}から" not in pages[panel], panel


# the postcard 教示 (block hagaki_kyoji) is compared with block kyoji in tests/forms/test_hagaki_blocks.py


# ------------------------------------------------------------------ 就学通知書


def test_tsuchisho_items_and_procedures():
    p = sample(TSUCHI, "tsuchisho_shinnyugaku")
    for delivery in (None, V):
        pdf = lgforms.render(TSUCHI, p, delivery=delivery) if delivery else lgforms.render(TSUCHI, p)
        t = flat("".join(pypdf_pages(pdf)))
        assert "就学通知書" in t and "入学期日" in t
        assert flat("学校教育法施行令第５条の規定により、次のとおり入学期日及び就学すべき小学校を通知します。") in t
        assert "第1学年（新入学）" in t and "性別" in t and "生年月日" in t
        # 学校教育法施行規則 §32②: the notice says the designated school may be changed (令 §8); 令 §9
        assert flat("教育委員会に申し立てて、就学する学校の変更を受けることができます（学校教育法施行令第８条）") in t
        assert flat("申立ては、令和9年2月10日までにしてください。") in t
        assert flat("みどり野市立以外の学校（国立・私立の学校、他の市区町村立の学校など）") in t
        assert "みどり野市教育委員会教育長" in t and "石川和子" in t and "（公印省略）" in t
        assert "みどり野市教育委員会学務課" in t  # contacts.gakumu
        # the designation is the 教育委員会's 処分 (文部科学省 中教審 資料8-1): 審査請求 to it, the municipality sued
        assert "【教示】" in t and "みどり野市教育委員会に対して審査請求をすることができます" in t
        assert "訴訟においてみどり野市を代表する者はみどり野市教育委員会となります" in t
    e = sample(TSUCHI, "tsuchisho_edge_tennyu")
    t = flat("".join(pypdf_pages(lgforms.render(TSUCHI, e))))
    assert flat("学校教育法施行令第６条において準用する同令第５条の規定により") in t and "義務教育学校を通知します" in t


@pytest.mark.parametrize("birth,ok", [
    ("2020-04-01", False),  # 6 on 2026-03-31: entered in April 2026
    ("2020-04-02", True),  # the first of the cohort entering in April 2027
    ("令和3年4月1日", True),  # the last (早生まれ)
    ("2021-04-02", False),  # a year too young
])
def test_a_new_pupil_is_of_school_age(birth, ok):
    """学校教育法 §17①: 小学校 from the first school year after the day after the 6th birthday."""
    p = sample(TSUCHI, "tsuchisho_shinnyugaku")
    p["child_birth_date"] = birth
    if ok:
        assert lgforms.render(TSUCHI, p)[:4] == b"%PDF"
    else:
        rule_error(TSUCHI, p, "shinnyugaku_nenrei")


def test_a_new_pupil_of_chugakko_is_twelve():
    p = sample(TSUCHI, "tsuchisho_shinnyugaku")
    p["school"].update(shurui="中学校", name="みどり野市立青葉中学校")
    rule_error(TSUCHI, p, "shinnyugaku_nenrei")  # born 2020: not 12
    p["child_birth_date"] = "2014-04-02"
    assert lgforms.render(TSUCHI, p)[:4] == b"%PDF"


@pytest.mark.parametrize("change,rule", [
    ({"gakunen": 2}, "shinnyugaku_gakunen"),
    ({"nyugaku_kijitsu": "令和9年5月1日"}, "shinnyugaku_shigatsu"),
    ({"hakko_date": "令和9年4月2日"}, "tsuchi_mae"),
    ({"moshitate_kigen": "令和9年4月10日"}, "moshitate_kigen"),
    ({"nyugaku_kubun": "転入学", "gakunen": 7}, "gakunen_range"),
])
def test_tsuchisho_rules(change, rule):
    p = sample(TSUCHI, "tsuchisho_shinnyugaku")
    p.update(change)
    rule_error(TSUCHI, p, rule)


def test_tsuchisho_required_items():
    assert_required(TSUCHI, sample(TSUCHI, "tsuchisho_shinnyugaku"),
                    ["nyugaku_kijitsu", "school.name", "school.address", "child_name", "child_birth_date", "child_sex",
                     "child_address", "hakko_date", "atena_name"])


# ------------------------------------------------------------------ 就学援助


def test_nintei_prints_the_grant_and_the_kyoji():
    p = sample(ENJO, "enjo_nintei_2nin")
    for delivery in (None, V):
        pdf = lgforms.render(ENJO, p, delivery=delivery) if delivery else lgforms.render(ENJO, p)
        t = flat("".join(pypdf_pages(pdf)))
        assert "令和8年度就学援助認定通知書" in t
        assert flat("次のとおり認定したので通知します。") in t
        assert "認定（準要保護）" in t and "認定期間" in t and "令和8年4月1日から令和9年3月31日まで" in t
        for label in ("援助費目", "支給方法", "対象児童生徒", "【教示】"):
            assert label in t, label
        # 審査請求 to the 教育委員会 itself; the municipality sued, represented by the 教育委員会
        assert "みどり野市教育委員会に対して審査請求をすることができます" in t
        assert "訴訟においてみどり野市を代表する者はみどり野市教育委員会となります" in t
        assert "否認定の理由" not in t
    # amounts not stated print 「―」 (paid at cost), never a blank cell
    t = pdftotext(lgforms.render(ENJO, p), "-layout")
    row = next(ln for ln in t.splitlines() if "学校給食費" in ln and "毎月" in ln)
    assert "―" in row


def test_hinintei_prints_the_reason_and_the_kyoji():
    p = sample(ENJO, "hinintei_1nin")
    for delivery in (None, V):
        pdf = lgforms.render(ENJO, p, delivery=delivery) if delivery else lgforms.render(ENJO, p)
        t = flat("".join(pypdf_pages(pdf)))
        assert "令和8年度就学援助否認定通知書" in t and "否認定の理由" in t
        assert flat("次の理由により認定しないことに決定したので通知します。") in t
        assert "【教示】" in t and "みどり野市教育委員会に対して審査請求" in t
        assert "援助費目" not in t and "支給方法" not in t and "認定期間" not in t


def test_yohogo_prints_the_kyoiku_fujo_note():
    p = sample(ENJO, "enjo_nintei_2nin")
    p["nintei_kubun"] = "要保護"
    rule_error(ENJO, p, "yohogo_kyoiku_fujo")  # 学用品費 and 通学用品費, 学校給食費 come from the 教育扶助
    p["himoku"] = [{"himoku": "修学旅行費", "kingaku": 21190, "jiki": "実施後"}, {"himoku": "医療費", "biko": "学校病の治療のみ（医療券）"}]
    t = flat("".join(pypdf_pages(lgforms.render(ENJO, p))))
    assert flat("要保護者（生活保護法第６条第２項に規定する要保護者）") in t
    assert flat("要保護の方の学用品費・通学用品費・学校給食費などは、生活保護の教育扶助で支給されます。") in t


@pytest.mark.parametrize("name,change,rule", [
    ("enjo_nintei_2nin", {"himoku": None}, "nintei_komoku"),
    ("enjo_nintei_2nin", {"hinintei_riyu": "所得超過"}, "nintei_komoku"),
    ("hinintei_1nin", {"hinintei_riyu": None}, "hinintei_komoku"),
    ("hinintei_1nin", {"nintei_kubun": "準要保護"}, "hinintei_komoku"),
    ("enjo_nintei_2nin", {"nintei_kikan": {"start": "令和8年4月1日", "end": "令和9年4月30日"}}, "kikan_nendo"),
    ("enjo_nintei_2nin", {"nintei_kikan": {"start": "令和8年3月1日", "end": "令和9年3月31日"}}, "kikan_nendo"),
    ("enjo_nintei_2nin", {"nintei_kikan": {"start": "令和8年10月1日", "end": "令和8年9月30日"}}, "kikan_jun"),
    ("enjo_nintei_2nin", {"shinsei_date": "令和8年6月1日"}, "shinsei_mae"),
    ("enjo_nintei_2nin", {"children": [{"name": "髙橋　結衣", "school": "みどり野市立青葉小学校", "gakunen": 3}]}, "shinnyugaku"),
])
def test_enjo_rules(name, change, rule):
    p = sample(ENJO, name)
    p.update(copy.deepcopy(change))
    rule_error(ENJO, p, rule)


def test_himoku_are_unique():
    p = sample(ENJO, "enjo_nintei_2nin")
    p["himoku"].append({"himoku": "学用品費", "kingaku": 100})
    rule_error(ENJO, p, "himoku_unique")


def test_the_nendo_of_reiwa_gannen():
    """令和元年度 (2019-04-01 … 2020-03-31): 元 counts as 1."""
    p = sample(ENJO, "enjo_nintei_2nin")
    p.update(nendo="令和元年度", shinsei_date="2019-05-10", hakko_date="2019-05-31",
             nintei_kikan={"start": "2019-05-01", "end": "2020-03-31"})
    assert lgforms.render(ENJO, p)[:4] == b"%PDF"
    p["nintei_kikan"]["end"] = "2020-04-01"
    rule_error(ENJO, p, "kikan_nendo")


def test_enjo_required_items():
    assert_required(ENJO, sample(ENJO, "enjo_nintei_2nin"),
                    ["kekka", "nendo", "shinsei_date", "children", "children[0].school", "children[0].gakunen", "hakko_date"])


# ------------------------------------------------------------------ the longest values


def _longest(form_id: str, name: str) -> dict:
    """The sample with every free-text string at its schema maxLength (codes and dates as they are)."""
    schema = json.loads((FOLDER[form_id] / "schema.json").read_text("utf-8"))
    p = sample(form_id, name)

    def walk(obj: dict, node: dict) -> None:
        for k, sub in (node.get("properties") or {}).items():
            if k not in obj or obj[k] is None:
                continue
            if isinstance(obj[k], str) and sub.get("maxLength") and "pattern" not in sub:
                base = flat(obj[k]) or "あ"
                obj[k] = (base * (sub["maxLength"] // len(base) + 1))[:sub["maxLength"]]
            elif isinstance(obj[k], dict):
                walk(obj[k], sub)
            elif isinstance(obj[k], list) and isinstance(sub.get("items"), dict):
                for it in obj[k]:
                    if isinstance(it, dict):
                        walk(it, sub["items"])

    walk(p, schema)
    return p


@pytest.mark.parametrize("form_id,name", SAMPLES, ids=[f"{f}/{n}" for f, n in SAMPLES])
def test_the_longest_values_fit_the_a4_notice(form_id, name):
    assert lgforms.render(form_id, _longest(form_id, name))[:4] == b"%PDF"


@pytest.mark.parametrize("form_id,name", [(TSUCHI, "tsuchisho_edge_tennyu"), (TSUCHI, "tsuchisho_shinnyugaku"),
                                          (ENJO, "enjo_nintei_2nin"), (ENJO, "hinintei_1nin")])
def test_the_longest_values_fit_the_postcard_but_its_address_holds_20_characters(form_id, name):
    p = _longest(form_id, name)
    e = None
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(form_id, p, delivery=V)
    e = ei.value
    assert e.code == "TEXT_OVERFLOW" and e.path == "$.atena_name"  # 24 characters: the A4 window takes them
    p["atena_name"] = p["atena_name"][:20]
    assert lgforms.render(form_id, p, delivery=V)[:4] == b"%PDF"


def test_a_household_too_large_for_one_postcard_is_refused():
    """6 children and 12 援助費目 with the longest notes do not fit one mailpiece: a clear error, never a
    dropped row — the A4 notice takes them."""
    p = _longest(ENJO, "enjo_edge_6nin")
    p["atena_name"] = p["atena_name"][:20]
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(ENJO, p, delivery=V)
    assert ei.value.code == "POSTAL_CONSTRAINT" and "second page" in ei.value.message
    assert lgforms.render_result(ENJO, p).pages == 2


def test_the_samples_are_consistent_dates():
    """The typical 就学通知書 goes out by 1月31日 for 4月1日 (令 §5①: two months before the school year)."""
    p = sample(TSUCHI, "tsuchisho_shinnyugaku")
    from lgforms.codes.wareki import to_date

    assert to_date(p["hakko_date"]) <= dt.date(to_date(p["nyugaku_kijitsu"]).year, 1, 31)
