"""The layout recorder and the inspection: every element's box, source, block, flow, page and
fitting outcome — and a layout traced is byte-identical to one that is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lgforms.designer.trace import inspect_layout, traced_layout
from lgforms.designer.workspace import render_inspected
from lgforms.render import layout, render_result
from lgforms.spec.catalog import default_catalog

FORM = "kojin_zeigaku_kettei_futsu"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def form():
    return default_catalog().get(FORM)


def sample() -> dict:
    return json.loads((ROOT / "forms/zeimu" / FORM / "samples/futsu_4ki.json").read_text("utf-8"))


def inspect(form, payload):
    form.static_cache.clear()
    rec, doc, err = traced_layout(lambda: layout(form, payload))
    return inspect_layout(form, rec, doc.pages if doc else None, err), err


def test_tracing_changes_nothing(form):
    p = sample()
    plain = render_result(form, p, deterministic=True).data
    traced, n, ins, err, _ = render_inspected(form, lambda: layout(form, p))
    assert err is None and n == 3 and traced == plain
    assert render_result(form, p, deterministic=True).data == plain  # and the recorder is gone again


def test_every_box_with_source_block_flow_and_page(form):
    ins, err = inspect(form, sample())
    assert err is None and [p["template"] for p in ins.pages] == ["notice", "slips", "slips"]
    p1 = {b["label"]: b for b in ins.pages[0]["boxes"]}
    # a block child: the placement's offset + its own box, its block file and line, moved by the placement
    name = p1["atena_name"]
    assert name["box"] == [15.5, 25.0, 80.0, 9.5] and name["source"] == {"file": "_blocks/atena_window.yaml", "line": 19}
    assert name["block"] == {"name": "atena_window", "id": "atena", "line": 42} and not name["static"]
    assert name["move"] == {"movable": True, "line": 42, "key": "at", "resizable": False, "target": "atena",
                            "self": False}
    assert name["outcome"]["size"] == 13.0 and name["outcome"]["lines"] == 1
    # flow sections: stacked positions, not movable (the flow region is)
    kibetsu = p1["kibetsu"]
    assert kibetsu["flow"] and kibetsu["kind"] == "table" and kibetsu["box"][0] == 15.0 and kibetsu["box"][3] > 20
    assert kibetsu["move"]["movable"] is False and "フロー" in kibetsu["move"]["reason"]
    assert ins.pages[0]["flows"] == [{"template": "notice", "key": "box", "box": [15.0, 54.0, 180.0, 236.0],
                                      "move": {"flow": "notice", "key": "box"}}]
    # static parts of a block in a slot: drawn once, placed at every slot (pitch 95 mm)
    frames = [b for b in ins.pages[1]["boxes"] if b["static"] and b["kind"] == "rect" and b["box"][2] == 190.0]
    assert sorted(b["box"][1] for b in frames) == [7.0, 102.0, 197.0]
    assert all(b["block"]["name"] == "nofusho" for b in frames)
    # every box lies on its page
    for pg in ins.pages:
        for b in pg["boxes"]:
            x, y, w, h = b["box"]
            assert -0.01 <= x and x + w <= pg["size"][0] + 0.01 and -0.01 <= y and y + h <= pg["size"][1] + 0.01, b


def test_warnings_shrunk_wrapped_near_overflow(form):
    p = sample()
    p["atena_address"] = "東雲県みどり野市若葉町三丁目12番5号みどり野ニュータウン北地区集合住宅"
    p["atena_katagaki"] = "みどり野ハイツ東棟南側エントランス右手奥202号室（管理人室隣）"
    ins, err = inspect(form, p)
    assert err is None
    got = {(w["kind"], w["label"], w["path"]) for w in ins.warnings}
    assert ("shrunk", "atena_address", "$.atena_address") in got
    assert ("wrapped", "atena_address", "$.atena_address") in got
    # the eL番号 under the QR code: 4.7 of min 4.5 pt. No path: the slip comes from a record of the computed
    # list of the 'elqr' page (kibetsu with or without 全期前納), which has no JSON path (it was "$.el_no",
    # the block parameter's name, which the payload does not have)
    assert ("near_overflow", "el_qr", None) in got
    shr = next(w for w in ins.warnings if w["kind"] == "shrunk" and w["label"] == "atena_address")
    assert shr["message"] == "縮小: 10 pt → 8 pt（最小 6 pt）" and shr["page"] == 1
    plain = {(w["kind"], w["label"]) for w in inspect(form, sample())[0].warnings}
    assert ("shrunk", "atena_address") not in plain


def test_overflow_names_the_failing_box(form):
    p = sample()
    p["atena_name"] = "寿限無" * 13
    ins, err = inspect(form, p)
    assert err is not None and err.code == "TEXT_OVERFLOW"
    assert ins.error["path"] == "$.atena_name" and ins.error["box"] == [15.5, 25.0, 80.0, 9.5]
    assert ins.error["element"]["label"] == "atena_name"


def test_overlap_of_moved_boxes(tmp_path):
    from lgforms.designer.workspace import Workspace
    from lgforms.designer.yamledit import move_element

    ws = Workspace(ROOT / "forms", untrusted=True)
    text = ws.source(FORM)["yaml"]
    moved = move_element(text, 44, "at", -80, 0)  # the 発行者欄 onto the 宛名
    _, res = ws.render(FORM, moved, json.dumps(sample(), ensure_ascii=False), salt="t",
                       layout=lambda f, pl: layout(f, pl))
    over = [w for w in res.inspection.warnings if w["kind"] == "overlap"]
    assert any(w["label"] == "atena_address" for w in over) and all(w["message"].startswith("重なり") for w in over)
