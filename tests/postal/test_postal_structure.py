"""A mailed layout's structure — the 宛名 and 差出人 blocks name elements, every page is a panel,
every panel is there, the 宛名 is on the address panel — is checked when the form loads and each
mistake is reported at its file and line (``postal.delivery.structure_problems``); a render for
another delivery than a layout's own meets the same checks as a POSTAL_CONSTRAINT.

Each case edits one line of a copy of the 投票所入場券 (圧着はがき V, with a window-envelope
variant) and expects FORM_SPEC_INVALID naming form.yaml and the edited line.
"""

from __future__ import annotations


import pytest

import lgforms
from lgforms.errors import FormSpecInvalid, PostalConstraint
from lgforms.spec.loader import reset_block_libraries

from formtest import forms_copy

FORM = "senkyo_nyujoken_atchaku"
SHOWN = f"{FORM}/form.yaml"

# (id, old text, new text, where, the whole message)
MISTAKES = [
    ("address-block-unknown-id", "  address_block: [atena_postcode, atena]\n", "  address_block: [atena_postcode, atena_x]\n",
     "postal.address_block",
     "the 宛名 block names no elements atena_x (postal.address_block lists element ids)"),
    ("sender-block-unknown-id", "  sender_block: [sender]\n", "  sender_block: [sendr]\n", "postal.sender_block",
     "postal.sender_block names 'sendr', which is no element id"),
    ("page-without-panel", "  - id: annai\n    panel: inner_left\n", "  - id: annai\n", "pages[3]",
     "page 'annai' has no 'panel' (pressure-seal-V lays out panels address, back, inner_left, inner_right)"),
    ("panel-missing", "  - id: nyujoken\n    panel: inner_right\n", "  - id: nyujoken\n    panel: inner_left\n",
     "pages", "the form lays out panels ['address', 'back', 'inner_left']; pressure-seal-V needs "
              "['address', 'back', 'inner_left', 'inner_right']"),
    ("address-not-on-address-panel", "  - id: atena\n    panel: address\n", "  - id: atena\n    panel: inner_right\n",
     "postal.address_block", None),  # two problems: the address panel is missing, and the 宛名 is not on it
    ("variant-address-block", "      address_block: [atena]\n", "      address_block: [atena_y]\n",
     "variants.window-envelope.postal.address_block",
     "the 宛名 block names no elements atena_y (postal.address_block lists element ids)"),
]


@pytest.fixture()
def form_copy(tmp_path):
    yield forms_copy(tmp_path, "senkyo", FORM)
    reset_block_libraries()


@pytest.mark.parametrize("case", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_structure_mistake_is_reported_at_its_line(case, form_copy):
    cid, old, new, where, message = case
    f = form_copy / "senkyo" / SHOWN
    text = f.read_text("utf-8")
    assert text.count(old) == 1, cid
    start = text[:text.index(old)].count("\n") + 1
    f.write_text(text.replace(old, new), "utf-8")
    reset_block_libraries()
    with pytest.raises(FormSpecInvalid) as ei:
        lgforms.Catalog(form_copy).get(FORM)
    errors = ei.value.detail["errors"]
    hits = [e for e in errors if e["where"] == where]
    assert hits, errors
    e = hits[0]
    assert e["file"] == SHOWN
    if cid == "page-without-panel":
        assert e["line"] == start  # the page's own line: its panel key is what is missing
    elif cid == "panel-missing":
        assert e["line"] == 40  # pages:
    elif cid == "address-not-on-address-panel":
        assert e["line"] == 30  # address_block:
        assert [x["message"] for x in errors] == [
            "the form lays out panels ['back', 'inner_left', 'inner_right']; pressure-seal-V needs "
            "['address', 'back', 'inner_left', 'inner_right']",
            "the 宛名 block is on panel inner_right, not on the address panel"]
    else:
        assert e["line"] == start
    if message is not None:
        assert e["message"] == message
    assert ei.value.code == "FORM_SPEC_INVALID"
    first = errors[0]  # the message names the first problem's file and line
    assert ei.value.message.startswith(f"{FORM}: {SHOWN}:{first['line']}: {first['where']}: {first['message']}")


def test_the_unedited_form_loads(form_copy):
    reset_block_libraries()
    assert lgforms.Catalog(form_copy).get(FORM).delivery == "pressure-seal-V"


def _sample(cat, form_id: str) -> dict:
    import json

    payload = json.loads(next(iter(cat.get(form_id).samples.values())).read_text("utf-8"))
    return {k: v for k, v in payload.items() if not k.startswith("_")}


@pytest.mark.parametrize("form_id, delivery, message", [
    # an A4 window-envelope notice asked for as a 圧着はがき: its page is no panel
    ("kojin_zeigaku_kettei_futsu", "pressure-seal-V",
     "kojin_zeigaku_kettei_futsu: page 'notice' has no 'panel' (pressure-seal-V lays out panels address, back, "
     "inner_left, inner_right)"),
    # a counter certificate asked for as a postcard: it has no 宛名 at all
    ("inkan_toroku_shomeisho", "postcard",
     "inkan_toroku_shomeisho: the 宛名 block names no element (postal.address_block lists element ids)"),
])
def test_render_for_a_delivery_the_layout_was_not_made_for_is_refused_with_the_reason(form_id, delivery, message):
    """The layout loaded fine for its own delivery; the same structure checks refuse it at render
    time as POSTAL_CONSTRAINT, naming the form, not with a traceback."""
    cat = lgforms.Catalog()
    with pytest.raises(PostalConstraint) as ei:
        lgforms.render(form_id, _sample(cat, form_id), delivery=delivery, catalog=cat)
    assert ei.value.message == message
    assert ei.value.code == "POSTAL_CONSTRAINT"
