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

__all__ = [
    "render", "render_result", "render_many", "layout", "RenderResult", "Catalog",
    "TenantProfile", "load_profile",
    "LgformsError", "FormNotFound", "FormSpecInvalid", "PayloadInvalid", "ValueInvalid", "TextOverflow",
    "MojiNotInFont", "IvsUnknown", "PostalConstraint", "TenantForbidden", "CustomizationNotAllowed", "LimitExceeded",
]
