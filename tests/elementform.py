"""A one-form catalog written in a test's tmp_path, for the element tests (tests/elements/
test_block.py, test_grid.py, test_table.py): write the form, read its load errors, its laid-out
pages and the text lines and rules on them.

The form's ``pages:`` list starts on line 6 of form.yaml (line 6 + the lines of ``top``), so the
first element of the first page is on line 8: the tests write the lines of their mistakes out."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import lgforms
from lgforms.errors import FormSpecInvalid
from lgforms.layout.boxes import FormRef, LineBox, RectBox, TextLine

HEAD = """\
id: doc
title: {title}
area: test
paper: {{size: A4, width: 210, height: 297}}
{top}pages:
"""


def write_form(root: Path, pages: str, *, props: dict, styles: str, top: str = "", title: str = "doc",
               blocks: dict[str, str] | None = None) -> lgforms.Catalog:
    """The catalog at ``root`` holding the form ``doc`` whose ``pages:`` list is ``pages`` (YAML
    at the list's indentation), with the keys ``top`` before it, the schema's ``props``, the
    shared ``styles`` (YAML of _blocks/styles.yaml) and the blocks ``name -> yaml``."""
    from lgforms.spec.loader import reset_block_libraries

    d = root / "t" / "doc"
    d.mkdir(parents=True, exist_ok=True)
    head = HEAD.format(title=title, top=top)
    (d / "form.yaml").write_text(head + textwrap.indent(textwrap.dedent(pages), "  "), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": props}), "utf-8")
    (root / "_blocks").mkdir(exist_ok=True)
    (root / "_blocks" / "styles.yaml").write_text(styles, "utf-8")
    for name, text in (blocks or {}).items():
        (root / "_blocks" / f"{name}.yaml").write_text(textwrap.dedent(text), "utf-8")
    reset_block_libraries()
    return lgforms.Catalog(root)


def load_errors(cat, keys: tuple[str, ...] = ("line", "where", "message")) -> list[tuple]:
    """``keys`` of every error the form's load reports (it must fail with FORM_SPEC_INVALID)."""
    with pytest.raises(FormSpecInvalid) as ei:
        cat.get("doc")
    assert ei.value.code == "FORM_SPEC_INVALID"
    return [tuple(e[k] for k in keys) for e in ei.value.detail["errors"]]


def laid_out(cat, payload) -> list[tuple[list, list]]:
    """(static items, page items) of every page, FormRefs left out."""
    return [([it for sp in pg.statics for it in sp.items], [it for it in pg.items if not isinstance(it, FormRef)])
            for pg in lgforms.layout("doc", payload, catalog=cat).pages]


def texts(items) -> dict[str, TextLine]:
    """The text lines by their text (each text once)."""
    out = {}
    for it in items:
        if isinstance(it, TextLine):
            assert it.text not in out, it.text
            out[it.text] = it
    return out


def shapes(items) -> list:
    return [it for it in items if isinstance(it, (LineBox, RectBox))]
