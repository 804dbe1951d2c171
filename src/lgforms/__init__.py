"""lgforms — standard forms of Japanese local governments as print-ready PDF.

    >>> from lgforms import render
    >>> pdf = render("juki_jyuminhyo_setai", payload)

Pipeline (DESIGN §1): load (``spec``) → bind (``bind``) → layout (``layout``) → draw/write (``pdf``).
"""

from .errors import (
    CustomizationNotAllowed,
    FormNotFound,
    FormSpecInvalid,
    IvsUnknown,
    LgformsError,
    LimitExceeded,
    MojiNotInFont,
    PayloadInvalid,
    PostalConstraint,
    TenantForbidden,
    TextOverflow,
    ValueInvalid,
)
from .render import RenderResult, layout, render, render_many, render_result
from .spec.catalog import Catalog
from .tenants.profile import TenantProfile, load_profile

__version__ = "0.1.0"


def render_batch(form_id: str, input, out_dir, **kw) -> dict:
    """A batch of payloads (JSON Lines / JSON array file) into print files, manifest and reports;
    see ``lgforms.batch.render_batch`` (imported on first use: the batch needs more than a render)."""
    from .batch import render_batch as run

    return run(form_id, input, out_dir, **kw)


__all__ = [
    "render", "render_result", "render_many", "render_batch", "layout", "RenderResult", "Catalog",
    "TenantProfile", "load_profile",
    "LgformsError", "FormNotFound", "FormSpecInvalid", "PayloadInvalid", "ValueInvalid", "TextOverflow",
    "MojiNotInFont", "IvsUnknown", "PostalConstraint", "TenantForbidden", "CustomizationNotAllowed", "LimitExceeded",
]
