"""One exception hierarchy with stable codes (DESIGN §9).

The library raises these; the CLI prints them (exit 2) and the API maps them to 4xx JSON.
Every error names *where* the problem is: the form, the JSON path of the field, the record, the
character (as U+ code points) -- never the payload value itself beyond what is needed.
"""

from __future__ import annotations

from typing import Any


class LgformsError(Exception):
    """Base class. ``code`` is stable and machine-readable; ``path`` is a JSON path ("$.persons[3].name")."""

    code: str = "LGFORMS_ERROR"

    def __init__(self, message: str, *, path: str | None = None, form_id: str | None = None,
                 detail: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.path = path
        self.form_id = form_id
        self.detail = dict(detail or {})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message, "path": self.path}
        if self.form_id:
            out["form_id"] = self.form_id
        if self.detail:
            out["detail"] = self.detail
        return out

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        form = f" [{self.form_id}]" if self.form_id else ""
        return f"{self.code}{form}{where}: {self.message}"


class FormNotFound(LgformsError):
    code = "FORM_NOT_FOUND"


class FormSpecInvalid(LgformsError):
    """A form folder (form.yaml / schema.json) is wrong: found when the form is loaded, never at render time."""

    code = "FORM_SPEC_INVALID"


class PayloadInvalid(LgformsError):
    code = "PAYLOAD_INVALID"


class ValueInvalid(LgformsError):
    """A value that passed the JSON Schema but cannot be converted (e.g. an impossible date for 和暦)."""

    code = "VALUE_INVALID"


class TemplateError(LgformsError):
    """An expression in a form failed while binding (e.g. a filter got a value of the wrong kind)."""

    code = "TEMPLATE_ERROR"


class TextOverflow(LgformsError):
    code = "TEXT_OVERFLOW"


class MojiNotInFont(LgformsError):
    code = "MOJI_NOT_IN_FONT"


class IvsUnknown(LgformsError):
    code = "IVS_UNKNOWN"


class MojiInvalid(MojiNotInFont):
    """Code points that are no printable character on their own, whatever the fonts hold: a
    combining mark or variation selector with no base before it, an invisible format character
    (U+00AD soft hyphen, U+200B, U+FEFF …), a lone surrogate. Printing them would show a
    free-standing mark, a hyphen that is not in the name, or nothing. A subclass of
    MojiNotInFont: every place that collects character problems collects these too."""

    code = "MOJI_INVALID"


class TenantForbidden(LgformsError):
    code = "TENANT_FORBIDDEN"


class CustomizationNotAllowed(LgformsError):
    code = "CUSTOMIZATION_NOT_ALLOWED"


class TenantInvalid(LgformsError):
    code = "TENANT_INVALID"


class TenantDataMissing(LgformsError):
    """A form declares municipality data (a contact, an issuer, a 条例 table) the tenant profile
    lacks: an error at validate/render, never a blank on paper."""

    code = "TENANT_DATA_MISSING"


class RuleViolated(LgformsError):
    """A payload breaks one of the form's rules across fields (Σ 期別納付額 = 年税額 …)."""

    code = "RULE_VIOLATED"


class PostalConstraint(LgformsError):
    code = "POSTAL_CONSTRAINT"


class LimitExceeded(LgformsError):
    code = "LIMIT_EXCEEDED"


class ImageInvalid(LgformsError):
    code = "IMAGE_INVALID"


class ArgumentInvalid(LgformsError, ValueError):
    """A call or command-line argument out of its range or meaningless in its combination
    (``dpi=5000``, ``--marks`` without imposed sheets, ``-o`` naming a directory). Also a
    ValueError, which is what such arguments raised before they had a code."""

    code = "ARGUMENT_INVALID"


def json_path(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """("persons", 3, "name") -> "$.persons[3].name"."""
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out
