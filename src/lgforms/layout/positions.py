"""Where a character problem is in the payload value the caller sent.

Shaping finds a problem at an offset in the text of a field as bound: a template may put text
around the value (「{{ name }}様」, 「■{{ higai_teido }}」) and MJ012345 tokens are expanded before
shaping. The caller sent the value, so that is what ``position`` must count in (code points).
"""

from __future__ import annotations

import re

_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


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


def locate(path: str | None, d: dict, bound: str | None, payload) -> None:
    """``d["position"]`` counts in ``bound`` (the field's text); make it count in the value at
    ``path``. Where the value sits verbatim in the text, subtract where it starts; where a filter
    changed it, find the character in the value if it occurs there once; otherwise (a character
    of the form's own text, or no way to tell) leave no position rather than a wrong one."""
    pos = d.get("position")
    if bound is None or path is None or not isinstance(pos, int):
        return
    value = value_at(payload, path)
    if isinstance(value, str) and value:
        start = bound.find(value)
        while start != -1:
            if start <= pos < start + len(value):
                d["position"] = pos - start
                return
            start = bound.find(value, start + 1)
        cps = d.get("codepoints")
        if isinstance(cps, str) and bound.find(value) == -1:
            ch = "".join(chr(int(c[2:], 16)) for c in cps.split())
            if value.count(ch) == 1:
                d["position"] = value.index(ch)
                return
    del d["position"]
    if isinstance(value, str) and value in bound:
        d["outside_value"] = True  # the character is in the form's text around the value
