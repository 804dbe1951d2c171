"""Mail-specific batch steps: the sort key for the bulk-mail discount, and splitting a household
that does not fit one mailpiece into several.

Both work from a form's public parts only — its JSON Schema and the postal plan — so they hold
for any mail form: the 宛名 fields are the payload's ``atena_postcode`` / ``atena_address`` (the
naming every mail form's schema uses; failing that, the first top-level property whose name ends
in ``postcode`` / ``address``).
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from ..errors import LgformsError, PayloadInvalid, PostalConstraint
from ..postal import customer_barcode

SORTS = ("input", "postcode", "barcode")
_LAST = "~"  # sorts after every digit: records without a usable postcode go to the end


def address_fields(schema: dict) -> tuple[str | None, str | None]:
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    post = "atena_postcode" if "atena_postcode" in props else next((k for k in props if k.endswith("postcode")), None)
    addr = "atena_address" if "atena_address" in props else next((k for k in props if k.endswith("address")), None)
    return post, addr


def sort_key(how: str, fields: tuple[str | None, str | None], payload: Any) -> str:
    """The key records are sorted by (ties keep input order): the 7-digit postcode, and for
    ``barcode`` the customer barcode's data (postcode + 住所表示番号, as the barcode encodes it)."""
    if how == "input" or not isinstance(payload, dict):
        return ""
    post_f, addr_f = fields
    try:
        code = customer_barcode.normalize_postcode(payload.get(post_f)) if post_f else _LAST
    except LgformsError:
        return _LAST
    if how == "postcode":
        return code
    addr = payload.get(addr_f) if addr_f else None
    try:
        number = customer_barcode.address_number(addr or "")
        data = "".join(customer_barcode.number_symbols(number)[:customer_barcode.POSITIONS])
    except LgformsError:
        data = ""
    return f"{code}|{data}"


def split_reason(e: LgformsError) -> str | None:
    """The top-level list a record's error says is too long for one mailpiece, or None."""
    if isinstance(e, PostalConstraint) and e.detail.get("panel"):
        return "*"  # a panel needs a second page: find which list by trying
    if isinstance(e, PayloadInvalid):
        for err in e.detail.get("errors") or [{"path": e.path, "message": e.message}]:
            p, m = err.get("path") or "", err.get("message") or ""
            if m.startswith("violates maxItems") and p.startswith("$.") and "." not in p[2:] and "[" not in p:
                return p[2:]
    return None


def list_limits(schema: dict) -> dict[str, int]:
    """Top-level list fields with a ``maxItems``: where a household split starts probing."""
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    return {k: v["maxItems"] for k, v in props.items() if isinstance(v, dict) and isinstance(v.get("maxItems"), int)}


def split_household(payload: dict, reason: str, fits: Callable[[dict], LgformsError | None],
                    limits: dict[str, int]) -> tuple[str, int, list[dict]] | None:
    """Split a household over several mailpieces: (list field, entries per piece, payloads) or
    None if no list split makes every piece fit. ``fits(payload)`` lays one payload out and returns
    its error (None: one mailpiece). Any other error met while probing (a bad date, an unknown
    character) is raised: the record is rejected for that. ``limits``: the schema's maxItems per
    list, where probing starts (one probe when the form holds exactly that many)."""
    keys = [reason] if reason != "*" else [k for k, v in payload.items() if isinstance(v, list) and len(v) > 1]
    for key in keys:
        items = payload.get(key)
        if not isinstance(items, list) or len(items) < 2:
            continue
        k = None
        for n in range(min(len(items) - 1, limits.get(key, len(items))), 0, -1):
            err = fits(_with(payload, key, items[:n]))
            if err is None:
                k = n
                break
            if split_reason(err) is None:  # a real problem in this household: rejected for it
                raise err
        if k is None:
            continue
        pieces = [_with(payload, key, items[i:i + k]) for i in range(0, len(items), k)]
        return key, k, pieces
    return None


def piece_path(path: str | None, key: str, offset: int) -> str | None:
    """An error path inside piece ``$.key[i]…`` as the record's own path ``$.key[i + offset]…``."""
    head = f"$.{key}["
    if not path or not offset or not path.startswith(head):
        return path
    end = path.index("]", len(head))
    return f"{head}{int(path[len(head):end]) + offset}{path[end:]}"


def _with(payload: dict, key: str, items: list) -> dict:
    p = copy.copy(payload)
    p[key] = items
    return p
