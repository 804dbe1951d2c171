"""The QR mask choice of segno (ISO/IEC 18004 §7.8.3), computed with numpy.

segno evaluates the 8 data masks in pure Python: ~10 ms of the ~13 ms a version-5 symbol takes,
and a 納税通知書 carries an eL-QR on each of its 5 slips. This computes the same penalty scores
(N1 runs, N2 blocks, N3 finder-like patterns, N4 balance) on the same matrix — reserved modules
included, exactly as segno counts them — so the chosen mask and the symbol are identical to
segno's own (checked by tests/elements/test_qr_mask.py on random data), in a fraction of the time.
``install()`` puts it in place of ``segno.encoder.find_and_apply_best_mask``.
"""

from __future__ import annotations

import numpy as np
from segno import encoder

from .qr_codewords import function_patterns

_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
_original = encoder.find_and_apply_best_mask
_regions: dict[tuple[int, int], np.ndarray] = {}
_masks: dict[tuple[int, int], np.ndarray] = {}


def _region(width: int, height: int) -> np.ndarray:
    """True where a module is data (not a finder, timing or alignment pattern): segno's
    ``is_encoding_region``."""
    hit = _regions.get((width, height))
    if hit is None:
        fm = function_patterns(width)  # square: find_and_apply_best_mask sends other sizes to segno
        fm[-8][8] = 0x1
        hit = _regions[(width, height)] = np.array([list(r) for r in fm], dtype=np.uint8) > 1
    return hit


def _mask_grid(k: int, n: int) -> np.ndarray:
    hit = _masks.get((k, n))
    if hit is None:
        i, j = np.indices((n, n))
        grid = [(i + j) % 2 == 0, i % 2 == 0, j % 3 == 0, (i + j) % 3 == 0, (i // 2 + j // 3) % 2 == 0,
                (i * j) % 2 + (i * j) % 3 == 0, ((i * j) % 2 + (i * j) % 3) % 2 == 0,
                ((i + j) % 2 + (i * j) % 3) % 2 == 0][k]
        hit = _masks[(k, n)] = grid.astype(np.uint8)
    return hit


def score(a: np.ndarray) -> int:
    """segno's ``evaluate_mask`` of the matrix ``a`` (values 0, 1 and 2 = reserved): the one
    matrix through ``_scores``, the code the encoder runs."""
    return _scores(a[np.newaxis])[0]


def _scores(stack: np.ndarray) -> list[int]:
    """``score`` of each of the stacked matrices (k × n × n) at once: rows and columns of all k
    masks in one array (2k × n × n), a fixed number of numpy calls whatever the symbol size (a
    small symbol's cost is the calls, not the modules)."""
    k, n, _ = stack.shape
    both = np.concatenate([stack, stack.transpose(0, 2, 1)])  # rows of each mask, then its columns
    owner_of = np.arange(2 * k) % k  # which mask each of the 2k matrices belongs to
    # N1: runs of ≥ 5 equal modules: between the changes of each row, padded at both ends with a
    # value no module has (so no run spans two rows)
    pad = np.full((2 * k, n, 1), 3, dtype=np.uint8)
    b = np.concatenate([pad, both, pad], axis=2)
    pos = np.flatnonzero(b[:, :, 1:] != b[:, :, :-1])
    runs = np.diff(pos)
    long = runs >= 5
    n1 = np.bincount(owner_of[pos[:-1][long] // (n * (n + 1))], weights=runs[long] - 2, minlength=k)
    # N3: finder-like 1:1:3:1:1 in a row, 40 points where 4 light modules precede or follow it
    # (or it touches the edge); segno resumes its search after a counted pattern, else 4 further
    w = n - 6
    match = both[:, :, 0:w] == _N3[0]
    for i in range(1, 7):
        match &= both[:, :, i:i + w] == _N3[i]
    total = [0] * k
    hits = np.nonzero(match)
    if hits[0].size:
        dark = np.zeros((2 * k, n, n + 1), dtype=np.int16)
        np.cumsum(both != 0, axis=2, out=dark[:, :, 1:])  # dark[..., j]: non-light modules in [0, j)
        mats, rows, idxs = hits
        lo = np.maximum(idxs - 4, 0)
        hi = np.minimum(idxs + 11, n)
        light_before = dark[mats, rows, idxs] == dark[mats, rows, lo]
        light_after = dark[mats, rows, hi] == dark[mats, rows, idxs + 7]
        counts = (idxs == 0) | (idxs == n - 7) | light_before | light_after
        # the resume rule matters only where two patterns of one row overlap (1011101 overlaps
        # itself at a shift of 4 or 6): those rows are walked as segno walks them, the rest counted
        # at once
        key = mats * n + rows
        close = (key[1:] == key[:-1]) & (idxs[1:] - idxs[:-1] < 7)
        walked = np.isin(key, key[1:][close]) if close.any() else np.zeros(key.size, dtype=bool)
        points = np.bincount(owner_of[mats[counts & ~walked]], minlength=k)
        for m in range(k):
            total[m] += 40 * int(points[m])
        last, resume = None, 0
        for m, r, idx, ok in zip(*(x[walked].tolist() for x in (mats, rows, idxs, counts))):
            if (m, r) != last:
                last, resume = (m, r), 0
            if idx < resume:
                continue
            if ok:
                total[owner_of[m]] += 40
                resume = idx + 7
            else:
                resume = idx + 4
    x = stack[:, :-1, :-1]
    n2 = ((x == stack[:, :-1, 1:]) & (x == stack[:, 1:, :-1]) & (x == stack[:, 1:, 1:])).sum(axis=(1, 2))
    dark_modules = stack.sum(axis=(1, 2), dtype=np.int64)
    for m in range(k):
        percent = float(dark_modules[m]) / (n * n)
        total[m] += int(n1[m]) + 3 * int(n2[m]) + 10 * int(abs(percent * 100 - 50) / 5)
    return total


def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
    if width != height or width < 21 or proposed_mask is not None:  # Micro QR / a given mask: segno's own
        return _original(matrix, width, height, proposed_mask)
    a = np.frombuffer(b"".join(bytes(r) for r in matrix), dtype=np.uint8).reshape(height, width)
    region = _region(width, height)
    stack = np.stack([a ^ (_mask_grid(k, width) & region) for k in range(8)])
    sc = _scores(stack)
    best = min(range(8), key=lambda m: (sc[m], m))  # the first of equal scores, as segno
    return best, tuple(bytearray(r.tobytes()) for r in stack[best])


def install() -> None:
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
