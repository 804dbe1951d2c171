"""lgforms preview --boxes --grid and lgforms diff, as a user runs them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
FORM = "kojin_zeigaku_kettei_futsu"
SAMPLE = str(ROOT / "forms/zeimu" / FORM / "samples/futsu_4ki.json")


def lgforms(*args, cwd=None):
    return subprocess.run([sys.executable, "-c", "import sys; from lgforms.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_preview_overlays_and_diff(tmp_path):
    plain, boxed = tmp_path / "plain.png", tmp_path / "boxed.png"
    r = lgforms("preview", FORM, SAMPLE, "-o", str(plain), "--dpi", "72")
    assert r.returncode == 0, r.stderr
    r = lgforms("preview", FORM, SAMPLE, "--boxes", "--grid", "-o", str(boxed), "--dpi", "72")
    assert r.returncode == 0, r.stderr
    assert "34 boxes" in r.stdout and "warning shrunk page 1 title at $.nendo" in r.stderr
    a, b = Image.open(plain), Image.open(boxed)
    margin = round(7 * 72 / 25.4)
    assert b.size == (a.width + margin, a.height + margin)  # the rulers
    px = np.asarray(b.convert("RGB")).astype(int)
    green = (px[..., 1] > px[..., 0] + 40) & (px[..., 1] > px[..., 2] + 40)  # variable boxes
    purple = (px[..., 2] > px[..., 1] + 60) & (px[..., 0] > px[..., 1] + 30)  # blocks
    assert green.sum() > 2000 and purple.sum() > 500

    ref = tmp_path / "ref.pdf"
    assert lgforms("render", FORM, SAMPLE, "-o", str(ref)).returncode == 0
    r = lgforms("diff", FORM, SAMPLE, "--against", str(ref), "-o", str(tmp_path / "same.png"))
    assert r.returncode == 0 and r.stdout.startswith("score 0.0000"), r.stdout + r.stderr
    # a reference 3 mm off (a scan of another printing): a score and a diff image with both colours
    page = Image.open(plain).convert("L")
    shifted = Image.new("L", page.size, 255)
    shifted.paste(page, (9, 9))
    shifted_png = tmp_path / "shifted.png"
    shifted.resize((page.width * 2, page.height * 2)).save(shifted_png)  # another resolution: scaled
    r = lgforms("diff", FORM, SAMPLE, "--against", str(shifted_png), "--dpi", "72", "-o", str(tmp_path / "d.png"),
                "--fail-over", "0.2")
    assert r.returncode == 1 and "score 0." in r.stdout, r.stdout + r.stderr
    score = float(r.stdout.split()[1])
    assert 0.2 < score <= 1
    d = np.asarray(Image.open(tmp_path / "d.png").convert("RGB")).astype(int)
    assert ((d[..., 0] > 200) & (d[..., 1] < 60)).sum() > 1000 and ((d[..., 2] > 200) & (d[..., 0] < 60)).sum() > 1000
    # a landscape image is not this page: an error with a code, exit 2
    wide = tmp_path / "wide.png"
    Image.new("L", (400, 200), 255).save(wide)
    r = lgforms("diff", FORM, SAMPLE, "--against", str(wide))
    assert r.returncode == 2 and "ARGUMENT_INVALID" in r.stderr and "page shape" in r.stderr
