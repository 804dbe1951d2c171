"""Write the golden page images of forms' typical samples (tests/golden/<form_id>/page-N.png), and of
the same sample in each delivery variant of the form (tests/golden/<form_id>@<delivery>/page-N.png).

    python tools/update_goldens.py              # every form
    python tools/update_goldens.py FORM_ID …    # some

Only after an intended layout change: look at the new images before committing them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import lgforms  # noqa: E402
from goldencheck import GOLDEN, golden_dir, render_form, typical_sample, variants  # noqa: E402


def main(ids: list[str]) -> None:
    cat = lgforms.Catalog(ROOT / "forms")
    for form_id in ids or cat.ids():
        # the sample is recorded once per form (the variants render the same sample)
        (GOLDEN / form_id).mkdir(parents=True, exist_ok=True)
        (GOLDEN / form_id / "sample.txt").write_text(typical_sample(cat.get(form_id)) + "\n", "utf-8")
        for delivery in [None, *variants(form_id)]:
            out = golden_dir(form_id, delivery)
            out.mkdir(parents=True, exist_ok=True)
            for old in out.glob("page-*.png"):
                old.unlink()
            pages = render_form(form_id, cat, delivery)
            for n, img in enumerate(pages, start=1):
                img.save(out / f"page-{n}.png", optimize=True)
            print(f"{out.name}: {len(pages)} page(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
