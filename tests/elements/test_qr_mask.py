"""The fast mask choice (qr_mask, on bit sets) and the numpy final message and codeword placement
(qr_codewords) give exactly segno's own symbols (same mask, same modules)."""

from __future__ import annotations

import random

import pytest
import segno
from segno import consts, encoder

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
    monkeypatch.setattr(qr_codewords, "_order", {})  # learn this version's placement here (not a cached one)
    monkeypatch.setattr(qr_codewords, "_rs", {})  # and its Reed–Solomon tables
    rnd = random.Random(version)
    for ec in "LMQH":
        data = "".join(rnd.choice("0123456789ABCDEF") for _ in range(rnd.randint(1, 6 * version)))
        _use(monkeypatch, SEGNO)
        ref = segno.make_qr(data, error=ec, version=version, mask=version % 8, boost_error=False)
        _use(monkeypatch, FAST)
        fast = segno.make_qr(data, error=ec, version=version, mask=version % 8, boost_error=False)
        assert fast.matrix == ref.matrix, (version, ec)


@pytest.mark.parametrize("version", [1, 2, 7, 40])
def test_the_fast_paths_do_the_work(version, monkeypatch):
    """For QR Codes (version 1 up) neither segno function runs once the placement is learned: the
    symbol comes from the numpy paths alone (and is still segno's)."""
    monkeypatch.setattr(qr_codewords, "_order", {})
    data = "1" * (3 * version)
    _use(monkeypatch, SEGNO)
    ref = segno.make_qr(data, error="m", version=version, mask=1, boost_error=False)
    qr_codewords._placement(version)
    for ec in consts.ECC[version][consts.ERROR_LEVEL_M]:
        qr_codewords._rs_table(ec.num_data, ec.num_total - ec.num_data)

    def refuse(*a, **k):
        raise AssertionError("segno's own function ran")

    monkeypatch.setattr(qr_codewords, "_original_message", refuse)
    monkeypatch.setattr(qr_codewords, "_original_place", refuse)
    monkeypatch.setattr(encoder, "make_blocks", refuse)  # the error codewords come from the tables
    _use(monkeypatch, FAST)
    assert segno.make_qr(data, error="m", version=version, mask=1, boost_error=False).matrix == ref.matrix


@pytest.mark.parametrize("shape", [(1, 7), (19, 7), (16, 10), (44, 26), (55, 15), (122, 30), (15, 30)])
def test_error_codewords_of_random_blocks_are_segno_s(shape, monkeypatch):
    """The table's error codewords (XOR of each data byte's own) are those of segno's division, for
    blocks of random bytes, zero bytes and 0xFF included, from a cold table."""
    monkeypatch.setattr(qr_codewords, "_rs", {})
    num_data, num_error = shape
    rnd = random.Random(num_data * 100 + num_error)
    blocks = [[rnd.choice([0, 0xFF, rnd.randrange(256)]) for _ in range(num_data)] for _ in range(12)]
    blocks += [[0] * num_data, [0xFF] * num_data]
    _, want = encoder.make_blocks([consts.EC(len(blocks), num_data + num_error, num_data)],
                                  qr_codewords._Codewords(x for b in blocks for x in b))
    table = qr_codewords._rs_table(num_data, num_error)
    assert table.shape == (num_data, 256, num_error)
    for b, w in zip(blocks, want):
        got = 0
        for i, byte in enumerate(b):
            got ^= int.from_bytes(table[i, byte].tobytes(), "big")
        assert got.to_bytes(num_error, "big") == bytes(w)


def test_install_puts_both_in_place(monkeypatch):
    _use(monkeypatch, SEGNO)
    qr_codewords.install()
    assert encoder.make_final_message is qr_codewords.make_final_message
    assert encoder.add_codewords is qr_codewords.add_codewords


def test_micro_qr_codewords_are_left_to_segno(monkeypatch):
    _use(monkeypatch, SEGNO)
    ref = segno.make("01234", micro=True)
    _use(monkeypatch, FAST)
    fast = segno.make("01234", micro=True)
    assert (fast.version, fast.matrix) == (ref.version, ref.matrix) and fast.is_micro


# --- issue 17: what the mutation run of qr_mask.py found untested ----------------------------------------
#
# The mask grids and the encoding region are cached per size in the process (``_masks``,
# ``_regions``): each test below empties both first, so that what it checks is computed here (a
# mutmut run forks from a process where they are already built). References written out here:
# - ISO/IEC 18004:2015 §7.8.2, Table 10: the data mask pattern conditions, i = row, j = column;
#   a module is inverted where the condition holds.
# - ISO/IEC 18004 §6.3 and Annex E: the function patterns a mask never touches — three finder
#   patterns with their separators and the format information next to them (9 × 9 top-left,
#   8 × 9 top-right and bottom-left, the dark module included), the timing patterns (row 6 and
#   column 6), the alignment patterns (5 × 5 around every combination of the Annex E centres not
#   overlapping a finder), and from version 7 the two 6 × 3 version information blocks.
# - the penalty scores: segno's ``evaluate_mask`` (the encoder this module replaces, and whose
#   choice of mask it must reproduce), on matrices built to contain what its rules look for.

ISO_MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]
ALIGNMENT_CENTRES = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38],
                     8: [6, 24, 42], 9: [6, 26, 46], 10: [6, 28, 50]}


@pytest.fixture
def cold(monkeypatch):
    monkeypatch.setattr(qr_mask, "_masks", {})
    monkeypatch.setattr(qr_mask, "_regions", {})
    monkeypatch.setattr(qr_mask, "_guards", {})  # the bit sets' module and guard layout per size
    monkeypatch.setattr(qr_mask, "_mask_bits", {})  # each mask's flipped modules as bit sets


def iso_function_module(version: int, i: int, j: int) -> bool:
    n = 17 + 4 * version
    if (i <= 8 and j <= 8) or (i <= 8 and j >= n - 8) or (i >= n - 8 and j <= 8):
        return True  # finders, separators, format information, the dark module (n − 8, 8)
    if i == 6 or j == 6:
        return True  # timing patterns
    centres = ALIGNMENT_CENTRES[version]
    for ci in centres:
        for cj in centres:
            if (ci, cj) in ((6, 6), (6, centres[-1]), (centres[-1], 6)):
                continue  # would overlap a finder
            if abs(i - ci) <= 2 and abs(j - cj) <= 2:
                return True
    if version >= 7 and ((i <= 5 and n - 11 <= j <= n - 9) or (j <= 5 and n - 11 <= i <= n - 9)):
        return True  # version information
    return False


@pytest.mark.parametrize("n", [21, 25, 45, 57])
def test_mask_patterns_are_iso_18004_table_10(cold, n):
    for k, cond in enumerate(ISO_MASKS):
        want = [[1 if cond(i, j) else 0 for j in range(n)] for i in range(n)]
        assert qr_mask._mask_grid(k, n).tolist() == want, k


@pytest.mark.parametrize("version", [1, 2, 6, 7, 10])
def test_the_masked_region_is_all_but_the_function_patterns(cold, version):
    n = 17 + 4 * version
    want = [[not iso_function_module(version, i, j) for j in range(n)] for i in range(n)]
    assert qr_mask._region(n, n).tolist() == want


@pytest.mark.parametrize("seed", range(6))
def test_same_symbol_as_segno_with_cold_caches(cold, seed, monkeypatch):
    """The first symbol of each size in a process builds its mask grids and region: still segno's."""
    rnd = random.Random(500 + seed)
    data = "".join(rnd.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rnd.choice([10, 50, 120])))
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask._original)
    ref = segno.make_qr(data, error="m", boost_error=False)
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask.find_and_apply_best_mask)
    fast = segno.make_qr(data, error="m", boost_error=False)
    assert (fast.version, fast.mask, fast.matrix) == (ref.version, ref.mask, ref.matrix)


def _adversarial(rnd: random.Random, n: int):
    """An n × n matrix of 0, 1 and 2 (2: a reserved module not yet written, as the encoder passes
    them) made of what the penalty rules look for: finder-like 1011101 with and without light
    modules around it, at the row's ends too, long runs, 2 × 2 blocks; dark or light on the whole."""
    import numpy as np

    pieces = ["1011101", "0000", "00001011101", "10111010000", "1111111", "000000", "0", "1", "10", "2",
              "01011101", "1011101011101"]
    dark = rnd.random()
    rows = []
    for _ in range(n):
        s = ""
        while len(s) < n:
            s += rnd.choice(pieces) if rnd.random() < 0.6 else ("1" if rnd.random() < dark else "0")
        rows.append([int(c) for c in s[:n]])
    return np.array(rows, dtype=np.uint8)


@pytest.mark.parametrize("seed", range(30))
def test_penalty_scores_equal_segno_s_on_matrices_full_of_patterns(seed):
    import numpy as np

    rnd = random.Random(7000 + seed)
    n = rnd.choice([21, 25, 29, 33, 45])
    stack = np.stack([_adversarial(rnd, n) for _ in range(8)])
    want = [encoder.evaluate_mask(tuple(bytearray(r.tobytes()) for r in m), n, n) for m in stack]
    assert [qr_mask.score(m) for m in stack] == want
    assert qr_mask._scores(stack) == want


@pytest.mark.parametrize("row, points", [
    ("0" * 21, 19),  # ISO N1: one run of 21 light = 3 + (21 − 5); the rest scores 0
    ("1011101" + "0" * 14, None),  # finder-like at the left edge (idx 0), light after it
    ("0" * 14 + "1011101", None),  # at the right edge (idx n − 7)
    ("1" + "0" * 4 + "1011101" + "0" * 4 + "1" * 4 + "0", None),  # light on both sides
    ("1" * 3 + "0" + "1011101" + "0" + "1" * 9, None),  # light on neither side: no 40 points
    ("10111010111010000000" + "1", None),  # two patterns sharing a module: where the search resumes
])
def test_penalty_of_a_single_patterned_row_equals_segno_s(row, points):
    """One row of the pattern in an otherwise alternating matrix (no run, no block): N1 and N3 cases
    one at a time, each compared with segno's own score."""
    import numpy as np

    n = 21
    base = [[(i + j) % 2 for j in range(n)] for i in range(n)]
    base[10] = [int(c) for c in row]
    a = np.array(base, dtype=np.uint8)
    want = encoder.evaluate_mask(tuple(bytearray(r.tobytes()) for r in a), n, n)
    assert qr_mask.score(a) == want
    assert qr_mask._scores(a[None]) == [want]
    if points is not None:
        assert want == points


def test_a_symbol_with_a_given_mask_keeps_it(monkeypatch):
    """``mask=…`` asks for that mask: segno's own code applies it (the fast path only chooses)."""
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask.find_and_apply_best_mask)
    for k in range(8):
        code = segno.make_qr("eL-QR 0000099201100000012345601", error="m", boost_error=False, mask=k)
        assert code.mask == k
        monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask._original)
        ref = segno.make_qr("eL-QR 0000099201100000012345601", error="m", boost_error=False, mask=k)
        monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask.find_and_apply_best_mask)
        assert code.matrix == ref.matrix


def test_micro_qr_is_left_to_segno(monkeypatch):
    """Micro QR (11–17 modules) chooses its mask by another rule (the highest score, ISO/IEC 18004
    §7.8.3.2): segno's own code, never the fast one."""
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask._original)
    ref = [segno.make_micro(d) for d in ("12345", "ABCDEF12", "みどり野")]
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask.find_and_apply_best_mask)
    fast = [segno.make_micro(d) for d in ("12345", "ABCDEF12", "みどり野")]
    assert [(c.version, c.mask, c.matrix) for c in fast] == [(c.version, c.mask, c.matrix) for c in ref]


@pytest.mark.parametrize("data", ["1", "0" * 40, "A" * 200])  # versions 1, 2 and 8 at M
def test_every_qr_size_takes_the_fast_path(monkeypatch, data):
    """What the module is for (a 納税通知書's five eL-QR in a fraction of segno's time): the
    choice of a QR Code's mask never falls back to segno's own loop, from version 1 on."""
    def refuse(*a, **k):
        raise AssertionError("segno's own mask search ran")

    monkeypatch.setattr(qr_mask, "_original", refuse)
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask.find_and_apply_best_mask)
    code = segno.make_qr(data, error="m", boost_error=False)
    assert code.designator.startswith(("1-", "2-", "8-"))


def test_install_puts_the_numpy_choice_in_segno(monkeypatch):
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr_mask._original)
    qr_mask.install()
    assert encoder.find_and_apply_best_mask is qr_mask.find_and_apply_best_mask


# --- the bit sets (2026-12-03): the 8 scores the encoder compares, from cold caches -----------------

def _encoder_matrix(monkeypatch, data: str, error: str = "m") -> "np.ndarray":
    """The matrix segno's encoder hands to the mask choice (reserved modules = 2), captured."""
    import numpy as np

    seen = []

    def capture(matrix, width, height, proposed_mask=None):
        seen.append(np.array([list(r) for r in matrix], dtype=np.uint8))
        return qr_mask._original(matrix, width, height, proposed_mask)

    monkeypatch.setattr(encoder, "find_and_apply_best_mask", capture)
    segno.make_qr(data, error=error, boost_error=False)
    monkeypatch.undo()
    return seen[0]


def _segno_scores(a) -> list[int]:
    """segno's evaluate_mask of ``a`` under each mask, the masks from ISO Table 10 and the region
    from ISO's function patterns (``iso_function_module``), both written out in this file."""
    n = len(a)
    version = (n - 17) // 4
    out = []
    for cond in ISO_MASKS:
        m = tuple(bytearray((a[i][j] ^ 1) if not iso_function_module(version, i, j) and cond(i, j) else a[i][j]
                            for j in range(n)) for i in range(n))
        out.append(encoder.evaluate_mask(m, n, n))
    return out


@pytest.mark.parametrize("seed", range(10))
def test_the_eight_mask_scores_of_a_symbol_are_segno_s_from_cold_caches(cold, seed, monkeypatch):
    """``_mask_scores`` — what the encoder minimises — equals segno's score of each masked matrix,
    with the format information as the encoder leaves it (light) or reserved (2)."""
    rnd = random.Random(7000 + seed)
    data = "".join(rnd.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rnd.choice([10, 60, 150, 300])))
    a = _encoder_matrix(monkeypatch, data, rnd.choice("LMQH"))
    if seed % 2:  # the format information reserved as 2 (segno's matrices before 1.6, and the
        n = len(a)  # scores' own value for them): counted once for all masks, not masked
        for i in [*range(6), 7, 8]:
            a[8, i] = a[i, 8] = 2
        a[8, n - 8:] = 2
        a[n - 7:, 8] = 2
    assert qr_mask._mask_scores(a) == _segno_scores(a.tolist())


def test_a_matrix_the_encoder_does_not_make_is_scored_the_general_way(cold, monkeypatch):
    """A value 2 inside the masked region (XOR turns it into 3) or a value above 2: scored module
    for module like segno, and the chosen mask and matrix are segno's."""
    a = _encoder_matrix(monkeypatch, "eL-QR 0000099201100000012345601")
    n = len(a)
    region = qr_mask._region(n, n)
    i, j = [(i, j) for i in range(n) for j in range(n) if region[i, j]][40]
    # in the region; in the light separator under the top-left finder (a 3 splits its run of 8)
    for where, value in (((i, j), 2), ((i, j), 3), ((7, 3), 3)):
        b = a.copy()
        b[where] = value
        assert qr_mask._mask_scores(b) == _segno_scores(b.tolist())
        rows = [bytearray(r.tobytes()) for r in b]
        assert qr_mask.find_and_apply_best_mask(rows, n, n) == qr_mask._original([bytearray(r) for r in rows], n, n)


def test_reserved_blocks_score_once_for_every_mask(cold, monkeypatch):
    """The version information of a version-7 symbol reserved (2): two 6 × 3 blocks whose 2 × 2
    squares score N2 under every mask alike — still each mask's full score is segno's."""
    a = _encoder_matrix(monkeypatch, "0123456789" * 27)  # 270 digits at M: version 7
    n = len(a)
    assert n == 45
    a[0:6, n - 11:n - 8] = 2  # ISO/IEC 18004 §7.10: above the bottom-left finder and left of the top-right one
    a[n - 11:n - 8, 0:6] = 2
    assert qr_mask._mask_scores(a) == _segno_scores(a.tolist())


@pytest.mark.parametrize("value", [0, 1])
def test_a_matrix_of_one_colour_scores_as_segno(cold, value):
    """No dark module at all (or no light one): no N3 pattern, and no class missing breaks the
    count."""
    import numpy as np

    for n in (21, 25):
        a = np.full((n, n), value, dtype=np.uint8)
        want = encoder.evaluate_mask(tuple(bytearray(r.tobytes()) for r in a), n, n)
        assert qr_mask.score(a) == want == 4 * n * (n - 2) // 2 + 3 * (n - 1) ** 2 + 100


def test_the_bit_layout_of_a_matrix(cold):
    """Row i, column j at bit 4 + i·(n + 4) + j; 4 guard bits before the first row and after each
    row (N3 looks 4 modules past a pattern: the guards are the light outside of the symbol)."""
    import numpy as np

    n = 21
    b = np.zeros((n, n), dtype=bool)
    b[0, 0] = b[2, 5] = b[20, 20] = True
    assert qr_mask._to_bits(b) == (1 << 4) | (1 << (4 + 2 * 25 + 5)) | (1 << (4 + 20 * 25 + 20))
    modules, guards = qr_mask._layout(n)
    assert modules.bit_count() == n * n and guards.bit_count() == 4 + 4 * n
    assert modules & guards == 0 and (modules | guards) == (1 << (4 + n * 25)) - 1
    assert guards & 0b1111 == 0b1111 and (guards >> (4 + n)) & 0b1111 == 0b1111
