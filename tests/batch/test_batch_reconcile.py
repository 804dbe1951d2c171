"""5,000 tax notices, ~2 % of them bad: the batch's counts reconcile and every bad record is in
errors.jsonl with its code and path (and without its personal data)."""

from __future__ import annotations

import io
import json

import pytest
from batchdata import KOJIN, tax_records, write_jsonl
from pdfcheck import pdftotext

from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("reconcile")
    records, bad = tax_records(5000)
    src = write_jsonl(d / "notices.jsonl", records)
    store = open_store(d / "jobs.db")
    job = create_job(store, BatchOptions(KOJIN, str(src), str(d / "out"), sort="postcode", split_pages=2000))
    summary = run_job(store, job, LocalExecutor(2), progress=False)
    return d / "out", records, bad, summary


def test_counts_reconcile(big_batch):
    out, records, bad, summary = big_batch
    assert 80 <= len(bad) <= 120  # ~2 %
    assert summary["records_in"] == 5000
    assert summary["rejected"] == len(bad)
    assert summary["rendered"] == 5000 - len(bad)
    assert summary["rendered"] + summary["rejected"] == summary["records_in"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    ids = [r["id"] for r in manifest["records"]]
    assert len(ids) == len(set(ids)) == summary["rendered"]
    assert set(ids) == {r["id"] for r in records} - set(bad)
    assert sum(p["records"] for p in manifest["parts"]) == summary["rendered"]
    assert sum(p["pages"] for p in manifest["parts"]) == summary["pages"]


def test_every_bad_record_is_reported_with_code_and_path(big_batch):
    out, records, bad, summary = big_batch
    lines = (out / "errors.jsonl").read_text("utf-8").splitlines()
    errors = [json.loads(x) for x in lines]
    assert {e["id"]: (e["code"], e["path"]) for e in errors} == bad
    by_id = {r["id"]: i + 1 for i, r in enumerate(records)}
    for e in errors:
        assert e["line"] == by_id[e["id"]]
        assert e["message"]
    assert summary["rejected_by_code"] == {c: sum(1 for v in bad.values() if v[0] == c) for c, _ in bad.values()}
    # no personal data beyond the id: neither the names nor the bad date's text
    names = {r["payload"]["atena_name"] for r in records if r["id"] in bad}
    text = "\n".join(lines)
    assert not any(n in text for n in names)
    assert "平成31年5月1日" not in text


def test_parts_are_what_the_manifest_says(big_batch):
    import hashlib

    from pypdf import PdfReader

    out, records, bad, summary = big_batch
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for part in manifest["parts"]:
        data = (out / part["file"]).read_bytes()
        assert part["pages"] <= 2000
        assert hashlib.sha256(data).hexdigest() == part["sha256"] and len(data) == part["bytes"]
        assert len(PdfReader(io.BytesIO(data)).pages) == part["pages"]
    # records tile their parts: consecutive page ranges, in mail-sort (postcode) order
    payload = {r["id"]: r["payload"] for r in records}
    by_part: dict[int, int] = {}
    codes = []
    for r in manifest["records"]:
        assert r["first_page"] == by_part.get(r["part"], 0) + 1
        by_part[r["part"]] = r["first_page"] + r["pages"] - 1
        codes.append(payload[r["id"]]["atena_postcode"].replace("-", ""))
    assert codes == sorted(codes)
    assert [by_part[i + 1] for i in range(len(manifest["parts"]))] == [p["pages"] for p in manifest["parts"]]
    # a record's pages show its own name, code point for code point (IVS, non-BMP included)
    for r in manifest["records"][::977]:
        data = (out / manifest["parts"][r["part"] - 1]["file"]).read_bytes()
        text = pdftotext(data, "-f", str(r["first_page"]), "-l", str(r["first_page"] + r["pages"] - 1))
        assert all(part in text for part in payload[r["id"]]["atena_name"].split("　"))
