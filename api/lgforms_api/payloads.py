"""Which payload fields the service fills itself, for one form.

The service owns a certificate's 発行番号 (``issue_no``, from the tenant's counter) and every
field marked ``x-tenant`` in the form's schema (issuer line, contacts: the tenant profile's data).
A request may not carry them; ``as_request`` turns a form's sample into what a core system sends.
"""

from __future__ import annotations

import copy

from lgforms.spec.loader import FormSpec
from lgforms.tenants.guard import tenant_fields


def issued_fields(form: FormSpec) -> frozenset[str]:
    """What the service assigns when it issues: a certificate's 発行番号."""
    return frozenset({"issue_no"}) if form.meta.kind == "certificate" else frozenset()


def service_fields(form: FormSpec) -> frozenset[str]:
    return tenant_fields(form) | issued_fields(form)


def as_request(form: FormSpec, payload: dict) -> dict:
    """A copy of ``payload`` without the fields the service fills itself."""
    owned = service_fields(form)
    return {k: v for k, v in copy.deepcopy(payload).items() if k not in owned}
