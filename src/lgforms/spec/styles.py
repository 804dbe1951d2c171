"""Named text styles: defined once (``forms/_blocks/styles.yaml`` for every form, ``styles:`` in a
form or block for its own), named by elements (``style: label`` or ``style: [value, right]``)
instead of repeating ``size/font/align`` on every element. ``defaults:`` (form, variant, page)
is a style applied first to every element that has those keys.

Resolution for one element: defaults (only the keys its kind has) < named styles in order <
the element's own keys. A style may ``extends:`` another.
"""

from __future__ import annotations

from typing import Any

from .models import TextStyle

STYLE_KEYS = frozenset(TextStyle.model_fields)


class Styles:
    def __init__(self, named: dict[str, dict[str, Any]], origin: dict[str, str]):
        self.named = named  # name -> raw definition (may have 'extends')
        self.origin = origin  # name -> "file:line" where it is defined

    def with_local(self, local: dict[str, dict[str, Any]] | None, where: str, problems: list[str]) -> "Styles":
        """These styles plus a form's or block's own; a local name may not redefine a shared one
        (a style means the same everywhere)."""
        if not local:
            return self
        named = dict(self.named)
        origin = dict(self.origin)
        for k, v in local.items():
            if k in named:
                problems.append(f"style {k!r} is already defined in {self.origin.get(k, 'the shared styles')}; "
                                f"choose another name")
                continue
            if not isinstance(v, dict):
                problems.append(f"style {k!r} must be a mapping of text style keys")
                continue
            named[k] = v
            origin[k] = where
        return Styles(named, origin)

    def resolve(self, name: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
        """A style's keys, with what it extends merged under them. Raises KeyError/ValueError."""
        if name in _seen:
            raise ValueError(f"style {name!r} extends itself ({' → '.join(_seen + (name,))})")
        if name not in self.named:
            raise KeyError(name)
        raw = dict(self.named[name])
        base = raw.pop("extends", None)
        out: dict[str, Any] = {}
        for b in ([base] if isinstance(base, str) else base or []):
            out.update(self.resolve(b, _seen + (name,)))
        bad = set(raw) - STYLE_KEYS
        if bad:
            raise ValueError(f"style {name!r}: {', '.join(sorted(bad))} {'is' if len(bad) == 1 else 'are'} not "
                             f"text style keys (known: {', '.join(sorted(STYLE_KEYS))})")
        out.update(raw)
        return out

    def check_all(self, problems: list[tuple[str, str]]) -> None:
        for name in self.named:
            try:
                self.resolve(name)
            except KeyError as e:
                problems.append((name, f"style {name!r} extends unknown style {e.args[0]!r}"))
            except ValueError as e:
                problems.append((name, str(e)))

    def keys_for(self, style: Any, fields: frozenset[str] | set[str], defaults: dict[str, Any] | None,
                 problems: list[str]) -> dict[str, Any]:
        """The style keys an element of a kind with ``fields`` gets (before its own keys)."""
        out: dict[str, Any] = {}
        if defaults:
            d = dict(defaults)
            base = d.pop("style", None)
            merged: dict[str, Any] = {}
            for n in ([base] if isinstance(base, str) else base or []):
                try:
                    merged.update(self.resolve(n))
                except KeyError:
                    problems.append(f"defaults name unknown style {n!r}{self._known()}")
                except ValueError as e:
                    problems.append(str(e))
            merged.update(d)
            out.update({k: v for k, v in merged.items() if k in fields})
        names = [style] if isinstance(style, str) else list(style or [])
        for n in names:
            if not isinstance(n, str):
                problems.append(f"style must be a name or a list of names, not {type(n).__name__}")
                continue
            try:
                keys = self.resolve(n)
            except KeyError:
                problems.append(f"unknown style {n!r}{self._known()}")
                continue
            except ValueError as e:
                problems.append(str(e))
                continue
            extra = set(keys) - set(fields)
            if extra:
                problems.append(f"style {n!r} sets {', '.join(sorted(extra))}, which this element kind does not have")
            out.update({k: v for k, v in keys.items() if k in fields})
        return out

    def _known(self) -> str:
        return f" (known: {', '.join(sorted(self.named))})" if self.named else " (no styles are defined)"
