"""The customization guard (DESIGN §5): a payload fills a form's data fields, nothing else.

One guard for the library, the command line and the service:

* keys that would change the form rather than fill it (``title``, ``layout``, ``tenant`` …);
* fields the form's schema marks ``x-tenant`` (the issuer line, contacts: the municipality's own
  data): they come from the tenant profile. A payload naming them is refused whenever a tenant
  is given — otherwise another city's mayor could print next to your seal. With no tenant (the
  fictitious demo municipality) they stay accepted, so that a form's own samples render as they
  are written;
* ``_``-prefixed keys are annotations for people (``_note``, ``_source``): small JSON values
  that no template reads;
* nesting depth: bounded for every payload.

The service adds the fields it fills itself (a certificate's 発行番号) via ``service_owned``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ..errors import CustomizationNotAllowed, LimitExceeded, PayloadInvalid

# Top-level payload keys that would change a form rather than fill it.
RESERVED_KEYS = frozenset({"tenant", "layout", "form", "overrides", "style", "styles", "pages", "fonts", "title"})
MAX_DEPTH = 32  # the deepest form payload is 4 levels; JSON parsers and validators recurse
MAX_ANNOTATIONS = 20
MAX_ANNOTATION_BYTES = 4096  # per annotation, as compact JSON


def tenant_fields(form) -> frozenset[str]:
    """Top-level fields marked ``x-tenant`` in the form's schema (the municipality's own data)."""
    return frozenset(k for k, prop in form.schema.get("properties", {}).items()
                     if isinstance(prop, dict) and prop.get("x-tenant"))


def depth(value: Any) -> int:
    """Nesting depth of a JSON value (a scalar is 0), without recursion."""
    best = 0
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            best = max(best, d)
            stack.extend((x, d + 1) for x in v.values() if isinstance(x, (dict, list)))
        elif isinstance(v, list):
            best = max(best, d)
            stack.extend((x, d + 1) for x in v if isinstance(x, (dict, list)))
    return best


def check_payload(form, payload: Any, *, tenant_given: bool, service_owned: Iterable[str] = ()) -> dict:
    """Raise CUSTOMIZATION_NOT_ALLOWED / PAYLOAD_INVALID / LIMIT_EXCEEDED naming the key, else
    return the payload unchanged."""
    if not isinstance(payload, dict):
        raise PayloadInvalid("payload must be a JSON object", path="$", form_id=form.id)
    d = depth(payload)
    if d > MAX_DEPTH:
        raise LimitExceeded(f"payload is nested {d} levels deep; at most {MAX_DEPTH} are accepted", path="$",
                            form_id=form.id)
    bad = sorted(k for k in payload if k in RESERVED_KEYS)
    if bad:
        raise CustomizationNotAllowed(
            f"'{bad[0]}' would change the form, not fill it: standard forms have one layout for every "
            f"municipality, and a tenant fills only the tenant.* slots a form declares", path=f"$.{bad[0]}",
            form_id=form.id)
    if tenant_given:
        own = sorted(tenant_fields(form) & payload.keys())
        if own:
            raise CustomizationNotAllowed(
                f"'{own[0]}' is the municipality's own data: it comes from the tenant profile, never from the "
                f"payload", path=f"$.{own[0]}", form_id=form.id)
    owned = sorted(k for k in service_owned if payload.get(k) not in (None, ""))
    if owned:
        raise PayloadInvalid(f"'{owned[0]}' is assigned by the service; leave it out", path=f"$.{owned[0]}",
                             form_id=form.id)
    notes = [k for k in payload if k.startswith("_")]
    if len(notes) > MAX_ANNOTATIONS:
        raise PayloadInvalid(f"{len(notes)} annotations (_-prefixed keys); at most {MAX_ANNOTATIONS}",
                             path=f"$.{notes[MAX_ANNOTATIONS]}", form_id=form.id)
    for k in notes:
        if len(k) > 64:
            raise PayloadInvalid("an annotation key has at most 64 characters", path="$", form_id=form.id)
        size = len(json.dumps(payload[k], ensure_ascii=False, separators=(",", ":")).encode())
        if size > MAX_ANNOTATION_BYTES:
            raise PayloadInvalid(f"annotation '{k}' is {size:,} bytes; at most {MAX_ANNOTATION_BYTES:,}",
                                 path=f"$.{k}", form_id=form.id)
    return payload
