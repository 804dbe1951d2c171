"""投票所入場券（兼期日前投票宣誓書）: the ticket's items and the 宣誓書's by their labels, exactly the
lawful grounds of 公職選挙法 §48の2① and the sworn-true sentence of 施行令 §49の8, one 宣誓書 behind
each ticket and none behind an empty slot, room to write, 差出人 and 問い合わせ from the tenant profile,
and both deliveries (V-fold 圧着はがき, A4 window envelope) through the postal checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import lgforms
from lgforms.postal.profiles import load_profile
from lgforms.tenants.profile import demo_profile

from pdfcheck import pdf_chars, pdftotext, pypdf_pages, text_in_box

FORM = "senkyo_nyujoken_atchaku"
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/senkyo" / FORM / "samples"
TYPICAL = json.loads((SAMPLES / "nyujoken_3nin.json").read_text("utf-8"))
EDGE = json.loads((SAMPLES / "nyujoken_edge_long.json").read_text("utf-8"))
PITCH = 44.9  # slot k of the back face is the reverse of ticket k
GROUNDS = [  # 公職選挙法 §48の2① 一〜六, in the law's order
    "１　仕事（職務・業務）又は冠婚葬祭の主宰など総務省令で定める用務に従事する",
    "２　用務（１以外）又は事故のため、投票区の区域外に旅行又は滞在をする",
    "３　病気、負傷、妊娠、出産後、老衰又は身体の障害のため歩行が困難である、又は刑事施設等に収容されている",
    "４　交通至難の島その他総務省令で定める地域に居住又は滞在をしている",
    "５　住所を移したため、投票区のある市区町村の区域外に居住している",
    "６　天災又は悪天候により投票所に行くことが困難である",
]
SWORN = "この申立ては真正であることを誓います。"


def flat(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "").replace("\n", "")


def voters(n: int) -> dict:
    p = copy.deepcopy(TYPICAL)
    p["voters"] = p["voters"][:n]
    return p


def test_the_ticket_and_the_declaration_by_their_labels():
    pages = [flat(t) for t in pypdf_pages(lgforms.render(FORM, TYPICAL))]
    assert len(pages) == 4  # address, back, inner_left, inner_right
    address, back, guide, tickets = pages
    for label in ("投票所入場券", "氏名", "投票区", "名簿番号", "投票所", "投票日時"):
        assert label in tickets, label
    for v in TYPICAL["voters"]:
        assert v["name"].replace("\u3000", "") + "様" in tickets and v["meibo_no"] in tickets
    assert "期日前投票宣誓書" in back and "宣誓日令和年月日" in back and "生年月日" in back and "氏名" in back
    assert "執行のみどり野市長選挙の当日、私は次の事由（該当する番号を○で囲んでください）に該当すると見込まれます。" in back
    assert back.count(flat(SWORN)) == 3
    for g in GROUNDS:
        assert back.count(flat(g)) == 3, g
    # no catch-all 「その他（　）」: not a lawful ground (the only その他 is 四号's 「島その他…地域」)
    assert back.count("その他") == back.count("島その他総務省令で定める地域") == 3 and "その他（" not in back
    assert "郵便はがき" in address and "投票所入場券在中" in address
    assert "投票日" in guide and "期日前投票" in guide


def test_exactly_the_six_grounds_in_the_laws_order():
    """Each 宣誓書 lists 一〜六 of §48の2① once, in order, and nothing else with a number."""
    text = pdftotext(lgforms.render(FORM, voters(1)), "-f", "2", "-l", "2", "-raw").replace(" ", "")
    lines = [ln for ln in text.splitlines() if ln and ln[0] in "１２３４５６７８９1234567890"]
    numbers = [ln[0] for ln in lines]
    assert numbers == ["１", "２", "３", "４", "５", "６"], lines


@pytest.mark.parametrize("n", [1, 2, 3])
def test_one_declaration_behind_each_ticket_and_none_behind_an_empty_slot(n):
    p = voters(n)
    # the panels: slot k of the back face and ticket k of the inner face
    chars = pdf_chars(lgforms.render(FORM, p))
    back, tickets = chars[1], chars[3]
    for k in range(3):
        y = PITCH * k
        title = text_in_box(back, (5, 15.6 + y, 95, 5))
        name = text_in_box(tickets, (28, 16 + y, 72, 12))
        if k < n:
            assert title == "期日前投票宣誓書" and p["voters"][k]["name"] in name
            assert text_in_box(back, (3, 48.8 + y, 14, 7.8)) == "氏名"
        else:
            assert title == "" and text_in_box(back, (0, 13.2 + y, 105, PITCH)) == ""
            assert name == "" and (k > n or "以下余白" in text_in_box(tickets, (5, 16 + y, 95, 39)))
    # on the imposed sheet the 宣誓書 k is the reverse of ticket k: same height, mirrored side
    sheet = pdf_chars(lgforms.render(FORM, p, imposition="sheets"))
    front, reverse = sheet
    for k in range(n):
        y = PITCH * k
        assert text_in_box(front, (5, 15.6 + y, 95, 5)) == "期日前投票宣誓書"  # back panel: front side, left
        assert p["voters"][k]["name"] in text_in_box(reverse, (105 + 28, 16 + y, 72, 12))  # behind it


def test_the_signature_row_has_room_to_write():
    """issue 9: the 氏名 row of the 宣誓書 was about 3 mm high."""
    from lgforms.spec.catalog import default_catalog

    form = default_catalog().get(FORM)
    for f in (form, form.for_delivery("window-envelope")):
        cells = [pc for cp in f.pages if cp.spec.id.startswith("sensei") for el in cp.slot if el.spec.kind == "grid"
                 for pc in el.extra["cells"]]
        name = next(pc for pc in cells if pc.cell.label == "氏名")
        write_in = next(pc for pc in cells if pc.cell.label == "" and abs(pc.y - name.y) < 0.01)
        assert name.h >= 7.5 and write_in.w >= 40, (f.delivery, name.h, write_in.w)


def test_sender_and_contact_come_from_the_tenant_profile():
    t = demo_profile().model_copy(deep=True)
    t.issuers["senkyo"] = t.issuers["senkyo"].model_copy(update={"title": "ひばり町選挙管理委員会委員長", "name": "森　次郎"})
    t.contacts["senkyo"] = "ひばり町選挙管理委員会　電話 0000-11-2222（架空）"
    for delivery in (None, "window-envelope"):
        text = flat(pdftotext(lgforms.render(FORM, TYPICAL, tenant=t, delivery=delivery), "-raw"))
        assert "差出人ひばり町選挙管理委員会委員長森次郎" in text
        assert "ひばり町選挙管理委員会電話0000-11-2222（架空）" in text
        assert "青木" not in text
    # never from the payload
    for field, value in (("sender", "偽の選挙管理委員会"), ("toiawase", "電話 0000-99-9999")):
        with pytest.raises(lgforms.PayloadInvalid) as ei:
            lgforms.render(FORM, dict(TYPICAL, **{field: value}))
        assert field in ei.value.message
    # a profile without them is an error, never a blank 差出人
    bare = demo_profile().model_copy(deep=True)
    del bare.issuers["senkyo"]
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(FORM, TYPICAL, tenant=bare)
    assert ei.value.code == "TENANT_DATA_MISSING" and "issuers.senkyo" in ei.value.message


@pytest.mark.parametrize("field", ["atena_postcode", "atena_address", "atena_name", "election_name", "election_date",
                                   "voting_hours", "voters", "early_voting_info"])
def test_a_required_item_cannot_be_left_out(field):
    p = {k: v for k, v in TYPICAL.items() if k != field}
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert ei.value.code == "PAYLOAD_INVALID" and field in ei.value.message


@pytest.mark.parametrize("field", ["name", "tohyoku", "meibo_no", "tohyojo"])
def test_a_voters_required_item_cannot_be_left_out(field):
    p = copy.deepcopy(TYPICAL)
    del p["voters"][1][field]
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert field in ei.value.message and "voters" in (ei.value.path or "")


def test_four_voters_need_a_second_mailpiece():
    p = copy.deepcopy(TYPICAL)
    p["voters"].append(dict(p["voters"][0], meibo_no="12-034-08"))
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert ei.value.path == "$.voters"


@pytest.mark.parametrize("sample", [TYPICAL, EDGE], ids=["typical", "edge"])
def test_both_deliveries_pass_the_postal_checks_with_the_shipped_profiles(sample):
    v = lgforms.render_result(FORM, sample, delivery="pressure-seal-V", printer_profile="pressure-seal-V",
                              imposition="sheets")
    assert v.pages == 2
    a4 = lgforms.render_result(FORM, sample, delivery="window-envelope", printer_profile="window-envelope",
                               imposition="sheets")
    assert a4.pages == 2  # the letter with the tickets, and the 宣誓書 on its reverse
    text = flat("".join(pypdf_pages(a4.data)))  # in drawing order: a wrapped ground stays together
    for g in GROUNDS:
        assert text.count(flat(g)) == len(sample["voters"])
    assert "その他（" not in text


def test_the_a4_declarations_are_behind_their_tickets():
    """Long-edge duplex mirrors left and right: ticket k at x 5 + 66k is behind 宣誓書 k at 141 − 66k."""
    for n in (1, 3):
        p = voters(n)
        front, reverse = pdf_chars(lgforms.render(FORM, p, delivery="window-envelope"))
        for k in range(3):
            ticket = text_in_box(front, (7 + 66 * k, 218, 62, 14))
            sensei = text_in_box(reverse, (143 - 66 * k, 204.5, 58, 6))
            if k < n:
                assert p["voters"][k]["name"] in ticket and sensei == "期日前投票宣誓書"
            else:
                assert ticket == "" and sensei == ""
    # without the 宣誓書 the letter is one page
    assert lgforms.render_result(FORM, dict(TYPICAL, kijitsuzen_sensei=False), delivery="window-envelope").pages == 1


@pytest.mark.parametrize("profile", ["pressure-seal-V"])
def test_the_peel_instruction_names_the_free_edge(profile):
    """The address face opens from the edge opposite its fold (issue 9: a wrong edge was named)."""
    prof = load_profile(profile)
    m = prof.panel_to_front("address")
    sw, sh = prof.sheet
    pw, ph = prof.panel_size
    edges = {"左端": (0, ph / 2), "右端": (pw, ph / 2), "上端": (pw / 2, 0), "下端": (pw / 2, ph)}
    hinge = [k for k, (x, y) in edges.items() if 0.01 < m(x, y)[0] < sw - 0.01 and 0.01 < m(x, y)[1] < sh - 0.01]
    assert hinge == ["左端"]
    address = flat(pypdf_pages(lgforms.render(FORM, TYPICAL))[0])
    assert "右端から、圧着面をゆっくりはがしてご覧ください。" in address
    assert not any(f"{e}から" in address for e in ("左端", "上端", "下端"))


@pytest.mark.parametrize("delivery", [None, "window-envelope"])
def test_without_the_declaration_nothing_points_to_it(delivery):
    """kijitsuzen_sensei: false — the back face is 選挙のお知らせ (V fold) or there is no page 2 (A4), and
    no text tells the voter to fill in a 宣誓書 on the ticket's reverse."""
    text = flat(pdftotext(lgforms.render(FORM, dict(TYPICAL, kijitsuzen_sensei=False), delivery=delivery), "-raw"))
    assert "期日前投票宣誓書" not in text and "裏面の宣誓書" not in text and "裏面は" not in text
    assert "期日前投票所に備え付けの宣誓書" in text
    with_ = flat(pdftotext(lgforms.render(FORM, TYPICAL, delivery=delivery), "-raw"))
    assert "入場券の裏面の宣誓書に記入してお持ちください" in with_
