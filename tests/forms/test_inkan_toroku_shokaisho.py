"""印鑑登録照会書（兼回答書）: the inquiry (申請日, by whom, 回答期限, what to bring, what happens without a
reply, 問い合わせ先, the 印鑑条例 from the tenant) and the 回答書 to bring back (applicant printed, 自署,
the seal box, 代理人選任), the 宛名 within a 長3 window, dates in order."""

from __future__ import annotations

import pytest

import lgforms

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "inkan_toroku_shokaisho"
P = sample(FORM, "shokai_honnin")
EDGE = sample(FORM, "shokai_edge_dairi")


def test_inquiry_and_reply_by_their_labels():
    (text,) = rendered_pages(FORM, P)
    t = flat(text)
    assert not missing_labels(text, [
        "〒987-6543", "髙橋　彩花　様", "照会番号　2026-00123", "みどり野市長　松葉　恵子", "（公印省略）", "印鑑登録照会書",
        "令和8年11月20日に、あなたから印鑑登録の申請がありました", "みどり野市印鑑条例の規定により照会します", "申請日", "回答期限",
        "令和8年12月10日まで", "本人確認書類", "申請はなかったものとして取り扱います", "心当たりがないときは", "問い合わせ先",
        "みどり野市役所 市民課", "印鑑登録照会に対する回答書", "（宛先）みどり野市長",
        "令和8年11月20日にした印鑑登録の申請は、私の意思に基づくものに相違ありません。", "登録する印鑑", "自署", "昭和62年1月20日",
        "代理人選任", "代理人の住所", "代理人の氏名", "窓口使用欄", "登録番号"])
    assert "代理人（" not in t  # applied in person


def test_an_agent_s_application_says_so():
    (text,) = rendered_pages(FORM, EDGE)
    assert "あなたの代理人（WILLIAMSON-MONTGOMERY ALEXANDR　様）から印鑑登録の申請がありました" in flat(text)


def test_the_atena_stays_in_the_window_of_a_nagasan_envelope():
    for p in (P, EDGE):
        assert lgforms.render(FORM, p, delivery="window-envelope")[:4] == b"%PDF"


@pytest.mark.parametrize("field", ["atena_postcode", "atena_address", "atena_name", "birth_date", "shinsei_date",
                                   "kaito_kigen", "hakko_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


@pytest.mark.parametrize("change", [lambda p: p.update(kaito_kigen="2026-11-20"),    # no time to reply
                                    lambda p: p.update(shinsei_date="2026-11-21")])  # inquiry before the application
def test_dates_in_order(change):
    assert "dates" in rules_broken(error_of(FORM, changed(P, change)))


@pytest.mark.parametrize("key", ["toiawase", "issuer", "honbun"])
def test_the_municipality_s_text_is_not_a_payload_field(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
