"""A form prints a 個人番号 only where its schema declares one.

番号法 limits who may use a 個人番号 and where it may appear, and a notice printed with one in the
wrong field (宛名番号, 備考, a 通知書番号 column) cannot be recalled once mailed. So after the schema
check, every string (and integer) of a payload is scanned for something that looks like a 個人番号 --
12 digits, ASCII or full-width, optionally grouped 4-4-4 by spaces or hyphens, not part of a longer
run of digits, with a valid check digit -- and such a number is refused unless the field's schema
declares it:

* ``"format": "kojin-bango"``: the field holds a 個人番号 (its check digit is verified too);
* ``"x-kojin-bango": false``: the field holds other numbers of the same shape (e.g. a 12-digit
  宛名番号) -- a value that happens to pass the 個人番号 check is not one. Use it sparingly: it is
  the only way to switch the scan off, and a form author states it, never a payload.

A random 12-digit number passes the check digit about one time in ten, so fields that carry other
12-digit identifiers must say so; the scan cannot tell them apart. Fields with ``contentEncoding``
(base64 images) are not text and are not scanned.

The scan only looks at the schema when it found a candidate, so the common payload costs one regular
expression per string.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..codes.checkdigits import is_valid_my_number
from ..errors import PayloadInvalid, json_path

_D = "[0-9\uff10-\uff19]"
_S = "[ \u3000\\-\u2010\u2011\u2012\u2013\u2212\uff0d]"
# 12 digits, grouped 4-4-4 or not, with no digit right before or after. Digits beyond a separator do
# not exempt a candidate ("2026-06-30 123456789018" is still one): a missed 個人番号 is printed and
# mailed, a false alarm is a clear error the form author can answer with "x-kojin-bango": false.
CANDIDATE = re.compile(f"(?<!{_D}){_D}{{4}}{_S}?{_D}{{4}}{_S}?{_D}{{4}}(?!{_D})")
_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


def _digits_of(match: str) -> str:
    return "".join(c for c in match.translate(_TO_ASCII) if c.isdigit())


def looks_like_my_number(text: str) -> bool:
    """True if ``text`` contains a 12-digit number (grouping allowed) with a valid 個人番号 check digit."""
    return any(is_valid_my_number(_digits_of(m.group())) for m in CANDIDATE.finditer(text))


def _strings(value: Any, path: list[str | int], skip: Any) -> Iterator[tuple[list[str | int], str]]:
    """(path, text) of every string and integer not under an encoded field (see ``_skip_tree``)."""
    if skip is SKIP:
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        yield path, str(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + [k], skip.get(k) if skip else None)
    elif isinstance(value, list):
        sub = skip.get(ITEMS) if skip else None
        for i, v in enumerate(value):
            yield from _strings(v, path + [i], sub)


def _texts(value: Any, skip: Any, out: list[str]) -> list[str]:
    # the fast pass: the same values as _strings, without paths (most payloads carry no candidate)
    if skip is SKIP:
        return out
    t = type(value)
    if t is str:
        out.append(value)
    elif t is dict:
        if skip:
            for k, v in value.items():
                _texts(v, skip.get(k), out)
        else:
            for v in value.values():
                _texts(v, None, out)
    elif t is list:
        sub = skip.get(ITEMS) if skip else None
        for v in value:
            _texts(v, sub, out)
    elif t is int:
        out.append(str(value))
    return out


# -- which subschemas apply at a payload location ----------------------------------------------------

def _resolve(ref: str, root: dict) -> Any:
    if not ref.startswith("#"):
        return None  # the loader builds no registry: only local references can be in force
    node: Any = root
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _applicable(schema: Any, root: dict, seen: set[int] | None = None) -> list[dict]:
    """``schema`` and every subschema that may apply to the same instance ($ref, allOf/anyOf/oneOf, then/else).
    Every branch of anyOf/oneOf counts: a field is declared if one of its allowed forms declares it."""
    if not isinstance(schema, dict):
        return []
    seen = seen if seen is not None else set()
    if id(schema) in seen:
        return []
    seen.add(id(schema))
    out = [schema]
    if isinstance(schema.get("$ref"), str):
        out += _applicable(_resolve(schema["$ref"], root), root, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            out += _applicable(sub, root, seen)
    for key in ("then", "else"):  # not "if": a condition tests a value, it declares nothing
        out += _applicable(schema.get(key), root, seen)
    return out


def _children(schema: dict, part: str | int) -> list[Any]:
    out: list[Any] = []
    if isinstance(part, str):
        props = schema.get("properties") or {}
        if part in props:
            out.append(props[part])
        matched = False
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            if re.search(pattern, part):
                out.append(sub)
                matched = True
        if part not in props and not matched and isinstance(schema.get("additionalProperties"), dict):
            out.append(schema["additionalProperties"])
    else:
        prefix = schema.get("prefixItems") or []
        if part < len(prefix):
            out.append(prefix[part])
        elif isinstance(schema.get("items"), dict):
            out.append(schema["items"])
    return out


def schemas_at(root: dict, path: list[str | int]) -> list[dict]:
    """Every subschema of ``root`` that applies to the payload value at ``path``."""
    nodes = _applicable(root, root)
    for part in path:
        nxt: list[dict] = []
        for n in nodes:
            for child in _children(n, part):
                nxt += _applicable(child, root)
        nodes = nxt
    return nodes


def declared_for_kojin_bango(root: dict, path: list[str | int]) -> bool:
    """True if the schema says the value at ``path`` may be (or may look like) a 個人番号."""
    return any(s.get("format") == "kojin-bango" or s.get("x-kojin-bango") is False
               for s in schemas_at(root, path))


# -- encoded fields are not text ---------------------------------------------------------------------
# A field whose schema has "contentEncoding" (the base64 of a 印影 PNG, up to 1.4 MB) is data for a
# decoder, not text that is printed: scanning it would cost tens of milliseconds and find only chance
# digit runs. The skip tree marks such fields: {property: subtree, ITEMS: subtree} or SKIP.

SKIP = object()
ITEMS = object()
_trees: dict[int, tuple[dict, Any]] = {}  # id(schema) -> (schema, tree); the schema keeps the id unique


def _skip_tree(schema: Any, root: dict, expanding: frozenset[int] = frozenset()) -> Any:
    subs = _applicable(schema, root)
    if any("contentEncoding" in s for s in subs):
        return SKIP
    tree: dict[Any, Any] = {}
    for s in subs:
        if id(s) in expanding:  # a recursive schema: stop where it repeats itself
            continue
        inner = expanding | {id(s)}
        for name, sub in (s.get("properties") or {}).items():
            t = _skip_tree(sub, root, inner)
            if t is not None:
                tree.setdefault(name, t)
        if isinstance(s.get("items"), dict):
            t = _skip_tree(s["items"], root, inner)
            if t is not None:
                tree.setdefault(ITEMS, t)
    return tree or None


def skip_tree(schema: dict) -> Any:
    hit = _trees.get(id(schema))
    if hit is None or hit[0] is not schema:
        hit = _trees[id(schema)] = (schema, _skip_tree(schema, schema))
    return hit[1]


def refuse_undeclared(schema: dict, payload: Any, *, form_id: str | None = None) -> None:
    """Raise PAYLOAD_INVALID at the first value that looks like a 個人番号 in a field not declared for one."""
    skip = skip_tree(schema)
    # One regular-expression pass over all the payload's text; "\n" keeps values apart (it is no digit).
    if not looks_like_my_number("\n".join(_texts(payload, skip, []))):
        return
    for path, text in _strings(payload, [], skip):
        if not looks_like_my_number(text):
            continue
        if declared_for_kojin_bango(schema, path):
            continue
        raise PayloadInvalid(
            "looks like a 個人番号 (12 digits with a valid check digit), and this form's schema does not "
            "declare the field for one (\"format\": \"kojin-bango\"); a 個人番号 is printed only where a "
            "form provides for it", path=json_path(path), form_id=form_id,
            detail={"reason": "kojin_bango_not_allowed"})
