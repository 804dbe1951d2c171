"""Every form folder is complete: form.yaml, schema.json, README.md and at least two samples (a
typical and an edge one); every schema field is typed and described; every field is printed —
the samples together carry every schema field, and the end-to-end test finds each value on paper
(fields that are only checked or encoded say so with ``"x-printed": false`` and why)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lgforms

ROOT = Path(__file__).resolve().parents[2]
CAT = lgforms.Catalog(ROOT / "forms")
FORMS = CAT.ids()


def _leaf_paths(schema: dict, node: dict, path: str, out: dict[str, dict]) -> None:
    """JSON paths ("$.persons[].name") of every leaf property the schema declares."""
    types = lgforms.spec.paths.SchemaTypes(schema)
    node = types.resolve(node)
    props = types.properties(node)
    kind = types.kind(node)
    if props:
        for k, v in props.items():
            _leaf_paths(schema, v, f"{path}.{k}", out)
    elif kind == "array":
        _leaf_paths(schema, types.items(node), f"{path}[]", out)
    else:
        out[path] = node


def _sample_paths(value, path: str, out: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if not k.startswith("_"):
                _sample_paths(v, f"{path}.{k}", out)
    elif isinstance(value, list):
        for v in value:
            _sample_paths(v, f"{path}[]", out)
    else:
        out.add(path)


@pytest.mark.parametrize("form_id", FORMS)
def test_folder_is_complete(form_id):
    form = CAT.get(form_id)
    folder = form.folder
    assert (folder / "README.md").is_file(), f"{form_id}: README.md missing"
    readme = (folder / "README.md").read_text("utf-8")
    assert len(readme) > 300 and ("出典" in readme or "Sources" in readme or "sources" in readme), \
        f"{form_id}: the README names no sources"
    assert len(form.samples) >= 2, f"{form_id}: a typical and an edge sample are needed"
    schema = json.loads((folder / "schema.json").read_text("utf-8"))
    assert schema.get("additionalProperties") is False, f"{form_id}: the top level must forbid unknown fields"


@pytest.mark.parametrize("form_id", FORMS)
def test_every_field_is_described_and_printed(form_id):
    form = CAT.get(form_id)
    leaves: dict[str, dict] = {}
    _leaf_paths(form.schema, form.schema, "$", leaves)
    undescribed = []
    types = lgforms.spec.paths.SchemaTypes(form.schema)

    def walk(node: dict, path: str) -> None:
        node = types.resolve(node)
        for k, v in (types.properties(node) or {}).items():
            v2 = types.resolve(v)
            if not (v.get("description") or v2.get("description")):
                undescribed.append(f"{path}.{k}")
            walk(v2, f"{path}.{k}")
        if types.kind(node) == "array":
            walk(types.items(node), f"{path}[]")

    walk(form.schema, "$")
    assert not undescribed, f"{form_id}: fields without a description: {undescribed}"
    seen: set[str] = set()
    for name in form.samples:
        _sample_paths(form.sample(name), "$", seen)
    silent = [p for p, node in leaves.items() if p not in seen and node.get("x-printed") is not False
              and p != "$.form_id"]
    assert not silent, (f"{form_id}: no sample carries {silent}: every field must be printed and shown "
                        f"by a sample (or marked x-printed: false with the reason)")
