"""Municipality profiles: the only per-municipality data a standard form may show (DESIGN §5).

A profile fills ``tenant.*`` slots — name, 首長, 公印, contacts — and nothing else: the layout is
the same for every municipality. A form lists the slots it uses (``tenant_slots``); templates
can reach only those, checked when the form is loaded.

```yaml
code: "992011"              # 全国地方公共団体コード with its check digit
name: 東雲県みどり野市
mayor_title: みどり野市長
mayor_name: 松葉　恵子
resident_tax_name: 市民税・県民税
seal: {file: seal.png, size_mm: 21}
contacts: {zeimu: "みどり野市役所 税務課 市民税係　電話 0000-00-0000"}
allow_ivs_fallback: false   # an unknown IVS prints its base glyph (with a warning) only if true
fonts: []                   # extra fonts (e.g. the municipality's 外字 TTF), searched after IPAmj
```
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..codes import is_valid_lg_code
from ..errors import LgformsError, TenantInvalid

_HERE = Path(__file__).resolve().parent


class Seal(BaseModel):
    model_config = ConfigDict(frozen=True)
    png: bytes = Field(repr=False)
    size_mm: tuple[float, float]


class TenantProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    mayor_title: str
    mayor_name: str
    resident_tax_name: str = "市民税・県民税"  # 個人住民税 as the municipality calls it (町民税・県民税, 特別区民税・都民税 …)
    seal: Seal | None = None
    contacts: dict[str, str] = {}
    postal: dict[str, str] = {}
    allow_ivs_fallback: bool = False
    fonts: list[str] = []  # absolute paths (resolved when loaded from YAML)

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        try:
            ok = is_valid_lg_code(v)
        except LgformsError as e:
            raise ValueError(e.message) from None
        if not ok:
            raise ValueError("地方公共団体コード check digit is wrong")
        return v

    @property
    def key(self) -> str:
        """Identifies this profile's content (static page parts are cached per form and profile)."""
        h = hashlib.sha256(self.model_dump_json(exclude={"seal"}).encode())
        if self.seal:
            h.update(self.seal.png)
        return h.hexdigest()[:16]

    def slot_values(self, slots: list[str]) -> dict[str, Any]:
        """The ``tenant`` object templates see: only the slots the form declares."""
        out: dict[str, Any] = {}
        for s in slots:
            head, _, rest = s.partition(".")
            if head == "seal":
                continue  # drawn by the seal element, not a text value
            v = getattr(self, head)
            if rest:
                out.setdefault(head, {})[rest] = v.get(rest) if isinstance(v, dict) else None
            else:
                out[head] = v
        return out


def load_profile(path: str | Path) -> TenantProfile:
    """Read a profile YAML; files it names (seal, fonts) are relative to it."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise TenantInvalid(f"cannot read tenant profile {path.name}: {e}") from None
    if not isinstance(raw, dict):
        raise TenantInvalid(f"tenant profile {path.name} must be a mapping")
    seal = raw.get("seal")
    if isinstance(seal, dict) and "file" in seal:
        f = path.parent / seal["file"]
        try:
            png = f.read_bytes()
        except OSError as e:
            raise TenantInvalid(f"cannot read seal image {seal['file']}: {e}", path="$.seal.file") from None
        size = seal.get("size_mm", 21)
        size = (float(size), float(size)) if isinstance(size, (int, float)) else tuple(size)
        raw["seal"] = {"png": png, "size_mm": size}
    raw["fonts"] = [str((path.parent / f).resolve()) for f in raw.get("fonts", [])]
    return make_profile(raw)


def make_profile(raw: dict) -> TenantProfile:
    try:
        p = TenantProfile.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = "$." + ".".join(str(x) for x in err["loc"])
        raise TenantInvalid(f"tenant profile: {err['msg']}", path=loc) from None
    if p.seal is not None:
        from ..elements.image import decode_image

        decode_image(p.seal.png, path="$.seal", what="seal image")
        if max(p.seal.size_mm) > 30 or min(p.seal.size_mm) <= 0:
            raise TenantInvalid("seal size must be between 0 and 30 mm", path="$.seal.size_mm")
    return p


_demo: TenantProfile | None = None


def demo_profile() -> TenantProfile:
    """The fictitious municipality used when no tenant is given (東雲県みどり野市, code 992011;
    prefecture 99 does not exist)."""
    global _demo
    if _demo is None:
        _demo = load_profile(_HERE / "demo" / "profile.yaml")
    return _demo
