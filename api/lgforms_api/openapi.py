"""Print the service's OpenAPI document: ``python -m lgforms_api.openapi > api/openapi.json``.
The committed file is checked against the live app by the tests."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from .app import create_app
from .settings import Settings


def document() -> dict:
    with tempfile.TemporaryDirectory() as d:
        return create_app(Settings(db_path=str(Path(d) / "openapi.db"))).openapi()


if __name__ == "__main__":
    json.dump(document(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
