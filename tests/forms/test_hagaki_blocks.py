"""The 圧着はがき blocks say what their A4 counterparts say: the 教示 of a hagaki variant is the same
law text as the A4 notice's, only set narrower (forms/_blocks/hagaki_*kyoji*.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

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
    ("hagaki_kyoji", "kyoji", "general"),
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
