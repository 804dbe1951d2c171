"""Write tests/forms/page_counts.json: the page count of every sample of every form in every delivery
it is for (a mail variant: its logical panels). The test compares each render with it.

    python tools/update_page_counts.py

Only after an intended change (a new sample, a layout that holds more or fewer rows): look at the
pages whose count changed before committing — the tool prints them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import lgforms  # noqa: E402
from pdfcheck import all_sample_deliveries, delivery_fits, load_sample  # noqa: E402

COUNTS = ROOT / "tests" / "forms" / "page_counts.json"


def key(form_id: str, sample: Path, delivery: str) -> str:
    return f"{form_id}/{sample.stem}@{delivery}"


def current() -> dict[str, int]:
    cat = lgforms.Catalog(ROOT / "forms")
    out: dict[str, int] = {}
    for form_id, sample, variant in all_sample_deliveries():
        if not delivery_fits(cat, form_id, sample, variant):
            continue
        delivery = cat.get(form_id).for_delivery(variant).delivery
        res = lgforms.render_result(form_id, load_sample(sample), catalog=cat, delivery=variant)
        out[key(form_id, sample, delivery)] = res.pages
    return out


if __name__ == "__main__":
    old = json.loads(COUNTS.read_text("utf-8")) if COUNTS.is_file() else {}
    new = current()
    for k in sorted(set(old) | set(new)):
        if old.get(k) != new.get(k):
            print(f"{k}: {old.get(k)} -> {new.get(k)}")
    COUNTS.write_text(json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"{len(new)} renders, {COUNTS.relative_to(ROOT)}")
