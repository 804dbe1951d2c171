"""Japan Post rules the postal checks enforce, as numbers, each with where it comes from.

Sources (checked for this release; see docs/forms.md "Mail" for the list and what is unconfirmed):

- 内国郵便約款 第22条 (私製葉書の規格及び様式), quoted by aaatoyo.com/sm/siseihagaki-kikaku2.htm:
  通常葉書 長辺 14–15.4 cm, 短辺 9–10.7 cm, 長方形, 2–6 g; 「郵便はがき」 or an equivalent on the
  upper part or the left part (landscape: the right part) of the address face, centred.
- 内国郵便約款 第24条 (quoted by japanmail.co.jp/blog/2015.html): an attachment must be a thin paper
  bonded over its whole surface — the legal basis of 圧着はがき (edge glue does not qualify).
- 郵便番号・バーコードマニュアル p05 (post.japanpost.jp/zipcode/zipmanual/p05.html): 郵便番号枠
  7 boxes in one row, hyphen between 3 and 4; top 12.0 mm, right 8.0 mm (±1.5 mm, measured from
  the inside of the frame lines); first 3 boxes and hyphen 0.4–0.6 mm, last 4 boxes 0.2–0.4 mm;
  朱色 or 金赤 without black or blue ink, density ≥ PCS 0.4. Box size 5.7 × 8.0 mm and the gaps
  1.3 / 1.9 / 1.1 mm come from webdesign-tokyo.net (secondary; the manual gives them as a figure).
- 料金別納 表示の方法 (post.japanpost.jp/fee/how_to_pay/separate_pay/syousai.html): circle
  Ø 2–3 cm, square 2–3 cm a side; two lines 1–2 mm apart for 送達余裕承諾; advertising in the lower
  half only; 差出事業所名 may be omitted when the sender's name and address are printed.
  Position top-left (portrait) / top-right (landscape): otayoripost.net, note.com/futo_kamibukuro
  (vendor pages, not Japan Post).
- 郵便番号・バーコードマニュアル p12/p13: customer barcode 8–11.5 pt; ≥ 2 mm clear on every side
  (in a window: 2 mm from the window frame whatever the insert's shift); with a horizontal address
  directly under the addressee's name; ≥ 10 mm from the edges and outside the 70 × 35 mm postmark
  area, except for 料金別納 (cash) / 料金後納 mail, where only the 10 mm edge margin applies.
- 窓付封筒 (post.japanpost.jp/zipcode/guideline/05.html): the address parallel to the window's long
  side; postcode, address and customer barcode must not hide behind the envelope when the insert
  moves; insert paper must not show text through from the back; window film ≤ 20 % opaque.
  Window ≥ 45 × 80 mm and at most one extra window ≤ 30 × 60 mm on its right: imura.co.jp (vendor).
"""

from __future__ import annotations

# 通常はがき (内国郵便約款 第22条)
POSTCARD_LONG_MM = (140.0, 154.0)
POSTCARD_SHORT_MM = (90.0, 107.0)
POSTCARD_WEIGHT_G = (2.0, 6.0)
POSTCARD_MARKS = ("郵便はがき", "POST CARD", "POSTCARD", "CARTE POSTALE")

# 郵便番号枠 (zipmanual p05; box size and gaps: webdesign-tokyo.net)
POSTCODE_TOP_MM = 12.0
POSTCODE_RIGHT_MM = 8.0
POSTCODE_TOLERANCE_MM = 1.5
POSTCODE_BOX_MM = (5.7, 8.0)
POSTCODE_GAPS_MM = (1.3, 1.3, 1.9, 1.1, 1.1, 1.1)  # between boxes 1-2, 2-3, 3-4, 4-5, 5-6, 6-7
POSTCODE_TOTAL_MM = 47.7
POSTCODE_LINE_FIRST_MM = (0.4, 0.6)  # first 3 boxes and the hyphen
POSTCODE_LINE_LAST_MM = (0.2, 0.4)  # last 4 boxes
POSTCODE_HYPHEN_FROM_TOP_MM = 4.0

# 料金別納 / 料金後納 (Japan Post 表示の方法)
INDICIA_SIZE_MM = (20.0, 30.0)
INDICIA_LINE_GAP_MM = (1.0, 2.0)
INDICIA_ZONE_MM = (35.0, 70.0)  # vendor figure (futo-kamibukuro): top-left 35 wide × 70 high (portrait)

# カスタマバーコード (zipmanual p12/p13)
BARCODE_CLEAR_MM = 2.0
BARCODE_EDGE_MM = 10.0
POSTMARK_AREA_MM = (35.0, 70.0)  # portrait: top-left 35 wide × 70 high; landscape: top-right 70 × 35

# 窓付封筒 (vendor: imura.co.jp)
WINDOW_MIN_MM = (80.0, 45.0)


def postcard_size_problem(w: float, h: float) -> str | None:
    """Why a finished size is not a 通常はがき, with the excess, or None."""
    long, short = max(w, h), min(w, h)
    out = []
    lo, hi = POSTCARD_LONG_MM
    if long < lo - 1e-6:
        out.append(f"long side {long:g} mm is {lo - long:.1f} mm under the minimum {lo:g} mm")
    elif long > hi + 1e-6:
        out.append(f"long side {long:g} mm is {long - hi:.1f} mm over the maximum {hi:g} mm")
    lo, hi = POSTCARD_SHORT_MM
    if short < lo - 1e-6:
        out.append(f"short side {short:g} mm is {lo - short:.1f} mm under the minimum {lo:g} mm")
    elif short > hi + 1e-6:
        out.append(f"short side {short:g} mm is {short - hi:.1f} mm over the maximum {hi:g} mm")
    return "; ".join(out) or None
