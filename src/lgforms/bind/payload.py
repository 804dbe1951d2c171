"""Payload validation against the form's JSON Schema, before anything is laid out or drawn."""

from __future__ import annotations

from typing import Any

from ..errors import PayloadInvalid, json_path


def validate_payload(form, payload: Any) -> dict:
    """Raise PAYLOAD_INVALID naming the JSON path of the first problem (all in ``detail.errors``)."""
    if not isinstance(payload, dict):
        raise PayloadInvalid("payload must be a JSON object", path="$", form_id=form.id)
    errors = sorted(form.validator.iter_errors(payload), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return payload
    listed = [{"path": json_path(list(e.absolute_path)), "message": _message(e)} for e in errors[:50]]
    first = listed[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise PayloadInvalid(f"{first['message']}{more}", path=first["path"], form_id=form.id,
                         detail={"errors": listed, "count": len(errors)})


def _message(e) -> str:
    # jsonschema's messages quote the offending value; for required/format/type say what is wrong
    # in words so that an error report does not carry more personal data than needed.
    v = e.validator
    if v == "required":
        return e.message
    if v == "type":
        return f"must be of type {e.validator_value}"
    if v == "format":
        return f"is not a valid {e.validator_value}"
    if v == "pattern":
        return f"does not match the pattern {e.validator_value}"
    if v in ("maxLength", "minLength", "maxItems", "minItems", "maximum", "minimum",
             "exclusiveMaximum", "exclusiveMinimum"):
        return f"violates {v} {e.validator_value}"
    if v == "enum":
        return f"must be one of {e.validator_value}"
    if v == "additionalProperties":
        return e.message
    return e.message if len(e.message) < 200 else e.message[:200] + "…"
