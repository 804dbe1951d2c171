"""The catalog of forms: ``forms/<area>/<form_id>/form.yaml``, loaded on first use and cached."""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import FormNotFound
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
            self._folders = {p.parent.name: p.parent for p in sorted(self.root.glob("*/*/form.yaml"))}
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
                self._forms[form_id] = load_form(folders[form_id])
        return self._forms[form_id]

    def list(self) -> list[dict]:
        return [self.get(i).summary() for i in self.ids()]


_default: Catalog | None = None


def default_catalog() -> Catalog:
    global _default
    if _default is None:
        _default = Catalog()
    return _default
