"""Golden rasters: each form's typical sample at 72 dpi (poppler, greyscale) against committed PNGs.

A page matches when at most ``TOLERANCE`` of its pixels differ by more than ``LEVEL`` grey levels —
enough to absorb anti-aliasing differences between poppler builds, far too little for a moved box,
a changed label or a missing value (one 10.5 pt line is ~0.3 % of an A4 page at 72 dpi).
Regenerate after an intended layout change: ``python tools/update_goldens.py [FORM_ID …]``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
DPI = 72
LEVEL = 64  # grey levels (of 255) a pixel may differ by and still count as the same
TOLERANCE = 0.0015  # share of a page's pixels that may differ


def typical_sample(form) -> str:
    """The sample the golden was made from (``sample.txt`` beside the pages, so adding a sample never
    changes what is compared); for a new golden the first sample not named ``edge``."""
    recorded = GOLDEN / form.id / "sample.txt"
    if recorded.is_file():
        name = recorded.read_text("utf-8").strip()
        if name not in form.samples:
            raise AssertionError(f"{form.id}: the golden's sample {name!r} ({recorded}) is not among its samples")
        return name
    names = [n for n in form.samples if "edge" not in n] or list(form.samples)
    return names[0]


def rasterize(pdf: bytes) -> list:
    """Every page as a greyscale PIL image at DPI (poppler's pdftoppm)."""
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("poppler-utils (pdftoppm) is needed")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        subprocess.run([exe, "-r", str(DPI), "-gray", "-png", "-", f"{d}/p"], input=pdf, check=True,
                       capture_output=True)
        files = sorted(Path(d).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [Image.open(io.BytesIO(f.read_bytes())).convert("L") for f in files]


def difference(a, b) -> float:
    """Share of pixels differing by more than LEVEL (1.0 if the sizes differ)."""
    import numpy as np

    if a.size != b.size:
        return 1.0
    x = np.asarray(a, dtype=np.int16)
    y = np.asarray(b, dtype=np.int16)
    return float((abs(x - y) > LEVEL).mean())


def render_form(form_id: str, catalog=None, delivery: str | None = None) -> list:
    """The typical sample's pages in the form's own layout, or in its ``delivery`` variant (mail:
    the logical panels)."""
    import json

    import lgforms

    cat = catalog or lgforms.Catalog(ROOT / "forms")
    form = cat.get(form_id)
    payload = form.sample(typical_sample(form))
    payload = {k: v for k, v in payload.items()}
    pdf = lgforms.render_result(form_id, json.loads(json.dumps(payload)), catalog=cat, deterministic=True,
                                delivery=delivery).data
    return rasterize(pdf)


def variants(form_id: str) -> list[str]:
    """The deliveries of a form's ``variants`` (read from its form.yaml, without loading the form)."""
    import yaml

    for f in (ROOT / "forms").glob(f"*/{form_id}/form.yaml"):
        return list((yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("variants") or {})
    return []


def golden_dir(form_id: str, delivery: str | None = None) -> Path:
    """tests/golden/<form_id>/ for the form's own layout, <form_id>@<delivery>/ for a variant."""
    return GOLDEN / (f"{form_id}@{delivery}" if delivery else form_id)


def golden_files(form_id: str, delivery: str | None = None) -> list[Path]:
    return sorted(golden_dir(form_id, delivery).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
