"""Service settings, from the environment (``LGFORMS_*``) or given to ``create_app``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LGFORMS_{name}", default)


@dataclass
class Settings:
    # the store: a SQLite file path (embedded default) or a postgresql:// URL (several instances)
    db_path: str = field(default_factory=lambda: _env("DB", "lgforms-data/lgforms.db"))
    admin_token: str | None = field(default_factory=lambda: os.environ.get("LGFORMS_ADMIN_TOKEN") or None)
    max_body_bytes: int = field(default_factory=lambda: int(_env("MAX_BODY_BYTES", str(2 * 1024 * 1024))))
    max_pages: int = field(default_factory=lambda: int(_env("MAX_PAGES", "200")))
    max_render_seconds: float = field(default_factory=lambda: float(_env("MAX_RENDER_SECONDS", "20")))
    rate_per_second: float = field(default_factory=lambda: float(_env("RATE_PER_SECOND", "50")))
    rate_burst: int = field(default_factory=lambda: int(_env("RATE_BURST", "100")))
    # failed authentications per client address: a burst, then one per 1/rate seconds
    auth_fail_per_second: float = field(default_factory=lambda: float(_env("AUTH_FAIL_PER_SECOND", "0.5")))
    auth_fail_burst: int = field(default_factory=lambda: int(_env("AUTH_FAIL_BURST", "30")))
    max_png_dpi: int = 300
