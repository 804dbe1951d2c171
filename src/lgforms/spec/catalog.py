"""The catalog of forms: ``forms/<area>/<form_id>/form.yaml``, loaded on first use and cached."""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import FormNotFound, FormSpecInvalid
from .loader import FormSpec, load_form


class Catalog:
    def __init__(self, root: str | Path | None = None):
        if root is None:
            from ..resources import forms_dir

            root = forms_dir()
        self.root = Path(root)
        self._folders: dict[str, Path] | None = None
        self._forms: dict[str, FormSpec] = {}
        self._lock = threading.Lock()

    def _scan(self) -> dict[str, Path]:
        if self._folders is None:
            self._folders = {p.parent.name: p.parent for p in sorted(self.root.glob("*/*/form.yaml"))
                             if not p.parent.parent.name.startswith("_")}
        return self._folders

    def ids(self) -> list[str]:
        return list(self._scan())

    def get(self, form_id: str) -> FormSpec:
        f = self._forms.get(form_id)
        if f is not None:
            return f
        folders = self._scan()
        if form_id not in folders:
            raise FormNotFound(f"no form {form_id!r} (known: {', '.join(folders) or 'none'})", form_id=form_id)
        with self._lock:
            if form_id not in self._forms:
                self._forms[form_id] = load_form(folders[form_id], self.root)
        return self._forms[form_id]

    def list(self, area: str | None = None) -> list[dict]:
        """Every form's summary; a form that does not load is listed as broken (with its
        errors), not hidden and not fatal for the others."""
        out = []
        for i in self.ids():
            try:
                s = self.get(i).summary()
            except FormSpecInvalid as e:
                folder = self._scan()[i]
                s = {"id": i, "title": None, "area": folder.parent.name, "broken": True, "error": e.message,
                     "errors": e.detail.get("errors", [])}
                try:
                    import yaml

                    head = yaml.safe_load((folder / "form.yaml").read_text(encoding="utf-8"))
                    s["title"], s["area"] = head.get("title"), head.get("area", s["area"])
                except Exception:  # noqa: BLE001 - a broken file stays listed by its folder
                    pass
            if area is None or s.get("area") == area:
                out.append(s)
        return out


_default: Catalog | None = None


def default_catalog() -> Catalog:
    global _default
    if _default is None:
        _default = Catalog()
    return _default
