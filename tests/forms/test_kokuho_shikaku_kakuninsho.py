"""国民健康保険資格確認書: the card's items, one card per person (2 on the letter, 4 per sheet after); the
Z折り圧着はがき (variant pressure-seal-Z): the same cards, up to four persons per piece, each card's back
behind it."""

from __future__ import annotations

import copy

import pytest

import lgforms

from formtest import (
    assert_labels, assert_required, assert_same_bands, error_of, norm, page_texts, panel_chars,
    sample,
)
from pdfcheck import pdf_chars, pypdf_pages, text_in_box

FORM = "kokuho_shikaku_kakuninsho"
TYPICAL = sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_2nin")
EDGE = sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_edge_6nin")
EDGE_Z = sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_edge_hagaki_4nin")
Z = "pressure-seal-Z"
FRONT_BANDS = [6, 4.8, 5.4, 4.2, 6.6, 4.6, 4.2, 4.2, 4.2, 4.2, 5.6]  # title band, then the kokuho grid's rows
BACK_BANDS = [6.5, 23.5, 24]  # 注意事項 band, the notes, the 臓器提供意思表示欄


def a4_card(k: int) -> tuple[int, tuple[float, float]]:
    """(page, top-left of the face) of person k's card on A4: two on the letter, then four per sheet."""
    if k < 2:
        return 0, (19.4, 150 + 62 * k + 4)
    return 1 + (k - 2) // 4, (19.4, 16 + 68 * ((k - 2) % 4) + 4)


def z_card(k: int) -> tuple[str, str, tuple[float, float]]:
    """(panel of the face, panel of the back, top-left of both) of person k's card on the 圧着はがき:
    persons 1–2 on the body (inner_2, backs on inner_4), 3–4 on inner_1 (backs on the outer back face)."""
    front, back = ("inner_2", "inner_4") if k < 2 else ("inner_1", "back")
    return front, back, (7.2, 16 + 62 * (k % 2))


def household(n: int) -> dict:
    p = copy.deepcopy(EDGE_Z)
    p["members"] = p["members"][:n] if n <= 4 else copy.deepcopy(EDGE["members"][:n])
    return p
# the name cell of the card in slot 0 of the letter: block at (19.4, 150), grid at +10, row 2
NAME_CELL = (19.4 + 17, 150 + 10 + 4.8, 47, 5.4)


def test_card_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "国民健康保険資格確認書", "有効期限", "記号・番号", "氏名", "性別", "生年月日", "住所", "世帯主氏名",
        "資格取得年月日", "一部負担金の割合", "限度区分", "交付年月日", "保険者番号・名称", "注意事項",
        "臓器提供に関する意思表示欄", "問い合わせ先", "みどり野市"])


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hokensha_no", "kigo", "setainushi_name", "address", "kofu_date", "members",
                                    "members[0].bango", "members[0].edaban", "members[0].name",
                                    "members[0].birth_date", "members[0].futan_wariai", "members[0].yuko_kigen",
                                    "members[0].shikaku_shutoku_date"])


def test_hokensha_bango_check_digit():
    p = copy.deepcopy(TYPICAL)
    p["hokensha_no"] = "992017"
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.hokensha_no" and "検証番号" in e.message


def test_seventy_and_over_need_the_hakko_kijitsu():
    p = copy.deepcopy(TYPICAL)
    del p["members"][1]["hakko_kijitsu"]
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and e.path == "$.members[1].hakko_kijitsu"
    p = copy.deepcopy(TYPICAL)
    p["members"][0]["hakko_kijitsu"] = "2026-08-01"  # under 70: 法定負担割合のとおり, no 発効期日
    assert error_of(FORM, p).code == "RULE_VIOLATED"


def test_one_card_per_person_two_on_the_letter_four_per_sheet_after():
    pdf = lgforms.render(FORM, EDGE)
    pages = page_texts(pdf)
    assert len(pages) == 2
    edabans = [f"（枝番 {m['edaban']}）" for m in EDGE["members"]]
    assert [e in pages[0] for e in edabans] == [True, True, False, False, False, False]
    assert [e in pages[1] for e in edabans] == [False, False, True, True, True, True]
    assert "（4人分の資格確認書は次の用紙にあります。）" in pages[0]
    # every card carries its own 有効期限 (a person turning 70 gets an earlier one)
    assert "有効期限　令和9年2月28日" in pages[1]


def test_name_on_the_card_and_gendo_mark():
    pdf = lgforms.render(FORM, TYPICAL)
    page = pdf_chars(pdf)[0]
    assert text_in_box(page, NAME_CELL) == TYPICAL["members"][0]["name"].replace("\u3000", "　")
    # 限度区分 (row 8) of card 1: not applied for, so ＊; card 2 (62 mm lower) has its 区分
    gendo = (19.4 + 17, 150 + 10 + 34.0, 68.6, 4.2)
    assert text_in_box(page, gendo) == "＊"
    assert text_in_box(page, (gendo[0], gendo[1] + 62, gendo[2], gendo[3])) == "一般Ⅱ"
    text = page_texts(pdf)[0]
    assert "一般Ⅱ" in text and "2割　（発効期日 令和8年8月1日）" in text


def test_ivs_name_copies_out_exactly():
    pdf = lgforms.render(FORM, EDGE)
    assert "葛\U000E0102城　𠮷之助" in "".join(page_texts(pdf))


@pytest.mark.parametrize("payload", [TYPICAL, EDGE_Z], ids=["typical", "edge"])
def test_the_postcard_carries_each_a4_card_row_by_row(payload):
    """Every person's card on the 圧着はがき exactly as the A4 prints it (row by row), its back (注意事項,
    臓器提供意思表示欄) on the reverse of the same paper at the same place."""
    a4 = pdf_chars(lgforms.render(FORM, payload))
    z = panel_chars(FORM, payload, Z)
    for k, m in enumerate(payload["members"]):
        page, at = a4_card(k)
        front, back, zat = z_card(k)
        rows = assert_same_bands(a4[page], at, z[front], zat, 85.6, FRONT_BANDS)
        assert f"（枝番 {m['edaban']}）" in rows[1]
        assert norm(text_in_box(z[front], (zat[0] + 17, zat[1] + 6 + 4.8, 47, 5.4))) == norm(m["name"])
        assert "992016　みどり野市" in rows[-1]
        ura = assert_same_bands(a4[page], (at[0] + 85.6, at[1]), z[back], zat, 85.6, BACK_BANDS)
        assert ura[0] == "注意事項" and "臓器提供に関する意思表示欄" in ura[2]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_one_piece_per_household_of_up_to_four_backs_only_behind_cards(n):
    p = household(n)
    z = panel_chars(FORM, p, Z)
    text = {k: "".join(c[0] for c in v) for k, v in z.items()}
    for k in range(n):
        front, back, (x, y) = z_card(k)
        assert norm(text_in_box(z[front], (x + 17, y + 6 + 4.8, 47, 5.4))) == norm(p["members"][k]["name"])
        assert text_in_box(z[back], (x, y, 85.6, 6.5)) == "注意事項"
    # as many card faces and backs as persons, on the panels they belong to
    assert text["inner_2"].count("国民健康保険資格確認書有効期限") == min(n, 2)
    assert text["inner_1"].count("国民健康保険資格確認書有効期限") == max(n - 2, 0)
    assert text["inner_4"].count("臓器提供に関する意思表示欄") == min(n, 2)
    assert text["back"].count("臓器提供に関する意思表示欄") == max(n - 2, 0)
    # 1–2 persons: inner_1 tells how to use the cards and the back face how to open the piece
    assert ("資格確認書の使い方" in text["inner_1"]) == (n <= 2) and ("圧着はがきの開け方" in text["back"]) == (n <= 2)
    assert "右端から、圧着面をゆっくりはがしてご覧ください。" in text["back"]
    assert f"{n}枚" in text["inner_3"]
    # nothing personal on the outer back face, whatever it carries
    assert not any(norm(m["name"]) in norm(text["back"]) for m in p["members"]) and p["kigo"] not in text["back"]


def test_five_persons_are_refused_by_the_postcard_and_printed_on_a4():
    p = household(5)
    e = error_of(FORM, p, delivery=Z)
    assert e.code == "RULE_VIOLATED" and e.path == "$.members" and "4人分" in e.message
    assert len(page_texts(lgforms.render(FORM, p))) == 2


def test_the_edge_longest_name_and_address_fit_the_postcard():
    z = panel_chars(FORM, EDGE_Z, Z)
    longest = max(EDGE_Z["members"], key=lambda m: len(m["name"]))
    k = EDGE_Z["members"].index(longest)
    front, _, (x, y) = z_card(k)
    assert norm(text_in_box(z[front], (x + 17, y + 6 + 4.8, 47, 5.4))) == norm(longest["name"])
    # 住所 (row 4) of every card: the household's whole address
    for k in range(4):
        front, _, (x, y) = z_card(k)
        assert norm(text_in_box(z[front], (x + 17, y + 6 + 4.8 + 5.4 + 4.2, 68.6, 6.6))) == norm(EDGE_Z["address"])
    address = norm(pypdf_pages(lgforms.render(FORM, EDGE_Z, delivery=Z))[0])
    assert norm(EDGE_Z["atena_address"]) in address and norm(EDGE_Z["atena_katagaki"]) in address
