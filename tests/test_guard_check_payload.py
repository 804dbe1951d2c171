"""The customization guard (lgforms.tenants.guard) called directly, with literal expectations: the
mutants that survived the service and library tests (issue 17; docs/testing.md, "Mutation
testing") — reserved keys, the nesting limit at its boundary, x-tenant fields, service-owned
fields, annotation limits, and the code, message, path and form of each refusal."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lgforms.errors import LgformsError
from lgforms.tenants.guard import MAX_DEPTH, check_payload, depth, tenant_fields

FORM = SimpleNamespace(id="f", schema={"properties": {"mayor": {"type": "string", "x-tenant": True},
                                                      "name": {"type": "string"}}})


def nest(levels: int) -> dict:
    v: dict = {}
    for _ in range(levels - 1):
        v = {"a": v}
    return v


@pytest.mark.parametrize("value, d", [(1, 0), ("x", 0), ({}, 1), ([], 1), ([[[]]], 3), ({"a": [{"b": 1}]}, 3),
                                      ({"a": 1, "b": {"c": {}}}, 3), (nest(32), 32)])
def test_depth(value, d):
    assert depth(value) == d


REFUSED = [
    ([1], {}, "PAYLOAD_INVALID", "payload must be a JSON object", "$"),
    (nest(MAX_DEPTH + 1), {}, "LIMIT_EXCEEDED", "payload is nested 33 levels deep; at most 32 are accepted", "$"),
    ({"title": "x", "layout": 1}, {}, "CUSTOMIZATION_NOT_ALLOWED",
     "'layout' would change the form, not fill it: standard forms have one layout for every municipality, "
     "and a tenant fills only the tenant.* slots a form declares", "$.layout"),
    ({"mayor": "x", "name": "y"}, {"tenant_given": True}, "CUSTOMIZATION_NOT_ALLOWED",
     "'mayor' is the municipality's own data: it comes from the tenant profile, never from the payload", "$.mayor"),
    ({"issue_no": "1", "b_no": "2"}, {"service_owned": ["issue_no", "b_no"]}, "PAYLOAD_INVALID",
     "'b_no' is assigned by the service; leave it out", "$.b_no"),
    ({f"_n{i:02d}": 1 for i in range(21)}, {}, "PAYLOAD_INVALID", "21 annotations (_-prefixed keys); at most 20", "$._n20"),
    ({"_" + "k" * 64: 1}, {}, "PAYLOAD_INVALID", "an annotation key has at most 64 characters", "$"),
    ({"_big": "x" * 4095}, {}, "PAYLOAD_INVALID", "annotation '_big' is 4,097 bytes; at most 4,096", "$._big"),
]


@pytest.mark.parametrize("payload, kw, code, message, path", REFUSED, ids=[r[2] + ":" + r[4] for r in REFUSED])
def test_refused(payload, kw, code, message, path):
    kw = {"tenant_given": False, **kw}
    with pytest.raises(LgformsError) as e:
        check_payload(FORM, payload, **kw)
    assert (e.value.code, e.value.message, e.value.path, e.value.form_id) == (code, message, path, "f")


@pytest.mark.parametrize("payload, kw", [
    (nest(MAX_DEPTH), {}),                                  # exactly at the limit
    ({"mayor": "x"}, {}),                                   # no tenant: the demo municipality's samples
    ({"issue_no": "", "name": "y"}, {"service_owned": ["issue_no"]}),  # an empty owned field is no claim
    ({f"_n{i:02d}": 1 for i in range(20)}, {}),
    ({"_" + "k" * 63: 1, "_big": "x" * 4094}, {}),          # 4,096 bytes with the quotes
])
def test_accepted_unchanged(payload, kw):
    assert check_payload(FORM, payload, **{"tenant_given": False, **kw}) is payload


def test_tenant_fields():
    assert tenant_fields(FORM) == frozenset({"mayor"})
    assert tenant_fields(SimpleNamespace(id="g", schema={})) == frozenset()
    assert check_payload(SimpleNamespace(id="g", schema={}), {"a": 1}, tenant_given=True) == {"a": 1}
