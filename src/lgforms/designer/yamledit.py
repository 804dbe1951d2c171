"""Edits of a form's YAML text that keep everything else as written (comments, flow style, order).

The designer moves and resizes boxes; only the one value changes: the element's ``box`` /
``at`` / ``points`` (found by the line the element starts on, as the loader reports it), or a
page's ``flow.box`` / ``flow.next_box``. The new value is written in flow style
(``[15, 54, 180, 236]``) where the old one was; an ``at`` a block placement leaves out (its
default [0, 0]) is added as its first key.

Also here: the checks a form text from a service user must pass before the loader reads it
(size, alias expansion, no file outside the form's folder, no profile path).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import FormSpecInvalid

MAX_YAML_BYTES = 512 * 1024
MAX_NODES = 200_000  # after alias expansion (a "billion laughs" text is refused before loading)
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_REL = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9_./-]{1,200}$")


class EditError(FormSpecInvalid):
    """A move the text cannot take (the element or key is not where the form says)."""


def _compose(text: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise FormSpecInvalid(f"form.yaml:{line}: YAML: {getattr(e, 'problem', None) or e}",
                              detail={"errors": [{"file": "form.yaml", "line": line, "where": "YAML",
                                                  "message": f"YAML: {getattr(e, 'problem', None) or e}"}]}) from None
    if node is None:
        raise EditError("the form text is empty")
    return node


def _fmt(v: float) -> str:
    v = round(v, 2)
    return f"{v:g}" if v != int(v) else str(int(v))


def _flow_seq(values) -> str:
    return "[" + ", ".join(_fmt(v) for v in values) + "]"


def _get(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _numbers(node: yaml.Node, n: int) -> list[float]:
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != n:
        raise EditError(f"expected a list of {n} numbers at line {node.start_mark.line + 1}")
    try:
        return [float(x.value) for x in node.value]
    except (ValueError, AttributeError):
        raise EditError(f"expected numbers at line {node.start_mark.line + 1}") from None


def _element_at(root: yaml.Node, line: int) -> yaml.MappingNode:
    """The outermost mapping with a ``kind`` that starts on ``line`` (1-based)."""
    stack = [root]
    while stack:
        n = stack.pop(0)
        if isinstance(n, yaml.MappingNode):
            if n.start_mark.line + 1 == line and _get(n, "kind") is not None:
                return n
            stack.extend(v for _, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    raise EditError(f"no element starts on line {line} of form.yaml (edited meanwhile?)")


def _replace(text: str, node: yaml.Node, new: str) -> str:
    return text[:node.start_mark.index] + new + text[node.end_mark.index:]


def move_element(text: str, line: int, key: str, dx: float, dy: float, dw: float = 0.0, dh: float = 0.0) -> str:
    """Move (and for ``box`` / ``points`` resize) the element starting on ``line`` by millimetres."""
    root = _compose(text)
    el = _element_at(root, line)
    found = _get(el, key)
    if key == "box":
        if found is None:
            raise EditError(f"the element on line {line} has no box")
        x, y, w, h = _numbers(found[1], 4)
        w, h = max(0.5, w + dw), max(0.5, h + dh) if h > 0 else h
        return _replace(text, found[1], _flow_seq([x + dx, y + dy, w, h]))
    if key == "points":
        if found is None:
            raise EditError(f"the element on line {line} has no points")
        x1, y1, x2, y2 = _numbers(found[1], 4)
        return _replace(text, found[1], _flow_seq([x1 + dx, y1 + dy, x2 + dx + dw, y2 + dy + dh]))
    if key == "at":
        if found is not None:
            x, y = _numbers(found[1], 2)
            return _replace(text, found[1], _flow_seq([x + dx, y + dy]))
        first_key = el.value[0][0]
        at = first_key.start_mark.index
        if el.flow_style:
            return text[:at] + f"at: {_flow_seq([dx, dy])}, " + text[at:]
        indent = " " * first_key.start_mark.column
        return text[:at] + f"at: {_flow_seq([dx, dy])}\n{indent}" + text[at:]
    raise EditError(f"cannot move by {key!r} (box, at or points)")


def move_flow(text: str, template: str, key: str, dx: float, dy: float, dw: float = 0.0, dh: float = 0.0) -> str:
    """Move or resize a page template's flow region (``box`` or ``next_box``). The two stay
    equally wide (the loader requires it): a width change is applied to both."""
    root = _compose(text)
    pages = _get(root, "pages") if isinstance(root, yaml.MappingNode) else None
    if pages is None or not isinstance(pages[1], yaml.SequenceNode):
        raise EditError("the form has no pages")
    for p in pages[1].value:
        if isinstance(p, yaml.MappingNode) and (_get(p, "id") or (None, None))[1] is not None \
                and _get(p, "id")[1].value == template:
            flow = _get(p, "flow")
            if flow is None or not isinstance(flow[1], yaml.MappingNode):
                raise EditError(f"page {template!r} has no flow")
            target = _get(flow[1], key) or _get(flow[1], "box")
            other = _get(flow[1], "next_box" if target[0].value == "box" else "box")
            x, y, w, h = _numbers(target[1], 4)
            edits = [(target[1], [x + dx, y + dy, max(10.0, w + dw), max(5.0, h + dh)])]
            if dw and other is not None:
                ox, oy, ow, oh = _numbers(other[1], 4)
                edits.append((other[1], [ox, oy, max(10.0, ow + dw), oh]))
            for node, vals in sorted(edits, key=lambda e: -e[0].start_mark.index):
                text = _replace(text, node, _flow_seq(vals))
            return text
    raise EditError(f"no page {template!r}")


# ---------------------------------------------------------------------------------------------
# a form text from a service user


def check_untrusted(text: str, form_id: str) -> None:
    """Refuse a form text the loader should not read for a service user: too large, aliases
    expanding beyond ``MAX_NODES``, files outside the form's folder (``schema``,
    ``tenant_tables``), block names that are not names, printer profiles given as paths."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise FormSpecInvalid(f"the form text is over {MAX_YAML_BYTES // 1024} KB", form_id=form_id)
    root = _compose(text)
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        hit = sizes.get(id(n))
        if hit is not None:
            return hit
        sizes[id(n)] = 1  # a recursive alias counts once (the loader refuses it)
        if isinstance(n, yaml.MappingNode):
            s = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            s = 1 + sum(size(v) for v in n.value)
        else:
            s = 1
        sizes[id(n)] = min(s, MAX_NODES + 1)
        return sizes[id(n)]

    if size(root) > MAX_NODES:
        raise FormSpecInvalid(f"the form text expands to more than {MAX_NODES} values (aliases)", form_id=form_id)
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        return  # the loader says what is wrong
    problems: list[str] = []
    schema = data.get("schema", "schema.json")
    if not isinstance(schema, str) or not _REL.match(schema):
        problems.append(f"schema: {schema!r} must be a file in the form's folder")
    tables = data.get("tenant_tables") or {}
    if isinstance(tables, dict):
        for k, v in tables.items():
            if not isinstance(v, str) or not _REL.match(v):
                problems.append(f"tenant_tables.{k}: {v!r} must be a file in the form's folder")

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            use = x.get("use")
            if use is not None and (not isinstance(use, str) or not _NAME.match(use)):
                problems.append(f"use: {use!r} is not a block name")
            postal = x.get("postal")
            prof = postal.get("profile") if isinstance(postal, dict) else None
            if prof is not None and (not isinstance(prof, str) or not _NAME.match(prof)):
                problems.append(f"postal.profile: {prof!r}: only a shipped printer profile's name")
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    if problems:
        raise FormSpecInvalid(f"{form_id}: {problems[0]}", form_id=form_id,
                              detail={"errors": [{"file": f"{form_id}/form.yaml", "line": None, "where": "designer",
                                                  "message": m} for m in problems]})
