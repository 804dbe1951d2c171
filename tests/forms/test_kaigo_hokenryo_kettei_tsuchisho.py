"""介護保険料額決定通知書: the items by their labels, sections that print only when they apply and
take no space otherwise, the 条例 table from the tenant profile, the rules on the amounts."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

import lgforms
from lgforms.layout.boxes import TextLine

from pdfcheck import pypdf_pages

ROOT = Path(__file__).resolve().parents[2]
FORM = "kaigo_hokenryo_kettei_tsuchisho"
SAMPLES = ROOT / "forms/kaigo" / FORM / "samples"
DEMO = ROOT / "src/lgforms/tenants/demo"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text("utf-8"))


TOKUCHO, FUTSUCHO, HEICHO = sample("kaigo_tokucho"), sample("kaigo_futsucho_genmen_edge"), sample("kaigo_heicho")


def text(payload: dict, **kw) -> list[str]:
    return [t.replace("\u3000", " ") for t in pypdf_pages(lgforms.render(FORM, payload, **kw))]


def heading_y(payload: dict, heading: str) -> tuple[int, float]:
    """(page, top of the box) of the flow heading whose text is ``heading``."""
    doc = lgforms.layout(FORM, payload)
    for n, page in enumerate(doc.pages):
        for item in page.items:
            if isinstance(item, TextLine) and item.text == heading:
                return n, item.box[1]
    raise AssertionError(f"{heading} not laid out")


def test_notice_carries_its_items():
    page = text(TOKUCHO)[0]
    for label in ("介護保険料額決定通知書（兼特別徴収額決定通知書）", "介護保険法第129条", "みどり野市介護保険条例",
                  "被保険者番号", "氏名", "生年月日", "資格取得・喪失", "保険料の算定", "所得段階", "第7段階",
                  "基準額に対する割合", "1.3", "段階の内容", "本人の住民税", "世帯の住民税", "前年の合計所得金額",
                  "前年の課税年金収入額", "保険料基準額（年額）", "¥75,600", "段階の保険料（年額）", "¥98,280",
                  "賦課期間", "令和8年4月～令和9年3月（12か月）", "保険料額", "決定した保険料額と納め方",
                  "特別徴収（年金からの差引き）", "対象となる年金", "年金の支払者", "年金の支払月", "仮徴収", "本徴収",
                  "特別徴収額の合計", "【教示】", "東雲県介護保険審査会", "介護保険法第183条第1項",
                  "裁決を経た後でなければ", "問い合わせ先", "介護保険課", "みどり野市長"):
        assert label in page, label
    # the person's band is the 条例's: its wording comes from the tenant table
    assert "本人が住民税課税で、前年の合計所得金額が120万円以上210万円未満の人" in page


def test_tokucho_only_has_no_slips_and_no_futsucho_parts():
    pages = text(TOKUCHO)
    whole = "".join(pages)
    assert len(pages) == 2  # the notice and the 条例's 段階表 continue on a second sheet
    for absent in ("普通徴収（納期限と各期の納付額）", "納付について", "領収証書", "保険料の減免", "併徴", "納付書は次の用紙"):
        assert absent not in whole, absent


def test_futsucho_has_one_slip_per_instalment():
    pages = text(FUTSUCHO)
    slips = [p for p in pages if "領収証書" in p]
    n = len(FUTSUCHO["futsucho"]["kibetsu"])
    assert len(slips) == -(-n // 3)
    whole = "".join(slips)
    for ki in FUTSUCHO["futsucho"]["kibetsu"]:
        assert whole.count(f"令和8年度 {ki['kibetsu']}") == 3  # three parts of its slip
    assert "介護保険料（普通徴収）" in whole and "特別徴収（年金からの差引き）" not in "".join(pages)


def test_heicho_has_both_parts_and_says_why():
    page = text(HEICHO)[0]
    assert "（兼特別徴収額決定通知書・納入通知書）" in page
    assert "特別徴収（年金からの差引き）" in page and "普通徴収（納期限と各期の納付額）" in page
    assert "（併徴）" in page


def _without_tokucho(p: dict) -> dict:
    """The 併徴 sample paid wholly by 普通徴収 (the rules still hold)."""
    q = copy.deepcopy(p)
    moved = sum(m["amount"] for m in q.pop("tokucho")["tsuki"])
    q["futsucho"]["kibetsu"][0]["amount"] += moved
    q["futsucho"]["kibetsu"][0]["slip"].pop("cvs", None)
    return q


def _with_genmen(p: dict, gaku: int = 8000) -> dict:
    q = copy.deepcopy(p)
    q["genmen"] = {"gaku": gaku, "riyu": "災害により住宅に損害を受けたため"}
    q["hokenryo_gaku"] -= gaku
    q["tokucho"]["tsuki"][-1]["amount"] -= gaku
    return q


def test_an_absent_section_takes_no_space():
    # without 特別徴収 the 普通徴収 heading sits exactly where the 特別徴収 heading was
    assert heading_y(_without_tokucho(HEICHO), "普通徴収（納期限と各期の納付額）") == \
        heading_y(HEICHO, "特別徴収（年金からの差引き）")
    # without 減免 the next heading sits where the 減免 heading would be
    with_genmen = _with_genmen(TOKUCHO)
    assert heading_y(TOKUCHO, "決定した保険料額と納め方") == heading_y(with_genmen, "保険料の減免（介護保険法第142条）")
    page, y_with = heading_y(with_genmen, "決定した保険料額と納め方")
    assert y_with > heading_y(TOKUCHO, "決定した保険料額と納め方")[1]
    assert "減免の理由" in text(with_genmen)[0]


@pytest.mark.parametrize("drop", ["santei", "hihokensha", "hokenryo_gaku", "nendo", "tsuchisho_no", "atena_name"])
def test_a_required_item_cannot_be_left_out(drop):
    p = copy.deepcopy(TOKUCHO)
    del p[drop]
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID"


@pytest.mark.parametrize("drop", ["santei.dankai", "santei.tsukisu", "hihokensha.bango", "tokucho.nenkin"])
def test_a_required_inner_item_cannot_be_left_out(drop):
    p = copy.deepcopy(TOKUCHO)
    head, key = drop.split(".")
    del p[head][key]
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID"


def test_a_notice_without_any_way_of_paying_is_refused():
    p = copy.deepcopy(TOKUCHO)
    del p["tokucho"]
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID"


def test_amounts_must_add_up():
    p = copy.deepcopy(HEICHO)
    p["futsucho"]["kibetsu"][1]["amount"] += 100
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "RULE_VIOLATED" and [r["rule"] for r in e.value.detail["rules"]] == ["chosyu_sum"]
    p = copy.deepcopy(FUTSUCHO)
    p["genmen"]["gaku"] += 100
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert "kettei" in [r["rule"] for r in e.value.detail["rules"]]


def _profile(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((DEMO / "profile.yaml").read_text("utf-8"))
    change(data)
    shutil.copy(DEMO / "seal.png", tmp_path / "seal.png")
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_the_ordinance_table_is_the_tenant_s(tmp_path):
    # another municipality's table (its own 基準額 and wording) prints on the same form
    def own(d):
        t = d["tables"]["kaigo_hokenryo_dankai"]
        t["kijungaku"] = 80400
        t["dankai"][6]["taisho"] = "本人が市民税課税で合計所得金額120万円以上210万円未満（テスト市）"

    page = text(TOKUCHO, tenant=str(_profile(tmp_path, own)))[0]
    assert "¥80,400" in page and "（テスト市）" in page


def test_a_tenant_without_the_table_fails_clearly(tmp_path):
    profile = _profile(tmp_path, lambda d: d.pop("tables"))
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, TOKUCHO, tenant=str(profile))
    assert e.value.code == "TENANT_DATA_MISSING" and e.value.path == "tenant.tables.kaigo_hokenryo_dankai"


def test_a_table_that_breaks_its_schema_fails_clearly(tmp_path):
    profile = _profile(tmp_path, lambda d: d["tables"]["kaigo_hokenryo_dankai"].pop("kijungaku"))
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, TOKUCHO, tenant=str(profile))
    assert e.value.code == "TENANT_DATA_MISSING" and "kaigo_hokenryo_dankai" in e.value.message


def test_a_band_the_ordinance_lacks_is_an_error_not_a_blank():
    p = copy.deepcopy(TOKUCHO)
    p["santei"]["dankai"] = 20
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "TEMPLATE_ERROR" and e.value.path == "$.tenant.tables.kaigo_hokenryo_dankai.dankai"
