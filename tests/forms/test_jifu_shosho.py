"""児童扶養手当証書: the certificate face (番号, 受給者, 住所, 支給開始年月, 支給区分, 手当月額, 対象児童,
交付年月日, 支給機関 and 公印) over the fold, the 記録欄 under it; never for a 全部支給停止者."""

from __future__ import annotations

import copy
import io

import pytest
from pypdf import PdfReader

import lgforms

from welfare_forms import beside, in_order, payload_invalid, sample, text, without

FORM = "jifu_shosho"
TYPICAL = sample("jifu", FORM, "shosho_2nin")
EDGE = sample("jifu", FORM, "shosho_10nin_edge")


def test_face_items_and_record():
    t = text(FORM, TYPICAL)
    in_order(t, "児童扶養手当証書", "受給者氏名", "生年月日", "住所", "支給開始年月", "支給区分", "手当月額")
    assert "対象児童" in t
    in_order(t, "第 992011-25-0712 号", "齋藤　美咲", "平成元年9月18日", "若葉コーポ105号室", "令和7年9月", "全部支給", "57,720円",
             "齋藤　陽菜", "平成28年7月14日", "齋藤　湊", "交付年月日　令和7年10月3日", "みどり野市長　松葉　恵子")
    assert "記録欄" in t and "確認印" in t and "施行規則第13条" in t
    pdf = lgforms.render(FORM, TYPICAL)
    beside(pdf, [("受給者氏名", "齋藤　美咲"), ("支給区分", "全部支給"), ("手当月額", "57,720円")])
    images = [x for x in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()
              if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1  # the 公印


def test_ten_children_in_two_columns_and_printed_records():
    t = text(FORM, EDGE)
    in_order(t, "葛󠄂城　𠮷乃", "葛󠄂城　伍郎", "葛󠄂城　睦美", "葛󠄂城　十萌")
    in_order(t, "再交付（汚損による", "住所変更（市内転居）", "現況届受理")


def test_no_certificate_while_fully_suspended():
    p = copy.deepcopy(TYPICAL)
    p["shikyu_kubun"] = "全部停止"  # 施行規則 §16②: 全部支給停止者には証書を交付しない
    payload_invalid(FORM, p)


def test_at_most_ten_children():
    p = copy.deepcopy(EDGE)
    p["children"].append(p["children"][0])
    payload_invalid(FORM, p)


@pytest.mark.parametrize("field", ["shosho_no", "name", "birth_date", "address", "shikyu_kaishi", "shikyu_kubun",
                                   "getsugaku", "children", "kofu_date"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(TYPICAL, field))
