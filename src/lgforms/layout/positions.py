"""Where a character problem is in the payload value the caller sent.

Shaping finds a problem at an offset in the text of a field as bound: a template may put text
around the value (「{{ name }}様」, 「■{{ higai_teido }}」) and MJ012345 tokens are expanded before
shaping. The caller sent the value, so that is what ``position`` must count in (code points).
"""

from __future__ import annotations

import re

from ..errors import json_path

_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


class FieldPath(str):
    """The JSON path of the first of several payload values one text shows (「{{ a.pref }}{{
    a.city }}」), with the others (``others``: their JSON path parts, made into paths only when a
    problem needs them): ``locate`` reports a character problem at the value that holds it."""

    others: tuple[list, ...] = ()


def field_path(main: str | None, others) -> str | None:
    """``main``, or a FieldPath carrying ``others`` (JSON path parts; None dropped)."""
    others = tuple(o for o in others if o is not None)
    if main is None or not others:
        return main
    fp = FieldPath(main)
    fp.others = others
    return fp


def _character(d: dict) -> str | None:
    cps = d.get("codepoints")
    if not isinstance(cps, str) or not cps:
        return None
    try:
        return "".join(chr(int(c[2:], 16)) for c in cps.split())
    except ValueError:
        return None


def value_at(payload, path: str):
    v = payload
    for m in _PATH_PART.finditer(path, 1):
        key, index = m.groups()
        if index is not None:
            if not isinstance(v, list) or int(index) >= len(v):
                return None
            v = v[int(index)]
        else:
            if not isinstance(v, dict):
                return None
            v = v.get(key)
    return v


def locate(path: str | None, d: dict, bound: str | None, payload) -> str | None:
    """The path the problem ``d`` is at, and ``d["position"]`` made to count in its value.

    Of a text showing several values (a FieldPath) or a list's items (``{{ lines | join }}``),
    the problem is at the value whose text holds the position, else at the first that holds the
    character. ``d["position"]`` counts in ``bound`` (the field's text): where the value sits
    verbatim in the text, subtract where it starts; where a filter changed it, find the character
    in the value if it occurs there once; otherwise (a character of the form's own text, or no way
    to tell) leave no position rather than a wrong one."""
    others = getattr(path, "others", ())
    if path is not None:
        path = str(path)
    if others:
        others = [p for p in dict.fromkeys(json_path(o) for o in others) if p != path]
    if path is not None and payload is not None and (others or isinstance(value_at(payload, path), list)):
        candidates = list(_strings(payload, (path, *others)))
        pos = d.get("position")
        hit = None
        if bound is not None and isinstance(pos, int):  # the value whose text holds the position
            hit = next((c for c, v in candidates if _occurrence(v, bound, pos) is not None), None)
        ch = _character(d)
        if hit is None and ch is not None:  # a filter changed the values: the one holding the character
            hit = next((c for c, v in candidates if ch in v), None)
        path = hit or path
    _count_in_value(path, d, bound, payload)
    return path


def _strings(payload, paths):
    """(path, value) of each path whose value is a string, and of the string items of lists."""
    for p in paths:
        v = value_at(payload, p)
        if isinstance(v, str):
            yield p, v
        elif isinstance(v, list):
            yield from ((f"{p}[{k}]", x) for k, x in enumerate(v) if isinstance(x, str))


def _occurrence(value, bound: str, pos: int) -> int | None:
    """Where the occurrence of ``value`` in ``bound`` that holds ``pos`` starts, if one does."""
    if not isinstance(value, str) or not value:
        return None
    start = bound.find(value)
    while start != -1:
        if start <= pos < start + len(value):
            return start
        start = bound.find(value, start + 1)
    return None


def _count_in_value(path: str | None, d: dict, bound: str | None, payload) -> None:
    pos = d.get("position")
    if bound is None or path is None or not isinstance(pos, int):
        return
    value = value_at(payload, path)
    if isinstance(value, str) and value:
        start = _occurrence(value, bound, pos)
        if start is not None:
            d["position"] = pos - start
            return
        ch = _character(d)
        if ch is not None and bound.find(value) == -1:
            if value.count(ch) == 1:
                d["position"] = value.index(ch)
                return
    del d["position"]
    if isinstance(value, str) and value in bound:
        d["outside_value"] = True  # the character is in the form's text around the value
