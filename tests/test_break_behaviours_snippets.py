"""tools/break_behaviours.py breaks each guarded behaviour by replacing one exact snippet of the
source (issue 17's "broken on purpose"). When the source changes under a snippet the tool stops
there, and nobody notices until it is run: every snippet must still occur exactly once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_break_still_applies_to_the_source_once():
    spec = importlib.util.spec_from_file_location("break_behaviours", ROOT / "tools" / "break_behaviours.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["break_behaviours"] = mod  # its dataclass looks its module up while it is defined
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules["break_behaviours"]
    counts = {b.id: (ROOT / b.file).read_text("utf-8").count(b.old) for b in mod.BREAKS}
    assert len(counts) >= 16  # the 16 behaviours of issue 17, some broken in more than one way
    assert {k: n for k, n in counts.items() if n != 1} == {}
