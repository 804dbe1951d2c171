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
contacts: {zeimu: "みどり野市役所 税務課 市民税係　電話 0000-00-0000"}   # per 業務
issuers:                    # who issues a 業務's documents, when it is not the mayor
  senkyo: {title: みどり野市選挙管理委員会委員長, name: 青木　正}
tables:                     # 条例 data a form declares (tenant_tables), checked by the form's schema
  kaigo_hokenryo_dankai: {kijungaku: 72000, dankai: [...]}
allow_ivs_fallback: false   # an unknown IVS prints its base glyph (with a warning) only if true
fonts: []                   # extra fonts (e.g. the municipality's 外字 TTF), searched after IPAmj
```
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationError, field_validator, model_validator

from ..codes import is_valid_lg_code
from ..errors import LgformsError, TenantInvalid

_HERE = Path(__file__).resolve().parent


class Seal(BaseModel):
    model_config = ConfigDict(frozen=True)
    png: bytes = Field(repr=False)
    size_mm: tuple[float, float]


class Issuer(BaseModel):
    """Who issues a 業務's documents (選挙管理委員会委員長, 教育委員会, 福祉事務所長, 広域連合長 …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=100)


# Every profile field is bounded: a profile comes from an operator API too, and each value must
# fit the slot a form gives it (the longest official 団体名 + 首長 titles are well under these).
Short = Annotated[str, StringConstraints(min_length=1, max_length=60)]
SlotKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,40}$")]
SlotText = Annotated[str, StringConstraints(max_length=200)]
MAX_FONT_BYTES = 32 * 1024 * 1024


class TenantProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: Short
    mayor_title: Short
    mayor_name: Short
    resident_tax_name: Short = "市民税・県民税"  # 個人住民税 as the municipality calls it (町民税・県民税, 特別区民税・都民税 …)
    seal: Seal | None = None
    contacts: dict[SlotKey, SlotText] = Field(default_factory=dict, max_length=30)
    local_name: str | None = Field(None, max_length=60)  # the name without the prefecture (みどり野市): 被告 in 教示, 納入先
    issuers: dict[SlotKey, Issuer] = Field(default_factory=dict, max_length=30)
    tables: dict[str, Any] = {}
    postal: dict[SlotKey, SlotText] = Field(default_factory=dict, max_length=30)
    payment: dict[SlotKey, SlotText] = Field(default_factory=dict, max_length=30)  # place, bank, payee
    ordinances: dict[SlotKey, SlotText] = Field(default_factory=dict, max_length=30)  # 条例 a notice cites
    allow_ivs_fallback: bool = False
    fonts: list[str] = Field(default_factory=list, max_length=4)  # absolute paths (resolved when loaded)
    _form_values: dict = PrivateAttr(default_factory=dict)  # (form, slots, tables) -> checked values
    _key: tuple[int, str] | None = PrivateAttr(default=None)  # (id of the field dict, key)

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

    @model_validator(mode="after")
    def _local_name(self) -> "TenantProfile":
        if self.local_name is None:
            # 東雲県みどり野市 -> みどり野市; 東京都千代田区 -> 千代田区 (a 都道府県 itself keeps its name)
            import re

            m = re.match(r"^(.{2,3}?[都道府県])(.+)$", self.name)
            object.__setattr__(self, "local_name", m.group(2) if m else self.name)
        return self

    @property
    def key(self) -> str:
        """Identifies this profile's content (static page parts are cached per form and profile).
        Computed once per object (a render asks ~10 times; dumping and hashing the seal each time
        cost ~0.3 ms): the profile is frozen, and a ``model_copy`` has a dict of its own, so the
        cached key is tied to this object's field dict."""
        hit = self._key
        if hit is not None and hit[0] == id(self.__dict__):
            return hit[1]
        h = hashlib.sha256(self.model_dump_json(exclude={"seal"}).encode())
        if self.seal:
            h.update(self.seal.png)
        key = h.hexdigest()[:16]
        self._key = (id(self.__dict__), key)
        return key

    def form_values(self, form_id: str, slots: list[str], tables: dict[str, dict] | None = None) -> dict[str, Any]:
        """``slot_values`` for a form, failing when a declared slot or table is missing or a
        table does not match the form's schema for it (``TENANT_DATA_MISSING``)."""
        # model_copy shares private attributes: the key names this very object
        key = (id(self), form_id, tuple(slots), tuple(sorted(tables or {})))
        cache = self._form_values
        hit = cache.get(key)
        if hit is not None and hit[0] is self:
            return hit[1]
        for s in slots:
            if s.endswith("?"):
                continue  # optional: the form prints something else when it is absent
            head, _, rest = s.partition(".")
            if head == "seal":
                continue
            v = getattr(self, head, None)
            if rest:
                v = v.get(rest) if isinstance(v, dict) else None
            if v is None or v == "" or v == {}:
                from ..errors import TenantDataMissing

                raise TenantDataMissing(
                    f"{form_id}: the tenant profile of {self.name} ({self.code}) has no {s}, which this form "
                    f"prints — add it to the profile (never printed blank)", path=f"tenant.{s}", form_id=form_id)
        out = self.slot_values(slots)
        if tables:
            from jsonschema import Draft202012Validator

            from ..errors import TenantDataMissing

            tv: dict[str, Any] = {}
            for name, schema in tables.items():
                if name not in self.tables:
                    raise TenantDataMissing(
                        f"{form_id}: the tenant profile of {self.name} ({self.code}) has no table {name!r} "
                        f"(条例 data this form needs)", path=f"tenant.tables.{name}", form_id=form_id)
                errs = sorted(Draft202012Validator(schema).iter_errors(self.tables[name]), key=lambda e: list(e.path))
                if errs:
                    p = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in errs[0].absolute_path)
                    raise TenantDataMissing(
                        f"{form_id}: the tenant's table {name!r} does not match the form's schema for it at "
                        f"tables.{name}{p}: {errs[0].validator} {errs[0].validator_value!r}",
                        path=f"tenant.tables.{name}{p}", form_id=form_id)
                tv[name] = self.tables[name]
            out["tables"] = tv
        cache[key] = (self, out)
        return out

    def slot_values(self, slots: list[str]) -> dict[str, Any]:
        """The ``tenant`` object templates see: only the slots the form declares."""
        out: dict[str, Any] = {}
        for s in slots:
            head, _, rest = s.rstrip("?").partition(".")
            if head == "seal":
                continue  # drawn by the seal element, not a text value
            v = getattr(self, head)
            if rest:
                item = v.get(rest) if isinstance(v, dict) else None
                out.setdefault(head, {})[rest] = item.model_dump() if isinstance(item, BaseModel) else item
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
    except UnicodeDecodeError as e:  # YAML files are UTF-8; a CP932 file is named as such, not guessed
        raise TenantInvalid(f"tenant profile {path.name} is not UTF-8 (byte 0x{e.object[e.start]:02X} at byte "
                            f"offset {e.start}); save it as UTF-8", detail={"byte_offset": e.start}) from None
    if not isinstance(raw, dict):
        raise TenantInvalid(f"tenant profile {path.name} must be a mapping")
    seal = raw.get("seal")
    if isinstance(seal, dict) and "file" in seal:
        f = path.parent / str(seal["file"])
        try:
            png = f.read_bytes()
        except OSError as e:
            raise TenantInvalid(f"cannot read seal image {seal['file']}: {e}", path="$.seal.file") from None
        size = seal.get("size_mm", 21)
        size = (size, size) if isinstance(size, (int, float)) else size
        raw["seal"] = {"png": png, "size_mm": size}  # the profile model checks the numbers
    fonts = raw.get("fonts", [])
    if not isinstance(fonts, list) or not all(isinstance(f, str) for f in fonts):
        raise TenantInvalid("fonts must be a list of font file names", path="$.fonts")
    raw["fonts"] = [str((path.parent / f).resolve()) for f in fonts]
    for i, f in enumerate(raw["fonts"]):
        try:
            data = Path(f).read_bytes()
        except OSError as e:
            raise TenantInvalid(f"cannot read font {Path(f).name}: {e.strerror}", path=f"$.fonts[{i}]") from None
        check_font(data, path=f"$.fonts[{i}]", name=Path(f).name)
    return make_profile(raw)


def make_profile(raw: dict) -> TenantProfile:
    try:
        p = TenantProfile.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = "$." + ".".join(str(x) for x in err["loc"])
        raise TenantInvalid(f"tenant profile: {err['msg']}", path=loc) from None
    if p.seal is not None:
        from ..elements.image import MAX_SEAL_PIXELS, decode_image

        decode_image(p.seal.png, path="$.seal", what="seal image", max_pixels=MAX_SEAL_PIXELS)
        if max(p.seal.size_mm) > 30 or min(p.seal.size_mm) <= 0:
            raise TenantInvalid("seal size must be between 0 and 30 mm", path="$.seal.size_mm")
    return p


def check_font(data: bytes, *, path: str, name: str = "font") -> None:
    """A tenant font must be a TrueType/OpenType font with a character map, of bounded size."""
    if len(data) > MAX_FONT_BYTES:
        raise TenantInvalid(f"{name}: {len(data):,} bytes; a tenant font may have at most {MAX_FONT_BYTES:,}",
                            path=path)
    import io

    from fontTools.ttLib import TTFont, TTLibError

    try:
        tt = TTFont(io.BytesIO(data), lazy=True)
        ok = "cmap" in tt and ("glyf" in tt or "CFF " in tt) and tt["cmap"].getBestCmap() is not None
    except (TTLibError, Exception):  # noqa: BLE001 - any parse failure is the same answer
        ok = False
    if not ok:
        raise TenantInvalid(f"{name} is not a TrueType/OpenType font with a character map", path=path)


_demo: TenantProfile | None = None


def demo_profile() -> TenantProfile:
    """The fictitious municipality used when no tenant is given (東雲県みどり野市, code 992011;
    prefecture 99 does not exist)."""
    global _demo
    if _demo is None:
        _demo = load_profile(_HERE / "demo" / "profile.yaml")
    return _demo
