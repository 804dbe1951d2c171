"""``lgforms docs -o site/``: the browsable catalog has every form, its page images, fields and samples."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lgforms

ROOT = Path(__file__).resolve().parent.parent


def test_docs_site(tmp_path):
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "docs", "-o", str(tmp_path / "site")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    site = tmp_path / "site"
    index = (site / "index.html").read_text("utf-8")
    cat = lgforms.Catalog(ROOT / "forms")
    for s in cat.list():
        assert f'href="{s["id"]}.html"' in index and s["area"] in index
    form = cat.get("kojin_zeigaku_kettei_futsu")
    page = (site / "kojin_zeigaku_kettei_futsu.html").read_text("utf-8")
    thumbs = re.findall(r'<img src="([^"]+)"', page)
    assert len(thumbs) == sum(len(lgforms.layout(form.id, form.sample(n)).pages) for n in form.samples)
    for t in thumbs:
        assert (site / t).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<code>$.kibetsu[].nokigen</code>" in page and "納期限" in page  # fields from the schema
    assert "&#34;tsuchisho_no&#34;" in page or "\"tsuchisho_no\"" in page  # the samples
    assert "地方税法" in page  # the README
    assert (site / "kojin_zeigaku_kettei_futsu" / "futsu_4ki.pdf").read_bytes()[:4] == b"%PDF"
