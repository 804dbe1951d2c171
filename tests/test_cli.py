"""The lgforms command, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lgforms.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT)


def test_forms_and_sample():
    r = run("forms")
    assert r.returncode == 0 and "juki_jyuminhyo_setai" in r.stdout and "住民票の写し（世帯連記式）" in r.stdout
    r = run("sample", "juki_jyuminhyo_setai")
    assert json.loads(r.stdout)["persons"][0]["name"] == "髙橋　健一"


def test_render_pdf_and_png(tmp_path):
    out = tmp_path / "a.pdf"
    r = run("render", "juki_jyuminhyo_setai", str(SAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF") and "2 page(s)" in r.stdout
    png = tmp_path / "p2.png"
    r = run("render", "juki_jyuminhyo_setai", str(SAMPLE), "-o", str(png), "--png", "--page", "2")
    assert r.returncode == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_errors_print_code_path_message_and_exit_2(tmp_path):
    bad = json.loads(SAMPLE.read_text("utf-8"))
    bad["persons"][3]["sex"] = "X"
    r = run("validate", "juki_jyuminhyo_setai", "-", stdin=json.dumps(bad, ensure_ascii=False))
    assert r.returncode == 2
    assert "PAYLOAD_INVALID" in r.stderr and "$.persons[3].sex" in r.stderr
    r = run("render", "nope", str(SAMPLE), "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "FORM_NOT_FOUND" in r.stderr
    r = run("validate", "juki_jyuminhyo_setai", "-", stdin="{not json")
    assert r.returncode == 2 and "not valid JSON" in r.stderr
    long = json.loads(SAMPLE.read_text("utf-8"))
    long["address"] = "東雲県\nみどり野市\n若葉町\n三丁目"  # within maxLength, but four hard lines do not fit the box
    r = run("validate", "juki_jyuminhyo_setai", "-", stdin=json.dumps(long, ensure_ascii=False))
    assert r.returncode == 2 and "TEXT_OVERFLOW" in r.stderr and "$.address" in r.stderr


def test_validate_ok():
    r = run("validate", "juki_jyuminhyo_setai", str(SAMPLE))
    assert r.returncode == 0 and "2 page(s)" in r.stdout


def test_moji_check_and_show():
    r = run("moji", "check", "葛\U000E0102城𠮷")
    assert r.returncode == 0
    assert "U+845B U+E0102" in r.stdout and "MJ022335" in r.stdout and "MJ032129" in r.stdout
    r = run("moji", "check", "葛\U000E0100")
    assert r.returncode == 2 and "IVS_UNKNOWN" in r.stdout and "MJ022335" in r.stdout
    r = run("moji", "show", "MJ022335")
    assert r.returncode == 0 and "U+845B U+E0102" in r.stdout and "mj022335" in r.stdout
    r = run("moji", "show", "U+20BB7")
    assert "MJ032129" in r.stdout
