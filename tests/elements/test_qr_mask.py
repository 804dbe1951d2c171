"""The numpy mask choice (qr_mask) and the numpy final message and codeword placement
(qr_codewords) give exactly segno's own symbols (same mask, same modules)."""

from __future__ import annotations

import random

import pytest
import segno
from segno import encoder

from lgforms.elements import qr_codewords, qr_mask

FAST = {"find_and_apply_best_mask": qr_mask.find_and_apply_best_mask,
        "make_final_message": qr_codewords.make_final_message, "add_codewords": qr_codewords.add_codewords}
SEGNO = {"find_and_apply_best_mask": qr_mask._original, "make_final_message": qr_codewords._original_message,
         "add_codewords": qr_codewords._original_place}


def _use(monkeypatch, functions: dict) -> None:
    for name, f in functions.items():
        monkeypatch.setattr(encoder, name, f)


@pytest.mark.parametrize("seed", range(40))
def test_same_mask_and_modules_as_segno(seed, monkeypatch):
    rnd = random.Random(seed)
    n = rnd.choice([5, 20, 60, 120, 250])
    data = "".join(rnd.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:みどり野市") for _ in range(n))
    ec = rnd.choice("LMQH")
    _use(monkeypatch, SEGNO)
    ref = segno.make_qr(data, error=ec, boost_error=False)
    _use(monkeypatch, FAST)
    fast = segno.make_qr(data, error=ec, boost_error=False)
    assert (fast.version, fast.mask) == (ref.version, ref.mask)
    assert fast.matrix == ref.matrix


def test_scores_equal_segno_for_every_mask():
    code = segno.make_qr("eL-QR 0000099201100000012345601", error="m", boost_error=False, mask=3)
    import numpy as np

    a = np.array([list(r) for r in code.matrix], dtype=np.uint8)
    assert qr_mask.score(a) == encoder.evaluate_mask(code.matrix, len(a), len(a))


@pytest.mark.parametrize("seed", range(12))
def test_every_mask_s_penalty_equals_segno_s(seed):
    """All 8 scores the encoder compares (not only the winner) are segno's ``evaluate_mask``, on
    symbols from version 1 to about 10: N1 runs, N2 blocks, N3 finder-like patterns, N4 balance."""
    import numpy as np

    rnd = random.Random(1000 + seed)
    data = "".join(rnd.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rnd.choice([8, 40, 90, 200])))
    code = segno.make_qr(data, error=rnd.choice("LMQH"), boost_error=False)
    n = len(code.matrix)
    region = qr_mask._region(n, n)
    unmasked = np.array([list(r) for r in code.matrix], dtype=np.uint8) ^ (qr_mask._mask_grid(code.mask, n) & region)
    stack = np.stack([unmasked ^ (qr_mask._mask_grid(k, n) & region) for k in range(8)])
    want = [encoder.evaluate_mask(tuple(bytearray(r.tobytes()) for r in m), n, n) for m in stack]
    assert qr_mask._scores(stack) == want


@pytest.mark.parametrize("seed", range(8))
def test_overlapping_finder_like_patterns_score_as_segno(seed):
    """Rows where 1011101 patterns overlap (at a shift of 4 or 6) are walked as segno walks them:
    a counted pattern resumes the search 7 modules on, an uncounted one 4. Random matrices with
    such chains (and light or dark surroundings) in rows and columns, against ``evaluate_mask``."""
    import numpy as np

    rnd = random.Random(500 + seed)
    n = rnd.choice([21, 25, 29, 33])
    stack = np.array([[[rnd.random() < 0.5 for _ in range(n)] for _ in range(n)] for _ in range(8)], dtype=np.uint8)
    chains = ["10111011101", "1011101011101", "0000101110111010000", "00001011101", "10111010000"]
    for m in range(8):
        for _ in range(rnd.randint(1, 4)):
            chain = [int(c) for c in rnd.choice(chains)]
            r, c = rnd.randrange(n), rnd.randrange(n - len(chain) + 1)
            if rnd.random() < 0.5:
                stack[m, r, c:c + len(chain)] = chain
            else:
                stack[m, c:c + len(chain), r] = chain
    want = [encoder.evaluate_mask(tuple(bytearray(r.tobytes()) for r in m), n, n) for m in stack]
    assert qr_mask._scores(stack) == want


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_places_codewords_as_segno(version, monkeypatch):
    """The placement table of each version (learned from segno's own ``add_codewords``) and the
    final message (Reed–Solomon blocks interleaved, remainder bits) give segno's symbol, at every
    error correction level; the mask is fixed so that only the codewords are compared."""
    rnd = random.Random(version)
    for ec in "LMQH":
        data = "".join(rnd.choice("0123456789ABCDEF") for _ in range(rnd.randint(1, 6 * version)))
        _use(monkeypatch, SEGNO)
        ref = segno.make_qr(data, error=ec, version=version, mask=version % 8, boost_error=False)
        _use(monkeypatch, FAST)
        fast = segno.make_qr(data, error=ec, version=version, mask=version % 8, boost_error=False)
        assert fast.matrix == ref.matrix, (version, ec)


def test_micro_qr_is_left_to_segno(monkeypatch):
    _use(monkeypatch, SEGNO)
    ref = segno.make("01234", micro=True)
    _use(monkeypatch, FAST)
    fast = segno.make("01234", micro=True)
    assert (fast.version, fast.matrix) == (ref.version, ref.matrix) and fast.is_micro
