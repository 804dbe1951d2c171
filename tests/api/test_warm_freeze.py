"""The service's warm-up (every form loaded and checked, the fonts opened) ends by freezing what it
loaded (``gc.freeze``): the collections during requests scan only the requests' own objects. In a
fresh process, not in the test runner's."""

from __future__ import annotations

import multiprocessing as mp


def _child(q) -> None:
    import gc

    from lgforms import Catalog
    from lgforms_api.app import _warm

    before = gc.get_freeze_count()
    _warm(Catalog())
    q.put((before, gc.get_freeze_count()))


def test_the_warm_up_freezes_the_forms_and_fonts_it_loaded():
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q,))
    p.start()
    before, after = q.get(timeout=300)
    p.join(60)
    assert before == 0 and after > 100_000, (before, after)  # 50+ forms and their compiled elements
