"""The line of every JSON path in a payload text: errors are shown at their line.

``json.loads`` keeps no positions; this small scanner walks the same grammar and records, for
each value, the line of its key (members) or of the value itself (list items and the root).
A text that is not valid JSON gives the positions found up to the mistake (the error itself
has its own line from the parser).
"""

from __future__ import annotations

import bisect
import re
from json.decoder import scanstring

from ..errors import json_path

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class _Stop(Exception):
    pass


def path_lines(text: str) -> dict[str, int]:
    """``{"$": 1, "$.persons": 3, "$.persons[0].name": 5, …}`` (lines from 1)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out: dict[str, int] = {}

    def line(i: int) -> int:
        return bisect.bisect_right(starts, i)

    def ws(i: int) -> int:
        return _WS.match(text, i).end()

    def value(i: int, parts: list, at: int) -> int:
        out.setdefault(json_path(parts), line(at))
        if i >= len(text):
            raise _Stop
        c = text[i]
        if c == "{":
            i = ws(i + 1)
            if i < len(text) and text[i] == "}":
                return i + 1
            while True:
                if i >= len(text) or text[i] != '"':
                    raise _Stop
                key_at = i
                try:
                    key, i = scanstring(text, i + 1)
                except ValueError:
                    raise _Stop from None
                i = ws(i)
                if i >= len(text) or text[i] != ":":
                    raise _Stop
                i = value(ws(i + 1), parts + [key], key_at)
                i = ws(i)
                if i < len(text) and text[i] == ",":
                    i = ws(i + 1)
                    continue
                if i < len(text) and text[i] == "}":
                    return i + 1
                raise _Stop
        if c == "[":
            i = ws(i + 1)
            if i < len(text) and text[i] == "]":
                return i + 1
            k = 0
            while True:
                i = value(i, parts + [k], i)
                k += 1
                i = ws(i)
                if i < len(text) and text[i] == ",":
                    i = ws(i + 1)
                    continue
                if i < len(text) and text[i] == "]":
                    return i + 1
                raise _Stop
        if c == '"':
            try:
                return scanstring(text, i + 1)[1]
            except ValueError:
                raise _Stop from None
        m = _SCALAR.match(text, i)
        if not m:
            raise _Stop
        return m.end()

    try:
        start = ws(0)
        value(start, [], start)
    except (_Stop, RecursionError):
        pass
    return out


_LAST = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


def line_of(lines: dict[str, int], path: str | None) -> int | None:
    """The line of ``path``, else of its nearest enclosing value that has one (a missing member:
    the object that lacks it)."""
    if not path:
        return None
    p = path
    while p:
        if p in lines:
            return lines[p]
        q = _LAST.sub("", p)
        if q == p:
            break
        p = q
    return lines.get("$")
