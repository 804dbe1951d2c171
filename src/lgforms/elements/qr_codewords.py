"""The final message of a QR Code and its placement in the matrix (ISO/IEC 18004 §7.6, §7.7.3) as
segno builds them, with numpy and a per-version placement table.

segno turns the bit stream into codewords through strings (``Buffer.toints``), back into bits
through generators, and places the bits by walking every module of the symbol in Python: with its
mask choice (``qr_mask``) the larger part of an eL-QR's encoding time. Here:

* ``make_final_message``: the codewords packed with numpy, the Reed–Solomon error codewords of
  each block from a table (below), interleaved as segno interleaves them, unpacked with numpy;
  the remainder bits are what the symbol's data region holds beyond the codewords (derived, not
  a table);
* the error codewords are linear in the data over GF(2⁸): a block's are the XOR of the error
  codewords each data byte alone would have at its place. ``_rs_table`` works those out once per
  block shape (data and error codeword counts) with segno's own division (``make_blocks``) of the
  unit blocks and its GF(2⁸) tables, so a block is one indexed lookup and one XOR reduction in
  place of segno's codeword-by-codeword division in Python (0.26 → 0.03 ms for an eL-QR);
* ``add_codewords``: the order in which segno fills the data region of a version is learned once,
  from segno's own ``add_codewords`` (run with bit planes of the module index: ⌈log2 n⌉ runs tell
  each module its place in the stream), then each symbol is one indexed assignment.

The symbols are segno's own, module for module (tests/elements/test_qr_mask.py compares whole
symbols with segno's pure code on random data of every mode, level and many versions). Micro QR
is left to segno. ``install()`` puts both in place in ``segno.encoder``.
"""

from __future__ import annotations

from itertools import chain, zip_longest

import numpy as np
from segno import consts, encoder

_original_message = encoder.make_final_message
_original_place = encoder.add_codewords
_order: dict[int, np.ndarray] = {}  # version -> flat module indexes in the order bits are placed
_rs: dict[tuple[int, int], np.ndarray] = {}  # (data, error codewords) -> error codewords per (place, byte)
_RS_TABLE_LIMIT = 64  # block shapes kept (a version-40 table is ~1 MB; a form uses one or two shapes)


def function_patterns(n: int) -> list[bytearray]:
    """segno's matrix of an n × n QR Code before its codewords: finder, timing and alignment
    patterns set, the format and version areas reserved, every other module 0x2 (``add_codewords``
    fills those; ``qr_mask`` masks them)."""
    m = encoder.make_matrix(n, n)
    encoder.add_finder_patterns(m, n, n)
    encoder.add_alignment_patterns(m, n, n)
    return m


def _placement(version: int) -> np.ndarray:
    hit = _order.get(version)
    if hit is None:
        n = encoder.calc_matrix_size(version)
        template = function_patterns(n)
        free = np.frombuffer(b"".join(template), dtype=np.uint8) == 0x2
        count = int(free.sum())
        index = np.zeros(n * n, dtype=np.int64)
        for bit in range(max(1, (count - 1).bit_length())):
            m = [bytearray(r) for r in template]
            _original_place(m, encoder.Buffer((i >> bit) & 1 for i in range(count)), version)
            index |= np.frombuffer(b"".join(m), dtype=np.uint8).astype(np.int64) << bit
        cells = np.flatnonzero(free)
        order = np.empty(count, dtype=np.int64)
        order[index[cells]] = cells  # the i-th bit of the stream goes to module order[i]
        hit = _order[version] = order
    return hit


def _remainder_bits(version: int, error: int) -> int:
    codewords = sum(e.num_blocks * e.num_total for e in consts.ECC[version][error])
    return len(_placement(version)) - 8 * codewords


class _Codewords:
    """What ``make_blocks`` reads: codewords given as ints."""

    def __init__(self, ints):
        self._ints = list(ints)

    def toints(self):
        return iter(self._ints)


def _gf_multiply() -> np.ndarray:
    """256 × 256 products in GF(2⁸) with segno's exp/log tables (0 times anything is 0)."""
    exp = np.array(consts.GALIOS_EXP[:255], dtype=np.uint8)
    log = np.array(consts.GALIOS_LOG, dtype=np.int64)
    out = exp[(log[:, None] + log[None, :]) % 255]
    out[0, :] = 0
    out[:, 0] = 0
    return out


def _rs_table(num_data: int, num_error: int) -> np.ndarray:
    """``t[i, b]``: the error codewords of a block whose only non-zero data codeword is ``b`` at
    place ``i`` (num_data × 256 × num_error). The unit blocks' error codewords are segno's own."""
    hit = _rs.get((num_data, num_error))
    if hit is None:
        units = np.eye(num_data, dtype=np.uint8).ravel().tolist()  # num_data blocks: e_0, e_1, …
        _, errs = encoder.make_blocks([consts.EC(num_data, num_data + num_error, num_data)], _Codewords(units))
        unit = np.array([list(e) for e in errs], dtype=np.int64)  # num_data × num_error
        hit = _gf_multiply()[:, unit].transpose(1, 0, 2).copy()  # [i, b, j] = b · unit[i, j]
        if len(_rs) >= _RS_TABLE_LIMIT:
            _rs.clear()
        _rs[(num_data, num_error)] = hit
    return hit


def make_final_message(version, error, buff):
    if version < 1:  # Micro QR: 4-bit last codewords, segno's own
        return _original_message(version, error, buff)
    data = np.packbits(np.frombuffer(bytes(buff.getbits()), dtype=np.uint8))
    data_blocks, error_blocks = [], []
    at = 0
    for ec in consts.ECC[version][error]:
        num_error = ec.num_total - ec.num_data
        table = _rs_table(ec.num_data, num_error)
        places = np.arange(ec.num_data)
        for _ in range(ec.num_blocks):
            block = data[at:at + ec.num_data]
            at += ec.num_data
            data_blocks.append(block.tobytes())
            error_blocks.append(np.bitwise_xor.reduce(table[places, block], axis=0).tobytes())
    seq = bytes(x for x in chain.from_iterable(zip_longest(*data_blocks)) if x is not None)
    seq += bytes(x for x in chain.from_iterable(zip_longest(*error_blocks)) if x is not None)
    bits = np.unpackbits(np.frombuffer(seq, dtype=np.uint8)).tobytes() + b"\0" * _remainder_bits(version, error)
    return encoder.Buffer(bits)


def add_codewords(matrix, codewords, version):
    if version < 1:
        return _original_place(matrix, codewords, version)
    order = _placement(version)
    bits = codewords.getbits()
    if len(bits) != len(order):  # never for a QR Code segno built: its own check then says why
        return _original_place(matrix, codewords, version)
    n = len(matrix)
    flat = np.frombuffer(b"".join(matrix), dtype=np.uint8).copy()
    flat[order] = np.frombuffer(bytes(bits), dtype=np.uint8)
    for i, row in enumerate(matrix):
        row[:] = flat[i * n:(i + 1) * n].tobytes()


def install() -> None:
    encoder.make_final_message = make_final_message
    encoder.add_codewords = add_codewords
