"""Every sample of every form, in every delivery it is for, prints the number of pages written down in
tests/forms/page_counts.json (a mail variant: its logical panels) — a sample that suddenly needs one
sheet more (a row that no longer fits, a section pushed over) or one fewer (rows dropped) fails here.
After an intended change: ``python tools/update_page_counts.py`` and look at the pages it lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lgforms
from pdfcheck import all_sample_deliveries, delivery_fits, load_sample

COUNTS = json.loads((Path(__file__).with_name("page_counts.json")).read_text("utf-8"))
_CATALOG = lgforms.Catalog()


def _cases():
    out = []
    for form_id, sample, variant in all_sample_deliveries():
        if delivery_fits(_CATALOG, form_id, sample, variant):
            delivery = _CATALOG.get(form_id).for_delivery(variant).delivery
            out.append((form_id, sample, variant, f"{form_id}/{sample.stem}@{delivery}"))
    return out


CASES = _cases()


def test_every_sample_and_delivery_has_its_page_count_and_no_other():
    keys = {k for *_, k in CASES}
    assert not keys - set(COUNTS), f"no page count for {sorted(keys - set(COUNTS))}: run tools/update_page_counts.py"
    assert not set(COUNTS) - keys, f"page counts of no sample: {sorted(set(COUNTS) - keys)}"


@pytest.mark.parametrize("form_id,sample,variant,key", CASES, ids=[k for *_, k in CASES])
def test_page_count_is_as_expected(form_id, sample, variant, key):
    res = lgforms.render_result(form_id, load_sample(sample), catalog=_CATALOG, delivery=variant)
    assert res.pages == COUNTS[key], f"{key}: {res.pages} pages, expected {COUNTS[key]}"
