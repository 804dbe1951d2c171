"""JSON Schema ``format``s of lgforms: identifier check digits, for both payload validators.

A form's schema names them like any format (``{"type": "string", "format": "kojin-bango"}``); the
checks themselves live in ``codes.identifiers``. jsonschema reports a failure with the check's own
message (which position, which digit was expected -- never the value); the compiled fastjsonschema
validator runs the same checks as plain yes/no functions, so a form using these formats keeps the
fast path.

A format name JSON Schema does not define and lgforms does not add is an error when the form loads:
validators ignore unknown formats, so a typo ("kojin_bango") would silently check nothing.
"""

from __future__ import annotations

from typing import Any, Callable

from jsonschema import FormatChecker

from ..codes.identifiers import IDENTIFIER_FORMATS
from ..errors import FormSpecInvalid, LgformsError

# The formats JSON Schema 2020-12 defines (Validation §7.3); others are typos or extensions.
STANDARD_FORMATS = frozenset("""
    date-time date time duration email idn-email hostname idn-hostname ipv4 ipv6 uri uri-reference iri
    iri-reference uuid uri-template json-pointer relative-json-pointer regex
""".split())


def _strings_only(check: Callable[[str], None]) -> Callable[[Any], bool]:
    # JSON Schema applies a format to strings only; "type" decides about anything else.
    def run(instance: Any) -> bool:
        if isinstance(instance, str):
            check(instance)
        return True

    return run


def _passes(check: Callable[[str], None]) -> Callable[[str], bool]:
    def ok(value: str) -> bool:
        try:
            check(value)
        except LgformsError:
            return False
        return True

    return ok


#: for ``fastjsonschema.compile(..., formats=FAST_FORMATS)`` (it calls them on strings only)
FAST_FORMATS: dict[str, Callable[[str], bool]] = {name: _passes(fn) for name, fn in IDENTIFIER_FORMATS.items()}


def formats_used(schema: Any, at: str = "#") -> list[tuple[str, str]]:
    """(schema location, format name) of every ``format`` keyword in ``schema``."""
    out: list[tuple[str, str]] = []
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k == "format" and isinstance(v, str):
                out.append((at, v))
            elif k not in ("enum", "const", "examples", "default"):
                out += formats_used(v, f"{at}/{k}")
    elif isinstance(schema, list):
        for i, v in enumerate(schema):
            out += formats_used(v, f"{at}/{i}")
    return out


def format_checker(schema: dict, form_id: str) -> FormatChecker:
    """The FormatChecker for one form's schema: the standard checks plus lgforms' identifiers.
    Raises FORM_SPEC_INVALID for a format name nobody defines."""
    for where, name in formats_used(schema):
        if name not in STANDARD_FORMATS and name not in IDENTIFIER_FORMATS:
            raise FormSpecInvalid(f"{form_id}: schema {where}: unknown format {name!r} (lgforms adds: "
                                  f"{', '.join(IDENTIFIER_FORMATS)}); validators would silently ignore it",
                                  form_id=form_id)
    checker = FormatChecker()
    for name, check in IDENTIFIER_FORMATS.items():
        checker.checks(name, raises=LgformsError)(_strings_only(check))
    return checker
