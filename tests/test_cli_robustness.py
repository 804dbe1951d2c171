"""The ``lgforms`` command as a municipal operator meets it: files in CP932, a BOM, a directory
where a file belongs, out-of-range options, unknown names. Every error is a code and a message
on stderr with exit status 2 — never a traceback. All run the installed ``lgforms`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pdfcheck import pypdf_pages

ROOT = Path(__file__).resolve().parent.parent
SETAI = ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json"
SENKYO = ROOT / "forms/senkyo/senkyo_nyujoken_atchaku/samples/nyujoken_3nin.json"
INKAN = ROOT / "forms/inkan/inkan_toroku_shomeisho/samples/inkan_basic.json"
FUTSU = ROOT / "forms/zeimu/kojin_zeigaku_kettei_futsu/samples/futsu_4ki.json"
LGFORMS = Path(sys.executable).with_name("lgforms")  # the console script pip installed
ERROR_LINE = re.compile(r"^error ([A-Z_]+)$", re.M)


def lgforms(*args: str | bytes, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    assert LGFORMS.exists(), f"{LGFORMS} missing: install the package (pip install -e .)"
    return subprocess.run([str(LGFORMS), *args], input=stdin, capture_output=True, cwd=cwd, timeout=120)


def error_code(r: subprocess.CompletedProcess) -> str:
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert r.returncode == 2, (r.returncode, err)
    m = ERROR_LINE.search(err)
    assert m, err
    assert m.group(1) != "INTERNAL_ERROR", err
    assert re.search(r"^  message: \S", err, re.M), err
    return m.group(1)


def cp932_payload() -> tuple[dict, bytes]:
    """The 住民票 sample as a core system would export it: CP932 (𠮷 is not in CP932: 吉)."""
    p = {k: v for k, v in json.loads(SETAI.read_text("utf-8")).items() if not k.startswith("_")}  # no annotations
    for person in p["persons"]:
        person["name"] = person["name"].replace("\U00020BB7", "吉")
    data = json.dumps(p, ensure_ascii=False, indent=1).encode("cp932")
    return p, data


# -- encodings ------------------------------------------------------------------------------------

def test_cp932_payload_is_reported_with_its_byte_offset(tmp_path):
    _, data = cp932_payload()
    f = tmp_path / "cp932.json"
    f.write_bytes(data)
    first_bad = next(i for i, b in enumerate(data) if b >= 0x80)
    for cmd in (["validate", "juki_jyuminhyo_setai", str(f)],
                ["render", "juki_jyuminhyo_setai", str(f), "-o", str(tmp_path / "x.pdf")]):
        r = lgforms(*cmd)
        assert error_code(r) == "PAYLOAD_INVALID"
        err = r.stderr.decode()
        assert f"byte offset {first_bad} " in err and "CP932" in err and "--encoding cp932" in err
    assert not (tmp_path / "x.pdf").exists()


def test_encoding_cp932_renders_the_names(tmp_path):
    p, data = cp932_payload()
    f = tmp_path / "cp932.json"
    f.write_bytes(data)
    out = tmp_path / "out.pdf"
    r = lgforms("render", "juki_jyuminhyo_setai", str(f), "-o", str(out), "--encoding", "cp932")
    assert r.returncode == 0, r.stderr.decode()
    text = "\n".join(pypdf_pages(out.read_bytes()))
    assert p["persons"][0]["name"] in text and p["address"] in text
    assert lgforms("validate", "juki_jyuminhyo_setai", "-", "--encoding", "CP932", stdin=data).returncode == 0


def test_cp932_never_guesses(tmp_path):
    p, data = cp932_payload()
    # 0xFD is no CP932 byte: an error naming its offset, not a replacement character
    i = data.index("髙".encode("cp932"))
    broken = data[:i] + b"\xfd" + data[i + 2:]
    f = tmp_path / "b.json"
    f.write_bytes(broken)
    r = lgforms("validate", "juki_jyuminhyo_setai", str(f), "--encoding", "cp932")
    assert error_code(r) == "PAYLOAD_INVALID" and f"byte offset {i} " in r.stderr.decode()
    # the user-defined area (F040 -> U+E000, a 外字 slot) decodes but no bundled font has it
    p["persons"][0]["name"] = "髙橋　\ue000"
    f.write_bytes(json.dumps(p, ensure_ascii=False).encode("cp932"))
    r = lgforms("validate", "juki_jyuminhyo_setai", str(f), "--encoding", "cp932")
    assert error_code(r) == "MOJI_NOT_IN_FONT" and "U+E000" in r.stderr.decode()


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.json"
    f.write_bytes(b"\xef\xbb\xbf" + SETAI.read_bytes())
    r = lgforms("validate", "juki_jyuminhyo_setai", str(f))
    assert r.returncode == 0, r.stderr.decode()
    r = lgforms("validate", "juki_jyuminhyo_setai", "-", stdin=f.read_bytes())
    assert r.returncode == 0, r.stderr.decode()


def test_utf16_and_empty_files_say_what_they_are(tmp_path):
    f = tmp_path / "u16.json"
    f.write_bytes(SETAI.read_text("utf-8").encode("utf-16"))
    r = lgforms("validate", "juki_jyuminhyo_setai", str(f))
    assert error_code(r) == "PAYLOAD_INVALID" and "UTF-16" in r.stderr.decode()
    f.write_bytes(b"  \n")
    r = lgforms("validate", "juki_jyuminhyo_setai", str(f))
    assert error_code(r) == "PAYLOAD_INVALID" and "empty" in r.stderr.decode()


# -- output and options ---------------------------------------------------------------------------

def test_output_dash_writes_the_pdf_to_stdout(tmp_path):
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.startswith(b"%PDF-") and r.stdout.rstrip().endswith(b"%%EOF")
    assert "髙橋　健一" in pypdf_pages(r.stdout)[0]
    assert not (tmp_path / "-").exists() and b"wrote stdout" in r.stderr
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", "-", "--png", "--page", "2", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout[:8] == b"\x89PNG\r\n\x1a\n"


def test_output_naming_a_directory(tmp_path):
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", str(tmp_path))
    assert error_code(r) == "ARGUMENT_INVALID" and "is a directory" in r.stderr.decode()
    (tmp_path / "afile").write_text("x")
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", str(tmp_path / "afile" / "out.pdf"))
    assert error_code(r) == "ARGUMENT_INVALID" and "not a folder" in r.stderr.decode()


@pytest.mark.parametrize("dpi", ["0", "-5", "5000", "35", "301"])
def test_png_dpi_is_bounded_like_the_api(tmp_path, dpi):
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", str(tmp_path / "p.png"), "--png", "--dpi", dpi)
    assert error_code(r) == "ARGUMENT_INVALID" and "36 to 300" in r.stderr.decode()
    assert not (tmp_path / "p.png").exists()


def test_dpi_bounds_hold_in_the_library_too():
    import lgforms as lg

    payload = json.loads(SETAI.read_text("utf-8"))
    for dpi in (0, -5, 5000, 36.5):
        with pytest.raises(lg.LgformsError) as ei:
            lg.render_result("juki_jyuminhyo_setai", payload, format="png", dpi=dpi)
        assert ei.value.code == "ARGUMENT_INVALID" and isinstance(ei.value, ValueError)
    assert lg.render_result("juki_jyuminhyo_setai", payload, format="png", dpi=36).data[:4] == b"\x89PNG"


def test_marks_and_bleed_misuse_says_what_is_wrong(tmp_path):
    out = str(tmp_path / "x.pdf")
    r = lgforms("render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out, "--marks")
    assert error_code(r) == "ARGUMENT_INVALID" and "--imposition sheets" in r.stderr.decode()
    r = lgforms("render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out, "--bleed", "3")
    assert error_code(r) == "ARGUMENT_INVALID" and "--imposition sheets" in r.stderr.decode()
    for extra in (["--imposition", "sheets", "--marks"], ["--imposition", "sheets"]):
        r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", out, *extra)
        err = r.stderr.decode()
        assert error_code(r) == "ARGUMENT_INVALID" and "renders as plain pages" in err and "'counter'" in err
        assert "no printer profile" not in err
    r = lgforms("render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out, "--imposition", "sheets",
                "--marks", "--bleed", "3")
    assert r.returncode == 0, r.stderr.decode()
    # a window-envelope insert takes fold marks, no bleed
    futsu = str(ROOT / "forms/zeimu/kojin_zeigaku_kettei_futsu/samples/futsu_4ki.json")
    r = lgforms("render", "kojin_zeigaku_kettei_futsu", futsu, "-o", out, "--delivery", "window-envelope",
                "--imposition", "sheets", "--bleed", "3")
    assert error_code(r) == "ARGUMENT_INVALID" and "without bleed" in r.stderr.decode()
    r = lgforms("render", "juki_jyuminhyo_setai", str(SETAI), "-o", out, "--dpi", "150")
    assert error_code(r) == "ARGUMENT_INVALID" and "--png" in r.stderr.decode()


def test_sample_with_an_unknown_name():
    r = lgforms("sample", "juki_jyuminhyo_setai", "--name", "nope")
    assert error_code(r) == "ARGUMENT_INVALID" and "setai_5nin" in r.stderr.decode()


def test_moji_show_fails_when_it_cannot_draw():
    r = lgforms("moji", "show", "U+D842")
    assert error_code(r) == "ARGUMENT_INVALID" and "surrogate" in r.stderr.decode()
    r = lgforms("moji", "show", "U+4E1C")  # 东: in no bundled font
    assert error_code(r) == "MOJI_NOT_IN_FONT" and b"cannot draw" in r.stdout
    r = lgforms("moji", "show", "U+3099")
    assert error_code(r) == "MOJI_INVALID"
    r = lgforms("moji", "show", "MJ030185")
    assert r.returncode == 0 and b"U+6717 U+E0106" in r.stdout


def test_moji_check_reads_mj_tokens_as_a_name_field():
    r = lgforms("moji", "check", "MJ022335城")
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr.decode()
    assert "U+845B U+E0102" in out and "(MJ022335)" in out and "U+004D" not in out
    r = lgforms("moji", "check", "--json", "MJ030185")
    assert json.loads(r.stdout)[0]["codepoints"] == "U+6717 U+E0106"
    r = lgforms("moji", "check", "田\u00ad中")
    assert error_code(r) == "MOJI_INVALID" and "position 1" in r.stderr.decode()


def test_dates_that_do_not_exist_or_are_written_otherwise(tmp_path):
    p = json.loads(INKAN.read_text("utf-8"))
    for value, says in (("2019-02-30", "no such day"), ("2019/05/01", "slashes"), ("R1.5.1", "令和元年5月1日"),
                        ("2019-13-01", "no such month")):
        p["birth_date"] = value
        r = lgforms("validate", "inkan_toroku_shomeisho", "-", stdin=json.dumps(p, ensure_ascii=False).encode())
        err = r.stderr.decode()
        assert error_code(r) == "PAYLOAD_INVALID" and "$.birth_date" in err and says in err, err
        assert "allowed forms (anyOf)" not in err and "YYYY-MM-DD" in err


# -- every subcommand, broken inputs ---------------------------------------------------------------

def _broken_cases(tmp: Path) -> list[tuple[str, list[str | bytes], bytes | None, str | None]]:
    _, cp = cp932_payload()
    (tmp / "cp932.json").write_bytes(cp)
    (tmp / "empty.json").write_bytes(b"")
    (tmp / "notjson.json").write_bytes(b"{persons: [}")
    (tmp / "nan.json").write_bytes(b'{"a": NaN}')
    (tmp / "dup.json").write_bytes(b'{"form_id": "x", "form_id": "y"}')
    (tmp / "dir").mkdir()
    (tmp / "profile_cp932.yaml").write_bytes("name: みどり野市\ncode: '992011'\n".encode("cp932"))
    (tmp / "profile_list.yaml").write_text("- a\n- b\n")
    (tmp / "notpng.png").write_text("not a png")
    (tmp / "broken_array.json").write_text('[{"a": 1}, {"b": ]')
    db = str(tmp / "t.db")
    d, s = str(tmp / "dir"), str(SETAI)
    out = str(tmp / "o.pdf")
    R = ["render", "juki_jyuminhyo_setai"]
    V = ["validate", "juki_jyuminhyo_setai"]
    return [
        # (id, args, stdin, expected code or None for any)
        ("no-command", [], None, "ARGUMENT_INVALID"),
        ("unknown-command", ["bogus"], None, "ARGUMENT_INVALID"),
        ("forms-extra", ["forms", "extra"], None, "ARGUMENT_INVALID"),
        ("check-unknown-form", ["check", "nope"], None, "FORM_NOT_FOUND"),
        ("sample-unknown-form", ["sample", "nope"], None, "FORM_NOT_FOUND"),
        ("sample-unknown-name", ["sample", "juki_jyuminhyo_setai", "--name", "nope"], None, "ARGUMENT_INVALID"),
        ("validate-cp932", [*V, str(tmp / "cp932.json")], None, "PAYLOAD_INVALID"),
        ("validate-cp932-stdin", [*V, "-"], cp, "PAYLOAD_INVALID"),
        ("validate-dir", [*V, d], None, "PAYLOAD_INVALID"),
        ("validate-missing", [*V, str(tmp / "nofile.json")], None, "PAYLOAD_INVALID"),
        ("validate-empty", [*V, str(tmp / "empty.json")], None, "PAYLOAD_INVALID"),
        ("validate-not-json", [*V, str(tmp / "notjson.json")], None, "PAYLOAD_INVALID"),
        ("validate-nan", [*V, str(tmp / "nan.json")], None, "PAYLOAD_INVALID"),
        ("validate-duplicate-key", [*V, str(tmp / "dup.json")], None, "PAYLOAD_INVALID"),
        ("validate-array", [*V, "-"], b"[1, 2]", "PAYLOAD_INVALID"),
        ("validate-unknown-form", ["validate", "nope", s], None, "FORM_NOT_FOUND"),
        ("validate-bad-encoding", [*V, s, "--encoding", "latin-9"], None, "ARGUMENT_INVALID"),
        ("validate-tenant-dir", [*V, s, "--tenant", d], None, "TENANT_INVALID"),
        ("validate-tenant-cp932", [*V, s, "--tenant", str(tmp / "profile_cp932.yaml")], None, "TENANT_INVALID"),
        ("validate-tenant-list", [*V, s, "--tenant", str(tmp / "profile_list.yaml")], None, "TENANT_INVALID"),
        ("render-cp932", [*R, str(tmp / "cp932.json"), "-o", out], None, "PAYLOAD_INVALID"),
        ("render-dir-payload", [*R, d, "-o", out], None, "PAYLOAD_INVALID"),
        ("render-empty", [*R, str(tmp / "empty.json"), "-o", out], None, "PAYLOAD_INVALID"),
        ("render-out-dir", [*R, s, "-o", d], None, "ARGUMENT_INVALID"),
        ("render-huge-dpi", [*R, s, "-o", out, "--png", "--dpi", "5000"], None, "ARGUMENT_INVALID"),
        ("render-zero-dpi", [*R, s, "-o", out, "--png", "--dpi", "0"], None, "ARGUMENT_INVALID"),
        ("render-word-dpi", [*R, s, "-o", out, "--png", "--dpi", "high"], None, "ARGUMENT_INVALID"),
        ("render-page-0", [*R, s, "-o", out, "--png", "--page", "0"], None, "ARGUMENT_INVALID"),
        ("render-page-99", [*R, s, "-o", out, "--png", "--page", "99"], None, "LIMIT_EXCEEDED"),
        ("render-unknown-form", ["render", "nope", s, "-o", out], None, "FORM_NOT_FOUND"),
        ("render-no-output", [*R, s], None, "ARGUMENT_INVALID"),
        ("render-marks-counter", [*R, s, "-o", out, "--imposition", "sheets", "--marks"], None, "ARGUMENT_INVALID"),
        ("render-bleed-huge", ["render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out, "--imposition",
                               "sheets", "--bleed", "50"], None, "ARGUMENT_INVALID"),
        ("render-bleed-nan", ["render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out, "--imposition",
                              "sheets", "--bleed", "nan"], None, "ARGUMENT_INVALID"),
        ("render-unknown-profile", ["render", "senkyo_nyujoken_atchaku", str(SENKYO), "-o", out,
                                    "--printer-profile", "nope"], None, "POSTAL_CONSTRAINT"),
        ("render-unknown-delivery", [*R, s, "-o", out, "--delivery", "pigeon"], None, "ARGUMENT_INVALID"),
        ("moji-check-empty", ["moji", "check", ""], None, "ARGUMENT_INVALID"),
        ("moji-check-mark", ["moji", "check", "\u3099田"], None, "MOJI_INVALID"),
        ("moji-check-undecodable-argv", ["moji", "check", b"\xff\xfe"], None, "MOJI_INVALID"),
        ("moji-check-unknown-mj", ["moji", "check", "MJ999999"], None, "MOJI_NOT_IN_FONT"),
        ("moji-check-tenant-dir", ["moji", "check", "葛", "--tenant", d], None, "TENANT_INVALID"),
        ("moji-show-surrogate", ["moji", "show", "U+D842"], None, "ARGUMENT_INVALID"),
        ("moji-show-too-big", ["moji", "show", "U+110000"], None, "ARGUMENT_INVALID"),
        ("moji-show-garbage", ["moji", "show", "U+ZZ"], None, "ARGUMENT_INVALID"),
        ("moji-show-unknown-mj", ["moji", "show", "MJ999999"], None, "MOJI_NOT_IN_FONT"),
        ("moji-show-empty", ["moji", "show", ""], None, "ARGUMENT_INVALID"),
        ("moji-no-subcommand", ["moji"], None, "ARGUMENT_INVALID"),
        ("serve-port", ["serve", "--port", "70000"], None, "ARGUMENT_INVALID"),
        ("serve-workers", ["serve", "--workers", "0"], None, "ARGUMENT_INVALID"),
        ("serve-db-dir", ["serve", "--db", d, "--port", "1"], None, "ARGUMENT_INVALID"),
        ("tenant-add-db-dir", ["tenant", "add", "--db", d, "--code", "992011", "--name", "みどり野市",
                               "--mayor-title", "市長", "--mayor-name", "x"], None, "ARGUMENT_INVALID"),
        ("tenant-add-profile-missing", ["tenant", "add", "--db", db, "--profile", str(tmp / "no.yaml")], None,
         "TENANT_INVALID"),
        ("tenant-add-profile-cp932", ["tenant", "add", "--db", db, "--profile", str(tmp / "profile_cp932.yaml")],
         None, "TENANT_INVALID"),
        ("tenant-add-no-fields", ["tenant", "add", "--db", db], None, "TENANT_INVALID"),
        ("tenant-add-bad-code", ["tenant", "add", "--db", db, "--code", "992012", "--name", "x",
                                 "--mayor-title", "x", "--mayor-name", "x"], None, "TENANT_INVALID"),
        ("tenant-show-unknown", ["tenant", "show", "992011", "--db", db], None, "NOT_FOUND"),
        ("tenant-show-db-is-not-sqlite", ["tenant", "show", "992011", "--db", str(tmp / "notpng.png")], None,
         "ARGUMENT_INVALID"),
        ("tenant-seal-dir", ["tenant", "set-seal", "992011", d, "--db", db], None, "ARGUMENT_INVALID"),
        ("tenant-seal-unknown", ["tenant", "set-seal", "992011", str(ROOT / "src/lgforms/tenants/demo/seal.png"),
                                 "--db", db], None, "NOT_FOUND"),
        ("tenant-seal-size", ["tenant", "set-seal", "992011", str(tmp / "notpng.png"), "--size-mm", "0",
                              "--db", db], None, "ARGUMENT_INVALID"),
        ("tenant-key-unknown", ["tenant", "add-key", "992011", "--db", db], None, "NOT_FOUND"),
        ("tenant-group-unknown", ["tenant", "group", "g", "992011", "--db", db], None, "NOT_FOUND"),
        ("tenant-group-purpose", ["tenant", "group", "g", "992011", "--purpose", "x", "--db", db], None, None),
        ("tenant-keys-unknown", ["tenant", "keys", "992011", "--db", db], None, "NOT_FOUND"),
        ("tenant-revoke-unknown", ["tenant", "revoke-key", "992011", "abc", "--db", db], None, "NOT_FOUND"),
        ("tenant-rotate-unknown", ["tenant", "rotate-key", "992011", "abc", "--db", db], None, "NOT_FOUND"),
        ("tenant-void-unknown", ["tenant", "void", "992011", "R08-1", "--reason", "x", "--db", db], None, "NOT_FOUND"),
        ("tenant-reconcile-unknown", ["tenant", "reconcile", "992011", "--db", db], None, "NOT_FOUND"),
        ("check-unknown", ["check", "nope"], None, "FORM_NOT_FOUND"),
        ("docs-output-is-a-file", ["docs", "-o", str(tmp / "notpng.png")], None, "ARGUMENT_INVALID"),
        ("preview-unknown-form", ["preview", "nope", s, "-o", str(tmp / "p.png")], None, "FORM_NOT_FOUND"),
        ("preview-page-99", ["preview", "kojin_zeigaku_kettei_futsu", str(FUTSU), "-o", str(tmp / "p.png"),
                             "--page", "99"], None, "ARGUMENT_INVALID"),
        ("preview-dpi", ["preview", "kojin_zeigaku_kettei_futsu", str(FUTSU), "-o", str(tmp / "p.png"),
                         "--dpi", "5000"], None, "ARGUMENT_INVALID"),
        ("preview-cp932", ["preview", "kojin_zeigaku_kettei_futsu", str(tmp / "cp932.json"), "-o",
                           str(tmp / "p.png")], None, "PAYLOAD_INVALID"),
        ("diff-missing-reference", ["diff", "kojin_zeigaku_kettei_futsu", str(FUTSU), "--against",
                                    str(tmp / "no.pdf")], None, "ARGUMENT_INVALID"),
        ("diff-not-an-image", ["diff", "kojin_zeigaku_kettei_futsu", str(FUTSU), "--against",
                               str(tmp / "notpng.png")], None, "ARGUMENT_INVALID"),
        ("designer-forms-dir", ["designer", "--forms-dir", str(tmp / "nofolder")], None, "ARGUMENT_INVALID"),
        ("designer-host", ["designer", "--host", "0.0.0.0"], None, "ARGUMENT_INVALID"),
        ("batch-unknown-form", ["batch", "nope", "notjson.json", "-o", str(tmp / "b1"), "--store", db], None,
         "FORM_NOT_FOUND"),
        ("batch-no-input", ["batch", "kojin_zeigaku_kettei_futsu", str(tmp / "missing.jsonl"), "-o", str(tmp / "b2"),
                            "--store", str(tmp / "b.db")], None, "BATCH_INVALID"),
        ("batch-broken-array", ["batch", "kojin_zeigaku_kettei_futsu", "broken_array.json", "-o", str(tmp / "b3"),
                                "--store", str(tmp / "b.db")], None, "BATCH_INVALID"),
        ("batch-no-output", ["batch", "kojin_zeigaku_kettei_futsu", "cp932.json", "--store", str(tmp / "b.db")],
         None, "BATCH_INVALID"),
        ("batch-resume-unknown", ["batch", "resume", "0123456789ab", "--store", str(tmp / "b.db")], None,
         "BATCH_NOT_FOUND"),
    ]


def test_every_subcommand_with_broken_inputs_exits_2_with_a_code(tmp_path):
    cases = _broken_cases(tmp_path)
    # every subcommand of the parser is covered
    covered = {tuple(a for a in args[:2] if isinstance(a, str) and not a.startswith("-"))[:2] for _, args, _, _ in cases}
    from lgforms.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        inner = [a for a in p._actions if getattr(a, "choices", None) and isinstance(a.choices, dict)]
        names = [(name, n) for a in inner for n in a.choices] or [(name,)]
        for n in names:
            assert any(c[:len(n)] == n for c in covered), f"no broken-input case for {' '.join(n)}"
    failures = []
    for cid, args, stdin, want in cases:
        r = lgforms(*args, stdin=stdin, cwd=tmp_path)
        try:
            code = error_code(r)
            assert want is None or code == want, f"code {code}, expected {want}"
        except AssertionError as e:
            failures.append(f"{cid}: {e}")
    assert not failures, "\n".join(failures)
    assert not (tmp_path / "o.pdf").exists()  # nothing was written by a failed render
