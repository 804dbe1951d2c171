"""The service's warm-up (every form loaded and checked, the fonts opened) ends by freezing what it
loaded (``gc.freeze``): the collections during requests scan only the requests' own objects. In a
fresh process, not in the test runner's."""

from __future__ import annotations

from spawned import in_fresh_process


def _child(q) -> None:
    import gc

    from lgforms import Catalog
    from lgforms_api.app import _warm

    before = gc.get_freeze_count()
    _warm(Catalog())
    q.put((before, gc.get_freeze_count()))


def test_the_warm_up_freezes_the_forms_and_fonts_it_loaded():
    before, after = in_fresh_process(_child, timeout=300)
    assert before == 0 and after > 100_000, (before, after)  # 50+ forms and their compiled elements
