"""A forms folder with one certificate whose schema marks a field ``x-tenant`` (the municipality's
own data). The shipped certificates take their issuer, 認証文 and 発行番号 from the form, the tenant
profile and the issuing system, so none of them has such a field any more; the customization guard
(``lgforms.tenants.guard``) is exercised on this one."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA = {
    "type": "object", "required": ["name"], "additionalProperties": False,
    "properties": {"name": {"type": "string", "description": "氏名 / name"},
                   "issuer": {"type": "string", "x-tenant": True, "description": "発行者（団体のデータ） / issuer"}},
}
FORM = """\
id: guarded
title: 証明書（ガードの試験）
area: 試験
kind: certificate
tenant_slots: [mayor_title, mayor_name]
pages:
  - id: p
    fields:
      - {kind: text, box: [15, 10, 180, 8], value: "発行番号　{{ issue.number }}", when: issue.number}
      - {kind: text, box: [15, 20, 180, 10], value: "{{ name }}"}
      - {kind: text, box: [15, 40, 180, 10], value: "{{ issuer or tenant.mayor_title ~ '　' ~ tenant.mayor_name }}"}
"""


def guarded_forms(tmp_path: Path) -> Path:
    """``tmp_path/forms`` holding the form ``guarded`` (for ``lgforms.Catalog`` or LGFORMS_FORMS_DIR)."""
    d = tmp_path / "forms" / "test" / "guarded"
    (d / "samples").mkdir(parents=True)
    (d / "form.yaml").write_text(FORM, "utf-8")
    (d / "schema.json").write_text(json.dumps(SCHEMA, ensure_ascii=False), "utf-8")
    (d / "samples" / "s.json").write_text(json.dumps({"name": "山田　花子"}, ensure_ascii=False), "utf-8")
    return tmp_path / "forms"
