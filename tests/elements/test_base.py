"""The element-kind plugin interface (elements/base.py): what every kind inherits — the default
bind and rects, ``lay`` naming the element in errors, ``render`` turning a template's failure into
an error with the payload path, and the LayoutContext's offsets and JSON paths in loops."""

from __future__ import annotations

import pytest

from lgforms.bind.expressions import ExpressionCompiler
from lgforms.elements.base import Compiled, ElementKind, LayoutContext, _path_from_ctx, lay, render, spec_error
from lgforms.errors import FormSpecInvalid, TemplateError, ValueInvalid
from lgforms.layout.text import MojiProblems
from lgforms.layout.tracing import LAYOUT_TRACE
from lgforms.spec.models import ElementSpec

C = ExpressionCompiler()
WHERE = "f: page 'p' fields[2] (name)"


class Spec(ElementSpec):
    box: tuple[float, float, float, float] | None = None
    points: tuple[float, float, float, float] | None = None
    text: str | None = None


class Kind(ElementKind):
    name = "probe"
    Spec = Spec

    def __init__(self, result=None, error: Exception | None = None):
        self.result, self.error = result, error

    def layout(self, el, value, lc):
        if self.error is not None:
            raise self.error
        return [("laid", value)] if self.result is None else self.result


def element(kind: ElementKind | None = None, t: dict | None = None, when=None, extra=None, **spec) -> Compiled:
    return Compiled(Spec(kind="probe", **spec), kind or Kind(), WHERE, t or {}, when, extra or {})


def lc(**aliases) -> LayoutContext:
    c = LayoutContext({}, MojiProblems(), allow_ivs_fallback=False, form_id="f")
    c.aliases.update(aliases)
    return c


# -- Compiled.variables ------------------------------------------------------------------------------

def test_variables_are_those_of_templates_condition_children_and_nested_templates():
    child = element(t={"value": C.template("{{ person.name }}", where="w")})
    el = element(t={"value": C.template("{{ a.b }}{{ c }}", where="w")}, when=C.expression("d and e", where="w"),
                 extra={"children": [child], "templates": [C.template("{{ row.x }}", where="w")]})
    assert el.variables == frozenset({"a", "c", "d", "e", "person", "row"})
    assert element().variables == frozenset()
    assert element(t={"value": C.template("固定", where="w")}).variables == frozenset()


# -- LayoutContext -----------------------------------------------------------------------------------

def test_box_is_moved_by_the_context_offset():
    c = lc()
    assert c.box((10.0, 20.0, 30.0, 40.0)) == (10.0, 20.0, 30.0, 40.0)
    c.dx, c.dy = 2.5, -1.0
    assert c.box((10.0, 20.0, 30.0, 40.0)) == (12.5, 19.0, 30.0, 40.0)


def test_paths_follow_the_loop_aliases():
    c = lc(person=["persons", 4], slip=None)
    assert c.parts(("person", "name")) == ["persons", 4, "name"]
    assert c.path(("person", "name")) == "$.persons[4].name"
    assert c.path(("person",)) == "$.persons[4]"
    assert c.parts(("atena", "name")) == ["atena", "name"]
    assert c.path(("atena", "name")) == "$.atena.name"
    # an alias of a computed list: no payload path
    assert c.parts(("slip", "amount")) is None and c.path(("slip", "amount")) is None
    assert c.parts(None) is None and c.path(None) is None
    assert c.parts(()) is None and c.path(()) is None


def test_parts_do_not_change_the_alias_they_start_from():
    c = lc(person=["persons", 4])
    c.parts(("person", "name")).append("x")
    assert c.aliases["person"] == ["persons", 4]


def test_a_new_context_starts_at_the_first_page_with_no_offset():
    c = lc()
    assert (c.dx, c.dy, c.page_index, c.page_first, c.page_last) == (0.0, 0.0, 0, True, False)
    assert c.form_id == "f" and c.tenant is None and c.allow_ivs_fallback is False and c.trace is None


# -- default rects and bind --------------------------------------------------------------------------

def test_rects_are_the_box_or_the_rectangle_of_the_points():
    k = Kind()
    assert k.rects(Spec(kind="probe", box=(1, 2, 3, 4))) == [(1, 2, 3, 4)]
    assert k.rects(Spec(kind="probe", points=(10, 8, 4, 2))) == [(4, 2, 6, 6)]
    assert k.rects(Spec(kind="probe", points=(4, 2, 10, 8))) == [(4, 2, 6, 6)]
    assert k.rects(Spec(kind="probe")) == []


def test_bind_renders_the_value_or_gives_the_literal_text():
    k = Kind()
    assert k.bind(element(t={"value": C.template("{{ a }}様", where="w")}), {"a": "髙橋"}) == "髙橋様"
    assert k.bind(element(text="見出し"), {"a": "x"}) == "見出し"
    assert k.bind(element(), {}) is None


# -- lay ---------------------------------------------------------------------------------------------

def test_lay_returns_the_kind_s_primitives():
    assert lay(element(), "v", lc()) == [("laid", "v")]


def test_a_layout_error_names_the_element_once():
    el = element(Kind(error=ValueInvalid("too long", path="$.name")))
    with pytest.raises(ValueInvalid) as ei:
        lay(el, "v", lc())
    assert ei.value.message == f"{WHERE}: too long" and ei.value.path == "$.name"
    el = element(Kind(error=ValueInvalid(f"{WHERE}: too long")))
    with pytest.raises(ValueInvalid) as ei:
        lay(el, "v", lc())
    assert ei.value.message == f"{WHERE}: too long"


def test_a_form_mistake_and_a_bug_pass_through_unchanged():
    with pytest.raises(FormSpecInvalid) as ei:
        lay(element(Kind(error=FormSpecInvalid("bad box"))), "v", lc())
    assert ei.value.message == "bad box"
    with pytest.raises(ZeroDivisionError):
        lay(element(Kind(error=ZeroDivisionError("x"))), "v", lc())


def test_lay_hands_the_element_to_a_layout_recorder():
    seen = []

    class Recorder:
        def lay(self, el, value, c, inner):
            items = inner(el, value, c)
            seen.append((el.where, value, items))
            return items

    token = LAYOUT_TRACE.set(Recorder())
    try:
        c = lc()
    finally:
        LAYOUT_TRACE.reset(token)
    assert lay(element(), "v", c) == [("laid", "v")]
    assert seen == [(WHERE, "v", [("laid", "v")])]


# -- render ------------------------------------------------------------------------------------------

def test_render_gives_a_template_s_text_and_an_expression_s_value():
    el = element(t={"value": C.template("{{ n }}件", where="w"), "over": C.expression("items", where="w")})
    assert render(el, "value", {"n": 3}) == "3件"
    assert render(el, "over", {"items": [1, 2]}) == [1, 2]


def test_a_failing_template_is_a_template_error_with_the_payload_path():
    el = element(t={"value": C.template("{{ person.birth | wareki(fmt='nope') }}", where="w")})
    c = lc(person=["persons", 2])
    with pytest.raises(ValueInvalid) as ei:  # the filter's own error keeps its code
        render(el, "value", {"person": {"birth": "2020-01-01"}, "__layout__": c})
    assert ei.value.path == "$.persons[2].birth" and ei.value.message.startswith(f"{WHERE}: ")
    el = element(t={"value": C.template("{{ (a.b + 1) // 0 }}", where="w")})
    with pytest.raises(TemplateError) as ei:
        render(el, "value", {"a": {"b": 1}})
    assert ei.value.message == f"{WHERE}: ZeroDivisionError: integer division or modulo by zero"
    assert ei.value.path == "$.a.b"


def test_an_error_that_has_a_path_and_names_the_element_is_left_as_it_is():
    def boom(ctx):
        raise ValueInvalid(f"{WHERE}: own", path="$.elsewhere")

    class T:
        source_var = ("a",)
        evaluate = staticmethod(boom)

    el = element(t={"value": T()})
    with pytest.raises(ValueInvalid) as ei:
        render(el, "value", {"a": 1})
    assert ei.value.message == f"{WHERE}: own" and ei.value.path == "$.elsewhere"


def test_path_from_context_uses_the_loop_aliases_when_laying_out():
    assert _path_from_ctx({"__layout__": lc(row=["rows", 1])}, ("row", "x")) == "$.rows[1].x"
    assert _path_from_ctx({}, ("row", "x")) == "$.row.x"
    assert _path_from_ctx({}, None) is None and _path_from_ctx({}, ()) is None


def test_spec_error_names_the_element_and_the_key():
    e = spec_error(WHERE, "box is outside the page", "box", 2)
    assert isinstance(e, FormSpecInvalid) and e.message == f"{WHERE}: box is outside the page"
    assert e.detail == {"at": ["box", 2]}
    assert spec_error(WHERE, "m").detail in (None, {})


class Bare(ElementSpec):
    """A kind's spec with neither a box, points nor text (a rule, a block placement)."""


def test_a_spec_without_box_points_or_text_has_no_rects_and_binds_to_nothing():
    assert Kind().rects(Bare(kind="probe")) == []
    assert Kind().bind(Compiled(Bare(kind="probe"), Kind(), WHERE), {}) is None
