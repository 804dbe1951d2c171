"""Batch input, read lazily: JSON Lines (one payload per line) or one JSON array of payloads.

The planning pass reads the file once, front to back, and keeps per record only where it is
(byte offset and length, line number), its record id and its mail-sort key — never the payload.
Workers get each unit's records as the raw bytes of those ranges, so a batch of any size runs
in bounded memory, and a remote worker needs no access to the input file.

A record is a payload object, optionally carrying its record id as ``"_id"`` (keys starting
with "_" are annotations every form schema allows), or an envelope
``{"id": "…", "payload": {…}}``. Without an id a record is named by its line (JSON Lines) or
its position (array, 1-based): ``line-17``, ``item-17``.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import LgformsError, PayloadInvalid

MAX_RECORD_BYTES = 4 * 1024 * 1024  # one payload; a line longer than this is rejected, not read whole
_WS = b" \t\r\n"


class BatchInvalid(LgformsError):
    """The batch as a whole cannot run (unreadable input, a broken JSON array, bad options)."""

    code = "BATCH_INVALID"


@dataclass(slots=True)
class RecordRef:
    """Where one record is, and what the planner needs of it (never the payload itself)."""

    seq: int  # 0-based position in the input
    line: int  # 1-based line where the record starts
    offset: int
    length: int
    record_id: str
    error: dict | None = None  # a record that cannot even be parsed: rejected at planning time
    payload: Any = None  # only while planning (sort key, id); dropped before it is stored


def detect_format(path: Path) -> str:
    """"jsonl" or "array": an input whose first non-blank byte is "[" is a JSON array."""
    with open(path, "rb") as f:
        head = f.read(4096)
        while head and not head.strip(_WS):
            more = f.read(4096)
            if not more:
                break
            head += more
    first = head.lstrip(_WS)[:1]
    if first.startswith(b"\xef"):  # UTF-8 BOM
        first = head.lstrip(_WS)[3:4]
    return "array" if first == b"[" else "jsonl"


def unwrap(obj: Any, default_id: str) -> tuple[str, Any]:
    """(record id, payload) of one parsed record."""
    if isinstance(obj, dict):
        if set(obj) == {"id", "payload"} and isinstance(obj["payload"], dict):
            return str(obj["id"]), obj["payload"]
        rid = obj.get("_id")
        if rid is not None and isinstance(rid, (str, int)) and not isinstance(rid, bool):
            return str(rid), obj
    return default_id, obj


def parse_record(raw: bytes, default_id: str) -> tuple[str, Any]:
    """Parse one record's bytes (as stored by the planner); PAYLOAD_INVALID if it is not JSON."""
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "not UTF-8"
        raise PayloadInvalid(f"the record is not valid JSON: {msg}", path="$") from None
    return unwrap(obj, default_id)


def scan(path: Path, fmt: str | None = None) -> Iterator[RecordRef]:
    """Every record of the input, in order, with its payload parsed (for the planner)."""
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        yield from _scan_jsonl(path)
    elif fmt == "array":
        yield from _scan_array(path)
    else:
        raise BatchInvalid(f"unknown input format {fmt!r} (jsonl or array)")


def _scan_jsonl(path: Path) -> Iterator[RecordRef]:
    seq = 0
    offset = 0
    with open(path, "rb") as f:
        for lineno, (line, n) in enumerate(_lines(f), start=1):
            lead = 3 if lineno == 1 and line is not None and line.startswith(codecs.BOM_UTF8) else 0
            if line is None:  # longer than a record may be: rejected without reading it whole
                ref = RecordRef(seq, lineno, offset, n, f"line-{lineno}")
                ref.error = {"code": "LIMIT_EXCEEDED", "path": "$",
                             "message": f"the record has {n:,} bytes; at most {MAX_RECORD_BYTES:,}"}
                yield ref
                seq += 1
            else:
                body = line[lead:].strip(_WS)
                if body:
                    start = offset + lead + line[lead:].index(body[:1])
                    ref = RecordRef(seq, lineno, start, len(body), f"line-{lineno}")
                    try:
                        ref.record_id, ref.payload = parse_record(body, ref.record_id)
                    except PayloadInvalid as e:
                        ref.error = {"code": e.code, "path": e.path, "message": e.message}
                    yield ref
                    seq += 1
            offset += n


def _lines(f) -> Iterator[tuple[bytes | None, int]]:
    """(line, length) of a binary file; (None, length) for a line too long to be a record."""
    while True:
        line = f.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            total = len(line)
            while True:
                more = f.readline(1 << 20)
                total += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield None, total
            continue
        yield line, len(line)


def _scan_array(path: Path) -> Iterator[RecordRef]:
    """Elements of a top-level JSON array, each decoded by the C decoder from a sliding window.

    Offsets are byte offsets: the window is decoded text, so each element's byte length is the
    length of its text re-encoded (UTF-8 round-trips exactly)."""
    dec = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        buf = ""
        byte_pos = 0  # byte offset of buf[0]
        line = 1
        eof = False

        def fill() -> bool:
            nonlocal buf, eof
            if eof:
                return False
            chunk = f.read(1 << 20)
            if not chunk:
                eof = True
                buf += utf8.decode(b"", final=True)
                return False
            buf += utf8.decode(chunk)
            return True

        def skip_ws(i: int) -> int:
            nonlocal line
            while True:
                while i < len(buf) and buf[i] in " \t\r\n\ufeff":
                    if buf[i] == "\n":
                        line += 1
                    i += 1
                if i < len(buf) or not fill():
                    return i

        i = skip_ws(0)
        if i >= len(buf) or buf[i] != "[":
            raise BatchInvalid("the input is neither JSON Lines nor a JSON array", path="$")
        i = skip_ws(i + 1)
        seq = 0
        if i < len(buf) and buf[i] == "]":
            return
        while True:
            while True:
                try:
                    obj, end = dec.raw_decode(buf, i)
                    # a number at the end of the window may continue in the next chunk
                    if end >= len(buf) and not eof and fill():
                        continue
                    break
                except json.JSONDecodeError as e:
                    if not eof and fill():
                        continue
                    raise BatchInvalid(f"the JSON array is broken at element {seq + 1} (line {line + buf.count(chr(10), i, e.pos)}): "
                                       f"{e.msg}; nothing after it can be read", path=f"$[{seq}]") from None
            text = buf[i:end]
            start = byte_pos + len(buf[:i].encode("utf-8"))
            length = len(text.encode("utf-8"))
            ref = RecordRef(seq, line, start, length, f"item-{seq + 1}")
            if length > MAX_RECORD_BYTES:
                ref.error = {"code": "LIMIT_EXCEEDED", "path": "$",
                             "message": f"the record has {length:,} bytes; at most {MAX_RECORD_BYTES:,}"}
            else:
                ref.record_id, ref.payload = unwrap(obj, ref.record_id)
            yield ref
            seq += 1
            line += text.count("\n")
            # drop what is consumed so the window stays small
            byte_pos = start + length
            buf = buf[end:]
            i = skip_ws(0)
            if i >= len(buf):
                raise BatchInvalid(f"the JSON array ends after element {seq} without ']'", path=f"$[{seq}]")
            if buf[i] == "]":
                return
            if buf[i] != ",":
                raise BatchInvalid(f"expected ',' or ']' after element {seq} (line {line})", path=f"$[{seq}]")
            # whitespace between elements is consumed by skip_ws; keep byte_pos in step
            byte_pos += len(buf[:i + 1].encode("utf-8"))
            buf = buf[i + 1:]
            i = skip_ws(0)
            byte_pos += len(buf[:i].encode("utf-8"))
            buf = buf[i:]
            i = 0


def read_ranges(path: Path, ranges: list[tuple[int, int]]) -> list[bytes]:
    """The raw bytes of (offset, length) ranges of the input (a unit's records)."""
    out = []
    with open(path, "rb") as f:
        for off, n in ranges:
            f.seek(off)
            out.append(f.read(n))
    return out
