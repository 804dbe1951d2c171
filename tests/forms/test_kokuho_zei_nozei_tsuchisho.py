"""国民健康保険税 納税通知書: 医療分・後期高齢者支援金分・介護納付金分 with 所得割・均等割・平等割,
the 7・5・2割 and 未就学児 reductions, the 課税限度額, the instalments — every step checked."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "kokuho_zei_nozei_tsuchisho"
P = sample(FORM, "kokuho_4nin_2wari")
GENDO = sample(FORM, "kokuho_edge_9nin_gendo")


def test_required_items_by_their_labels():
    texts = rendered_pages(FORM, P)
    notice = "".join(texts[:2])
    assert not missing_labels(notice, [
        "令和7年度", "国民健康保険税", "納税通知書", "地方税法第703条の4", "みどり野市国民健康保険税条例", "世帯主（納税義務者）",
        "被保険者（4月1日現在）", "総所得金額等", "基準総所得金額", "介護分", "未就学児", "低所得世帯の軽減", "軽減判定所得",
        "2,370,000円", "2割", "地方税法第703条の5", "第703条の5の2", "税額の算定内訳", "医療分", "後期高齢者支援金分",
        "介護納付金分", "所得割", "税率", "均等割", "平等割", "軽減額", "算出額", "課税限度額", "660,000", "課税額",
        "年税額（各区分の課税額の合計）", "354,600", "納期限と各期の納付額", "第9期", "令和8年3月31日",
        "【納付について】", "【教示】", "問い合わせ先", "国保係"])
    assert len(texts) == 2 + 3  # notice on 2 sheets, 9 slips on 3
    assert sum(t.count("領収証書") for t in texts[2:]) == 9


def test_the_cap_and_the_households_head_outside_the_insurance():
    t = flat("".join(rendered_pages(FORM, GENDO)[:2]))
    assert "擬制世帯主" in t and "1,090,000" in t  # 660,000 + 260,000 + 170,000
    assert t.count("660,000") >= 2 and t.count("170,000") >= 2


def test_every_step_is_checked():
    def broken(change):
        return rules_broken(error_of(FORM, changed(P, change)))

    assert "keigen_wari" in broken(lambda p: p["keigen"].update(wari=5))
    assert broken(lambda p: p["members"][0].update(kijun_shotoku=1_600_000)) >= {"kijun_shotoku"}
    assert "shotokuwari" in broken(lambda p: p["santei"][0].update(shotokuwari=119_300))
    assert "keigen" in broken(lambda p: p["members"][3].update(mishugakuji=False))  # the child's 5割 is in the amounts
    assert "kazei" in broken(lambda p: p["santei"][1].update(kazei=75_000))
    assert "kubun" in broken(lambda p: p.update(santei=p["santei"][:2]))
    assert "hasu" in broken(lambda p: (p["kibetsu"][0].update(amount=39_000), p["kibetsu"][1].update(amount=42_600)))
    assert "nenzeigaku" in broken(lambda p: p.update(nenzeigaku=354_700))


def test_the_cap_is_applied():
    bad = changed(GENDO, lambda p: p["santei"][0].update(kazei=1_536_200))
    assert "kazei" in rules_broken(error_of(FORM, bad))


@pytest.mark.parametrize("field", ["members", "keigen", "santei", "nenzeigaku", "kibetsu", "atena_name"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_the_2026_child_support_part_is_not_accepted_yet():
    err = error_of(FORM, changed(P, lambda p: p["santei"][0].update(kubun="子ども・子育て支援納付金分")))
    assert err.code == "PAYLOAD_INVALID" and "santei[0].kubun" in (err.path or "")
