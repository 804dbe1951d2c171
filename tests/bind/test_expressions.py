"""Expressions (``when`` conditions, computed lists) evaluated without Jinja's per-call context give
Jinja's own result, or raise Jinja's own error, for every payload: present, missing, null, of
another type, keys that are also dict attributes. The reference is Jinja's compiled expression on
the same context. (A plain path — ``p.keys`` alone — is a dictionary walk by design, payload keys
first: see ``bind.expressions``; it is not compared here.)"""

from __future__ import annotations

import itertools

import jinja2.environment
import pytest

from lgforms.bind.expressions import ExpressionCompiler

EXPRESSIONS = [
    "gs1 and amount <= 300000", "amount > 300000", "cvs_limit and gs1 and amount <= 300000",
    "el_no and not el_qr", "not el_qr and not el_no", "kind == 'oshirase'", "kind != 'oshirase'",
    "kijitsuzen_sensei != false", "members | length > 2", "members | length <= 2", "[shi, ken]",
    "(shi, ken)", "p.shubetsu == '外国人住民'", "tokucho and futsucho", "tokucho or futsucho",
    "amount - 1000 >= 0", "amount + 1 == 300001", "0 < amount <= 300000", "kind in ['kokuho', 'kouki']",
    "kind not in ('kokuho',)", "p.items == 1", "p.keys == 2", "p.nested.deep == 3", "none == kind", "members",
]
VALUES = {
    "gs1": ["9191", "", None], "amount": [300000, 300001, 0, None, "12"], "cvs_limit": ["R8", None],
    "el_no": ["123", ""], "el_qr": ["QR", None], "kind": ["oshirase", "kokuho", None, 3],
    "kijitsuzen_sensei": [False, True, None], "members": [[1, 2, 3], [], "ab", None, 5],
    "shi": [{"rate": 6}], "ken": [{"rate": 4}], "tokucho": [True, False], "futsucho": [0, 1],
    "p": [{"shubetsu": "外国人住民", "items": 1, "keys": 2, "nested": {"deep": 3}}, {"shubetsu": "日本人住民"},
          {}, None, "text", [1]],
}


def contexts():
    """Each name in turn: every value it can take, and missing; the other names at their first value."""
    base = {k: v[0] for k, v in VALUES.items()}
    yield dict(base)
    for name, values in VALUES.items():
        for v in values[1:]:
            yield {**base, name: v}
        yield {k: v for k, v in base.items() if k != name}


def outcome(f, ctx):
    try:
        return "value", f(ctx)
    except Exception as e:  # noqa: BLE001 - the kind of error is what is compared
        return "error", type(e).__name__


@pytest.mark.parametrize("src", EXPRESSIONS)
def test_same_result_or_error_as_jinja(src):
    c = ExpressionCompiler()
    fast = c.expression(src, where="test").evaluate
    jinja = c.env.compile_expression(src, undefined_to_none=True)
    for ctx in contexts():
        assert outcome(fast, ctx) == outcome(jinja, ctx), (src, ctx)


@pytest.mark.parametrize("src,ctx,want", [
    ("gs1 and amount <= 300000", {"gs1": "9191", "amount": 300000}, True),
    ("gs1 and amount <= 300000", {"gs1": "", "amount": 300000}, ""),
    ("kind == 'oshirase'", {"kind": "oshirase"}, True),
    ("members | length > 2", {"members": [1, 2]}, False),
    ("[shi, ken]", {"shi": {"a": 1}, "ken": {"a": 2}}, [{"a": 1}, {"a": 2}]),
    ("0 < amount <= 300000", {"amount": 0}, False),
    ("p.nested.deep == 3", {"p": {"nested": {"deep": 3}}}, True),
    ("not el_qr and not el_no", {"el_qr": None, "el_no": ""}, True),
])
def test_present_values_are_evaluated_without_jinja(src, ctx, want, monkeypatch):
    """With every name and key there, Jinja is not called at all (no per-call context)."""
    c = ExpressionCompiler()
    e = c.expression(src, where="test")

    def refuse(*a, **k):
        raise AssertionError("Jinja evaluated it")

    monkeypatch.setattr(jinja2.environment.TemplateExpression, "__call__", refuse)
    assert e.evaluate(ctx) == want


@pytest.mark.parametrize("src,ctx", [
    ("gs1 and amount <= 300000", {"gs1": "9191"}),  # amount missing: Jinja's Undefined
    ("p.keys == 1", {"p": {"keys": 1}}),  # a key that is also a dict method: Jinja finds the method
    ("members | length > 2", {"members": iter([1, 2, 3])}),  # Jinja counts other iterables itself
    ("kind == none", {}),  # Undefined is not none for Jinja
])
def test_what_jinja_sees_differently_is_left_to_jinja(src, ctx):
    c = ExpressionCompiler()
    e = c.expression(src, where="test")
    jinja = c.env.compile_expression(src, undefined_to_none=True)
    calls = []
    real = jinja2.environment.TemplateExpression.__call__

    def counted(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)

    jinja2.environment.TemplateExpression.__call__ = counted
    try:
        got = outcome(e.evaluate, ctx)
    finally:
        jinja2.environment.TemplateExpression.__call__ = real
    assert calls and got == outcome(jinja, ctx)


def test_every_combination_of_three_names_matches_jinja():
    c = ExpressionCompiler()
    src = "el_no and not el_qr or kind == 'kokuho' and amount > 0"
    fast = c.expression(src, where="test").evaluate
    jinja = c.env.compile_expression(src, undefined_to_none=True)
    missing = object()
    for el_no, el_qr, kind, amount in itertools.product(["1", "", None, missing], ["Q", None, missing],
                                                        ["kokuho", "x", missing], [1, 0, None, missing]):
        ctx = {k: v for k, v in dict(el_no=el_no, el_qr=el_qr, kind=kind, amount=amount).items() if v is not missing}
        assert outcome(fast, ctx) == outcome(jinja, ctx), ctx


@pytest.mark.parametrize("src,parts", [
    # item i of the list -> its parts under the list's path ["L"] (None: no place in the payload)
    ("kibetsu", [["L", 0], ["L", 1]]), (" a.b ", [["L", 0], ["L", 1]]), ("kiroku or []", [["L", 0], ["L", 1]]),
    ("kibetsu[:6]", [["L", 0], ["L", 1]]), ("kibetsu[6:]", [["L", 6], ["L", 7]]), ("kibetsu[ 2 : 5 ]", [["L", 2], ["L", 3]]),
    ("[person]", [["L"], None]), ("[{}] + person.jiko", [None, ["L", 0]]), ("[{}, {'a': 1}] + jiko", [None, None]),
    ("kibetsu[-3:]", None), ("kibetsu[1:5:2]", None), ("kibetsu[n:]", None), ("kibetsu | reverse", None),
    ("kibetsu | selectattr('amount') | list", None), ("[1, 2]", None), ("none", None), ("true", None),
    ("[a, b]", None), ("[x] + jiko", None), ("jiko + [{}]", None), ("kiroku or [{}]", None),
])
def test_list_origin_says_where_a_list_s_items_sit_in_the_payload(src, parts):
    from lgforms.bind.expressions import ExpressionCompiler

    origin = ExpressionCompiler().expression(src, where="t").origin
    if parts is None:
        assert origin is None
    else:
        assert [origin.parts(["L"], i) for i in range(2)] == parts and origin.parts(None, 0) is None
