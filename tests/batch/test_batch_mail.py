"""Mail batches: postcode / barcode order, households split over several mailpieces (and reported),
N-up press sheets; input formats and records that cannot be records."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys

import pytest
from batchdata import KOJIN, SENKYO, sample, senkyo_households, write_jsonl
from pdfcheck import MM, pdftotext

from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job
from lgforms.postal.customer_barcode import address_number, normalize_postcode
from lgforms.postal.profiles import load_profile
from lgforms.spec.catalog import default_catalog


# voters per mailpiece: the schema's maxItems (the 投票所入場券 holds 3 since its 宣誓書 got room to write)
PER_PIECE = default_catalog().get(SENKYO).schema["properties"]["voters"]["maxItems"]


def _run(tmp_path, form, src, name="out", **opts):
    store = open_store(tmp_path / f"{name}.db")
    job = create_job(store, BatchOptions(form, str(src), str(tmp_path / name), **opts))
    summary = run_job(store, job, LocalExecutor(0), progress=False)
    manifest = json.loads((tmp_path / name / "manifest.json").read_text("utf-8"))
    return summary, manifest, tmp_path / name


@pytest.fixture(scope="module")
def households():
    return senkyo_households(30)


def test_households_over_one_mailpiece_become_several_mailpieces(tmp_path, households):
    src = write_jsonl(tmp_path / "in.jsonl", households)
    summary, manifest, out = _run(tmp_path, SENKYO, src, sort="postcode", imposition="sheets")
    assert summary["rejected"] == 0 and summary["rendered"] == 30
    by_id = {h["_id"]: h for h in households}
    pieces = 0
    for r in manifest["records"]:
        n = len(by_id[r["id"]]["voters"])
        want = math.ceil(n / PER_PIECE)
        assert len(r["mailpieces"]) == want
        assert r["pages"] == 2 * want  # front and back of each sheet
        if want > 1:
            assert r["split"] == {"field": "voters", "per_piece": PER_PIECE, "pieces": want}
        else:
            assert "split" not in r
        assert r["mailpieces"] == list(range(pieces + 1, pieces + want + 1))
        pieces += want
    assert summary["mailpieces"] == pieces
    assert summary["households_split"] == sum(len(h["voters"]) > PER_PIECE for h in households) > 0
    # every voter of a split household is on its pages: nobody dropped, nobody twice
    pdf = (out / "part-0001.pdf").read_bytes()
    for r in manifest["records"]:
        if "split" in r:
            text = pdftotext(pdf, "-f", str(r["first_page"]), "-l", str(r["first_page"] + r["pages"] - 1))
            for v in by_id[r["id"]]["voters"]:
                assert text.count(v["meibo_no"]) == 1
    codes = [normalize_postcode(by_id[r["id"]]["atena_postcode"]) for r in manifest["records"]]
    assert codes == sorted(codes)


def test_barcode_order_and_a_bad_voter_in_a_later_piece_names_its_own_index(tmp_path, households):
    hh = [dict(h) for h in households]
    big = next(i for i, h in enumerate(hh) if len(h["voters"]) == 9)
    voters = [dict(v) for v in hh[big]["voters"]]
    voters[6]["name"] = "山田\U0002A6D7"  # in the second mailpiece
    hh[big]["voters"] = voters
    src = write_jsonl(tmp_path / "in.jsonl", hh)
    summary, manifest, out = _run(tmp_path, SENKYO, src, sort="barcode")
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [(e["id"], e["code"], e["path"], e["line"]) for e in errors] == \
        [(hh[big]["_id"], "MOJI_NOT_IN_FONT", "$.voters[6].name", big + 1)]
    by_id = {h["_id"]: h for h in hh}
    keys = [(normalize_postcode(by_id[r["id"]]["atena_postcode"]), address_number(by_id[r["id"]]["atena_address"]))
            for r in manifest["records"]]
    assert keys == sorted(keys)


def test_press_sheets_hold_four_mailpieces_in_cut_and_stack_order(tmp_path, households):
    from pypdf import PdfReader

    src = write_jsonl(tmp_path / "in.jsonl", households)
    summary, manifest, out = _run(tmp_path, SENKYO, src, imposition="press", printer_profile="pressure-seal-V-press",
                                  split_pages=8)
    prof = load_profile("pressure-seal-V-press")
    cells = prof.press.grid[0] * prof.press.grid[1]
    total = 0
    for part in manifest["parts"]:
        reader = PdfReader(io.BytesIO((out / part["file"]).read_bytes()))
        assert len(reader.pages) == part["pages"] == 2 * math.ceil(part["mailpieces"] / cells) <= 8
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == tuple(prof.press.sheet)
        total += part["mailpieces"]
        recs = [r for r in manifest["records"] if r["part"] == manifest["parts"].index(part) + 1]
        slots = [(s["sheet"], s["cell"]) for r in recs for s in r["press"]]
        sheets = part["pages"] // 2
        # cut-and-stack: piece i on sheet i mod S, cell i div S
        assert slots == [(i % sheets + 1, i // sheets + 1) for i in range(part["mailpieces"])]
    assert total == summary["mailpieces"] == sum(math.ceil(len(h["voters"]) / PER_PIECE) for h in households)


def test_json_array_input_ids_and_duplicates(tmp_path):
    base = sample(KOJIN)
    recs = [dict(base, _id="A"), {"id": "B", "payload": base}, dict(base, _id="A"), base]
    src = tmp_path / "in.json"
    src.write_text("\ufeff[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n]\n",
                   encoding="utf-8")
    summary, manifest, out = _run(tmp_path, KOJIN, src)
    assert [r["id"] for r in manifest["records"]] == ["A", "B", "item-4"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [(e["id"], e["code"], e["line"]) for e in errors] == [("A", "RECORD_DUPLICATE", 4)]
    assert summary["records_in"] == 4


def test_cli_rejects_a_broken_array_and_reports_bad_lines(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"a": 1}, {"b": ]', encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "lgforms.cli", "batch", KOJIN, str(bad), "-o", str(tmp_path / "o1"),
                          "--store", str(tmp_path / "j.db"), "--quiet"], capture_output=True, text=True)
    assert res.returncode == 2
    assert "BATCH_INVALID" in res.stderr and "$[1]" in res.stderr
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps(sample(KOJIN), ensure_ascii=False) + "\nnot json\n\n" +
                     json.dumps(sample(KOJIN), ensure_ascii=False) + "\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "lgforms.cli", "batch", KOJIN, str(lines), "-o", str(tmp_path / "o2"),
                          "--store", str(tmp_path / "j.db"), "--workers", "0"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "2 rendered, 1 rejected" in res.stdout
    assert "records/s" in res.stderr  # plain progress lines when stderr is not a terminal
    err = json.loads((tmp_path / "o2" / "errors.jsonl").read_text("utf-8"))
    assert (err["line"], err["id"], err["code"], err["path"]) == (2, "line-2", "PAYLOAD_INVALID", "$")
    res = subprocess.run([sys.executable, "-m", "lgforms.cli", "batch", KOJIN, str(lines), "-o", str(tmp_path / "o2"),
                          "--store", str(tmp_path / "j.db")], capture_output=True, text=True)
    assert res.returncode == 2 and "not empty" in res.stderr


def test_split_mb_bounds_every_part_and_the_library_call(tmp_path):
    import lgforms
    from batchdata import tax_records

    records, _ = tax_records(120, bad_every=None)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    summary = lgforms.render_batch(KOJIN, src, tmp_path / "out", workers=0, store=tmp_path / "j.db", split_mb=0.25)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert summary["rendered"] == 120 and len(manifest["parts"]) >= 2
    for part in manifest["parts"]:
        assert part["bytes"] <= 0.25 * 1024 * 1024, part
        assert (tmp_path / "out" / part["file"]).stat().st_size == part["bytes"]


def test_a_delivery_variant_is_what_the_batch_prints(tmp_path):
    """``--delivery pressure-seal-Z`` of a form whose postcard is a delivery variant (one schema,
    two layouts) prints that variant's panels, as ``lgforms render --delivery`` does — not the
    A4 letter (which has no panels and was refused with POSTAL_CONSTRAINT)."""
    from lgforms.render import render_result

    form = "kouki_shikaku_joho_oshirase"
    spec = default_catalog().get(form)
    assert "pressure-seal-Z" in spec.deliveries and spec.delivery == "window-envelope"
    payload = spec.sample()
    src = write_jsonl(tmp_path / "in.jsonl", [{**payload, "_id": "r1"}, {**payload, "_id": "r2"}])
    summary, manifest, out = _run(tmp_path, form, src, delivery="pressure-seal-Z", imposition="sheets",
                                  reproducible=True)
    assert summary["rejected"] == 0 and summary["rendered"] == 2, (out / "errors.jsonl").read_text("utf-8")
    single = render_result(form, payload, delivery="pressure-seal-Z", imposition="sheets", deterministic=True)
    assert [r["pages"] for r in manifest["records"]] == [single.pages, single.pages]
    pdf = (out / "part-0001.pdf").read_bytes()
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    sheet = load_profile("pressure-seal-Z").sheet  # the imposed Z-fold sheet, not A4
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == \
        tuple(round(x) for x in sheet)
    first = pdftotext(pdf, "-f", "1", "-l", str(single.pages))
    assert first == pdftotext(single.data)
