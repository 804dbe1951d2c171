"""The 圧着はがき blocks say what their A4 counterparts say: the 教示 of a hagaki variant is the same
law text as the A4 notice's, only set narrower (forms/_blocks/hagaki_*kyoji*.yaml, hagaki_kyoji.yaml),
and so is the 納付について (督促・延滞金・滞納処分) of the tax notices (tainou_chui_hagaki)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import lgforms

BLOCKS = Path(__file__).resolve().parents[2] / "forms" / "_blocks"


def wording(name: str, branch: str | None = None) -> str:
    raw = yaml.safe_load((BLOCKS / f"{name}.yaml").read_text(encoding="utf-8"))
    [value] = [f["value"] for f in raw["fields"] if f.get("kind") == "textblock"]
    if branch == "general":  # kyoji: the {% else %} branch is kind general
        value = value.split("{%- else -%}\n", 1)[1].split("\n{%- endif %}", 1)[0]
    return value


def params(name: str) -> dict:
    raw = yaml.safe_load((BLOCKS / f"{name}.yaml").read_text(encoding="utf-8"))
    return {k: v for k, v in raw["params"].items() if k != "kind"}


@pytest.mark.parametrize("hagaki,a4,branch", [
    ("hagaki_kyoji_v", "kyoji", "general"),
    ("hagaki_kyoji_zenchi", "fukushi_kyoji_zenchi", None),
])
def test_hagaki_kyoji_says_what_the_a4_kyoji_says(hagaki, a4, branch):
    assert wording(hagaki) == wording(a4, branch)
    assert params(hagaki) == params(a4)  # the same 審査庁, 被告 and 代表者 defaults


def static_wording(name: str) -> str:
    raw = yaml.safe_load((BLOCKS / f"{name}.yaml").read_text(encoding="utf-8"))
    [text] = [e["text"] for e in raw["static"] if e.get("kind") == "textblock"]
    return text


def test_hagaki_seiho_chui_says_what_seiho_chui_says():
    assert static_wording("hagaki_seiho_chui") == static_wording("seiho_chui")


def _field(block: str, fid: str) -> dict:
    raw = yaml.safe_load((BLOCKS / f"{block}.yaml").read_text("utf-8"))
    return next(f for f in raw["fields"] if f.get("id") == fid)


@pytest.mark.parametrize("a4,hagaki,fid,must", [
    ("kyoji", "hagaki_kyoji", "kyoji", "地方税法第19条の12"),
    ("tainou_chui", "tainou_chui_hagaki", "tainou_chui", "滞納処分"),
    ("shinsakai_kyoji", "hagaki_shinsakai_kyoji", "kyoji", "裁決を経た後"),
])
def test_a_hagaki_block_has_the_a4_wording(a4, hagaki, fid, must):
    a = _field(a4, fid)["value"]
    h = _field(hagaki, fid)["value"]
    assert h == a and must in h


@pytest.mark.parametrize("form_id", ["kojin_tokucho_kettei_gimusha", "keiji_nozei_tsuchisho", "kojin_zeigaku_kettei_futsu"])
def test_the_hagaki_prints_the_a4_kyoji(form_id):
    """Rendered: the 教示 text of the Z-fold variant equals the A4 one (text layer, spaces and line
    breaks removed)."""
    from pdfcheck import load_sample, pypdf_pages  # noqa: PLC0415

    form = lgforms.Catalog().get(form_id)
    payload = load_sample(next(iter(form.samples.values())))

    def flat(pdf: bytes) -> str:
        return "".join("".join(pypdf_pages(pdf)).split())

    a4 = flat(lgforms.render(form_id, payload))
    z = flat(lgforms.render(form_id, payload, delivery="pressure-seal-Z"))
    start = a4.index("１この処分について不服がある場合は")
    end = a4.index("提起することができます。", start) + len("提起することができます。")
    end = a4.index("提起することができます。", end) + len("提起することができます。")
    assert a4[start:end] in z


@pytest.mark.parametrize("kind", ["general", "zeimu", "kakaku"])
def test_every_kind_of_the_hagaki_kyoji_fits_its_block(tmp_path, kind):
    """The longest wording (kakaku) too: a 教示 that does not fit would be TEXT_OVERFLOW."""
    import shutil

    from lgforms.spec.loader import reset_block_libraries

    shutil.copytree(BLOCKS, tmp_path / "_blocks")
    d = tmp_path / "t" / "k"
    (d / "samples").mkdir(parents=True)
    (d / "schema.json").write_text('{"type": "object", "properties": {}}', "utf-8")
    (d / "form.yaml").write_text(
        "id: k\ntitle: 教示\narea: test\npaper: {size: postcard}\n"
        "tenant_slots: [local_name, mayor_title]\n"
        f"pages:\n  - id: p\n    fields:\n      - {{kind: block, use: hagaki_kyoji, at: [6, 10], with: {{kind: {kind}}}}}\n",
        "utf-8")
    reset_block_libraries()
    try:
        doc = lgforms.layout("k", {}, catalog=lgforms.Catalog(tmp_path))
    finally:
        reset_block_libraries()
    text = "".join(it.text for it in doc.pages[0].items if hasattr(it, "clusters"))
    assert "審査" in text and "取消しの訴え" in text
