"""Where the bundled data (fonts, forms) lives.

In a checkout (editable install) they sit at the top of the repository; a wheel carries them in
``lgforms/_data``. ``LGFORMS_FONT_DIR`` / ``LGFORMS_FORMS_DIR`` override both.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent.parent  # src/lgforms -> repository root


def _find(kind: str, env: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    for candidate in (_PKG / "_data" / kind, _REPO / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"lgforms: cannot find the bundled '{kind}' folder (set {env})")


def font_dir() -> Path:
    return _find("fonts", "LGFORMS_FONT_DIR")


def forms_dir() -> Path:
    return _find("forms", "LGFORMS_FORMS_DIR")
