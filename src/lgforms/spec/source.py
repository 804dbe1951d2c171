"""Form files with their line numbers, and the list of problems a load finds.

A form author's mistake is reported with the file and line it is on, and a load reports every
mistake it finds, not only the first: ``Problems`` collects them and raises one
``FORM_SPEC_INVALID`` whose ``detail.errors`` lists each ``{file, line, where, message}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import FormSpecInvalid


class Mapping(dict):
    """A YAML mapping that knows where it was written."""

    __slots__ = ("file", "line", "key_lines", "grows")

    def __init__(self, *a: Any, **kw: Any):
        super().__init__(*a, **kw)
        self.file: str | None = None
        self.line: int | None = None
        self.key_lines: dict[str, int] = {}
        self.grows = False  # a flow section with grow: true


class Sequence(list):
    __slots__ = ("file", "line", "item_lines")

    def __init__(self, *a: Any):
        super().__init__(*a)
        self.file: str | None = None
        self.line: int | None = None
        self.item_lines: list[int] = []  # the line of each item (a scalar item has no line of its own)


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~5× faster, same marks


def _loader(file: str) -> type[yaml.SafeLoader]:
    class Loader(_BASE):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Mapping:
        m = Mapping()
        m.file, m.line = file, node.start_mark.line + 1
        own = len([1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"])
        loader.flatten_mapping(node)
        merged = len(node.value) - own  # `<<: *anchor` pairs come first; the node's own keys may override them
        seen: dict = {}
        for i, (k_node, v_node) in enumerate(node.value):
            k = loader.construct_object(k_node, deep=True)
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar",
                                                        k_node.start_mark)
            if k in seen and (i >= merged and seen[k] >= merged):
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {k!r} (first on line {m.key_lines.get(k)})", k_node.start_mark)
            seen[k] = i
            m[k] = loader.construct_object(v_node, deep=True)
            m.key_lines[k] = k_node.start_mark.line + 1
        return m

    def sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Sequence:
        s = Sequence(loader.construct_object(n, deep=True) for n in node.value)
        s.file, s.line = file, node.start_mark.line + 1
        s.item_lines = [n.start_mark.line + 1 for n in node.value]
        return s

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


def read_yaml(path: Path, shown_as: str) -> Any:
    """Parse a YAML file keeping line numbers (``Mapping.line``); ``shown_as`` names it in errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FormSpecInvalid(f"{shown_as}: cannot read: {e}",
                              detail={"errors": [{"file": shown_as, "line": None, "where": "file", "message": str(e)}]}) from None
    try:
        return yaml.load(text, Loader=_loader(shown_as))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = f"{getattr(e, 'problem', None) or e}"
        raise FormSpecInvalid(f"{shown_as}:{line}: YAML: {msg}",
                              detail={"errors": [{"file": shown_as, "line": line, "where": "YAML", "message": f"YAML: {msg}"}]}) from None


def line_of(obj: Any, key: str | int | None = None) -> int | None:
    if isinstance(obj, Sequence) and isinstance(key, int) and 0 <= key < len(obj.item_lines):
        return obj.item_lines[key]  # an item of a list, by its index
    if isinstance(obj, Mapping):
        if key is not None and key in obj.key_lines:
            return obj.key_lines[key]
        return obj.line
    return getattr(obj, "line", None)


def file_of(obj: Any, default: str | None = None) -> str | None:
    return getattr(obj, "file", None) or default


def plain(obj: Any) -> Any:
    """The same data as built-in dicts and lists (for models that must not see our subclasses)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


@dataclass(slots=True)
class Problem:
    file: str | None
    line: int | None
    where: str
    message: str

    def text(self) -> str:
        loc = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")
        return f"{loc}: {self.where}: {self.message}" if loc else f"{self.where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "where": self.where, "message": self.message}


@dataclass
class Problems:
    """Every mistake one load finds."""

    form_id: str
    items: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, where: str, message: str, *, at: Any = None, key: str | int | None = None,
            file: str | None = None, line: int | None = None) -> None:
        self.items.append(Problem(file or file_of(at), line or line_of(at, key), where, message))

    def warn(self, where: str, message: str, *, at: Any = None, key: str | None = None,
             file: str | None = None, line: int | None = None) -> None:
        self.warnings.append(Problem(file or file_of(at), line or line_of(at, key), where, message))

    def take(self, e: FormSpecInvalid, where: str, at: Any = None, key: str | None = None) -> None:
        """Record a FormSpecInvalid raised by a lower layer (it may list several problems)."""
        listed = e.detail.get("errors")
        if listed:
            for p in listed:
                self.items.append(Problem(p.get("file") or file_of(at), p.get("line") or line_of(at, key),
                                          p.get("where") or where, p["message"]))
            return
        msg = e.message
        self.items.append(Problem(file_of(at), line_of(at, key), where, msg))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        more = f" (and {len(self.items) - 1} more: see detail.errors)" if len(self.items) > 1 else ""
        raise FormSpecInvalid(f"{self.form_id}: {first.text()}{more}", form_id=self.form_id,
                              detail={"errors": [p.to_dict() for p in self.items]})
