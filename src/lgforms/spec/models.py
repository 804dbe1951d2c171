"""The form format (DESIGN §4) as pydantic models: what a ``form.yaml`` may say.

Units are millimetres with the origin at the top-left of the page; font sizes are points.
Element kinds are plugins (``lgforms.elements``): each declares its own spec model extending
``ElementSpec``; this module holds what every element and page shares.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "B5": (182.0, 257.0),
    "B4": (257.0, 364.0),
    "postcard": (100.0, 148.0),  # 通常はがき
}

Box = tuple[float, float, float, float]
Color = tuple[float, float, float]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paper(Model):
    size: str = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    width: float | None = None  # mm, for sizes not in PAPER_SIZES_MM
    height: float | None = None

    @model_validator(mode="after")
    def _known(self) -> "Paper":
        if self.size not in PAPER_SIZES_MM and (self.width is None or self.height is None):
            raise ValueError(f"unknown paper size {self.size!r}: give width and height in mm")
        return self

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = (self.width, self.height) if self.width and self.height else PAPER_SIZES_MM[self.size]
        if self.orientation == "landscape":
            w, h = max(w, h), min(w, h)
        else:
            w, h = min(w, h), max(w, h)
        return w, h


class ElementSpec(Model):
    """Fields every element has. ``pages`` limits an element to some pages of its page run
    (``last`` for 認証文 and 公印); ``when`` is a Jinja expression: draw only if true.
    (Not called ``on``: YAML 1.1 reads an ``on`` key as the boolean true.)"""

    kind: str
    id: str | None = None
    pages: Literal["every", "first", "last", "not_last", "not_first"] = "every"
    when: str | None = None


class TextStyle(Model):
    """Text settings shared by text, textblock, table cells and closing marks."""

    size: float = 10.5
    min_size: float | None = None
    font: str = "mincho"
    align: Literal["left", "center", "right", "justify", "distribute"] = "left"
    valign: Literal["top", "middle", "bottom"] = "middle"
    fit: Literal["error", "shrink", "wrap", "auto"] = "error"  # auto: shrink on one line to 3/4, then wrap
    line_height: float = 1.3  # × font size
    color: Color | None = None
    pad: float = 0.0  # mm, inside the box on the left and right
    moji: Literal["ucs", "mj"] = "ucs"  # "mj": the field also accepts MJ文字図形名 tokens (MJ012345)
    writing: Literal["horizontal", "vertical"] = "horizontal"  # vertical: 縦書き, columns right to left
    tcy: int = Field(0, ge=0, le=4)  # 縦中横: in vertical text, runs of 2..tcy ASCII digits set across one em
    hang: bool = True  # wrapped paragraphs starting with ※ ・ (1) 1. ① … hang their next lines under the text

    @model_validator(mode="after")
    def _sizes(self) -> "TextStyle":
        if self.size <= 0:
            raise ValueError("size must be positive")
        if self.min_size is not None and not (0 < self.min_size <= self.size):
            raise ValueError("min_size must be > 0 and <= size")
        return self


class ClosingMark(TextStyle):
    """「以下余白」: closes the unused space after the last entry."""

    text: str = "以下余白"
    box: Box | None = None  # within the slot (repeat) or the row (table); default: the whole slot/row
    align: Literal["left", "center", "right", "justify", "distribute"] = "center"
    # tables: when the last rows fill the last page exactly, there is no free row to close;
    # "below" prints the mark just under the frame (the entries still end visibly), "omit" does not
    full: Literal["below", "omit"] = "below"


class Repeat(Model):
    """N records per sheet: ``slot`` elements are laid out once per record, slot k shifted by
    k × ``pitch``. Pages continue until every record is placed."""

    over: str  # Jinja expression giving the list, e.g. "persons"
    per_page: int = Field(ge=1)
    as_: str = Field("item", alias="as")
    pitch: tuple[float, float] = (0.0, 0.0)  # mm offset between consecutive slots
    closing_mark: ClosingMark | None = None
    frame_empty_slots: bool = True  # draw slot_static frames for unused slots on the last page
    # only records start..stop-1 of the list (JSON paths keep their index): spread one list over
    # several panels of a mailpiece, e.g. members 1-2 on one panel and 3-4 on another
    start: int = Field(0, ge=0)
    stop: int | None = Field(None, ge=1)
    # slots in a grid: slot k at column k % columns (× pitch x), row k // columns (× pitch y);
    # without it every slot moves by the whole pitch
    columns: int | None = Field(None, ge=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def offset(self, k: int) -> tuple[float, float]:
        """The shift of slot k (0-based) on its page."""
        px, py = self.pitch
        if self.columns:
            return (px * (k % self.columns), py * (k // self.columns))
        return (px * k, py * k)


class Flow(Model):
    """A region in which sections stack top to bottom (docs/forms.md, "Flow"): a section whose
    ``when`` is false takes no space, tables grow row by row and the next section follows, and
    what does not fit continues in ``next_box`` on the next page."""

    box: Box  # on the first page of the template
    next_box: Box | None = None  # on later pages (default: box)
    gap: float = Field(2.0, ge=0)  # mm between sections
    sections: list[Any]
    closing_mark: ClosingMark | None = None  # after the last section, if there is room


class PageTemplate(Model):
    id: str
    paper: Paper | None = None
    panel: str | None = None  # postal forms: the logical panel this page is (address, back, inner_…)
    when: str | None = None
    repeat: Repeat | None = None
    defaults: dict[str, Any] | None = None  # text style defaults for this page's elements
    static: list[Any] = []  # drawn once per document (Form XObject); tenant/form values only
    slot_static: list[Any] = []  # per slot, drawn once and placed at every slot
    fields: list[Any] = []
    slot: list[Any] = []
    flow: Flow | None = None

    @model_validator(mode="after")
    def _slots(self) -> "PageTemplate":
        if (self.slot or self.slot_static) and self.repeat is None:
            raise ValueError(f"page {self.id!r}: 'slot'/'slot_static' need 'repeat'")
        return self


class FormMeta(Model):
    id: str
    title: str
    area: str
    version: str = "1.0"
    kind: str = "certificate"
    delivery: str = "counter"
    description: str | None = None
    sources: list[str] = []
    confidence: str | None = None


class PostalSpec(Model):
    """What the postal checks need to know about a mailed form (docs/forms.md, "Mail")."""

    profile: str | None = None  # default printer profile (name of a shipped profile or a YAML path)
    address_block: list[str] = []  # element ids of the 宛名 (postcode, address, name, barcode)
    sender_block: list[str] = []  # element ids of the 差出人 block
    public_fields: list[str] = []  # payload fields that may show on an outer face besides the 宛名


class Rule(Model):
    """A check across fields at validate time (``RULE_VIOLATED``): ``check`` is an expression
    that must be true, for the payload or for each item of ``each`` (as ``as``)."""

    id: str
    check: str
    message: str
    each: str | None = None
    as_: str = Field("item", alias="as")
    paths: list[str] = []  # JSON paths involved (relative to the item with "@." for each-rules)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Variant(Model):
    """Another layout of the same form and schema for another delivery (e.g. 圧着はがき)."""

    paper: Paper | None = None
    postal: PostalSpec | None = None
    tenant_slots: list[str] = []  # extra slots this layout shows (e.g. postal.office)
    defaults: dict[str, Any] | None = None
    # payload fields this layout deliberately does not print, each with the reason (JSON paths,
    # "[*]" for every item of a list): e.g. a postcard has no 納付書, so no コンビニ barcode
    not_printed: dict[str, str] = {}
    # checks of this layout only, after the form's own (e.g. how many rows a postcard panel holds)
    rules: list[Rule] = []
    pages: list[PageTemplate]


class FormFile(FormMeta):
    """The raw content of form.yaml (elements still untyped dicts; the loader types them)."""

    paper: Paper = Paper()
    schema_: str = Field("schema.json", alias="schema")
    tenant_slots: list[str] = []  # tenant.* values this form may show (customization guard)
    tenant_tables: dict[str, str] = {}  # named 条例 tables from the tenant profile: name -> schema file
    postal: PostalSpec | None = None
    styles: dict[str, dict[str, Any]] = {}
    defaults: dict[str, Any] | None = None  # text style defaults for every element
    rules: list[Rule] = []
    variants: dict[str, Variant] = {}  # delivery -> layout
    pages: list[PageTemplate]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("pages")
    @classmethod
    def _pages(cls, v: list[PageTemplate]) -> list[PageTemplate]:
        if not v:
            raise ValueError("a form needs at least one page")
        ids = [p.id for p in v]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate page ids: {ids}")
        return v
