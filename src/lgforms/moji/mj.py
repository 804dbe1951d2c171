"""MJ文字図形名 (MJ012345) ⇄ Unicode, derived from IPAmj明朝 itself.

IPAmj names its glyphs ``mjNNNNNN``; its cmap (formats 4/12) and cmap format 14 (the Moji_Joho
IVD collection) say which code points / variation sequences reach each glyph. That is the whole
table: 59,127 MJ glyphs are reachable (IPAmj 005.01). Built on first use (~20 ms once the font's
cmaps are loaded) and kept for the process.

An MJ code is written back as its variation sequence when it has one (葛 MJ022336 ->
U+845B U+E0103): a sequence names the glyph exactly in any IVS-aware system, while the plain
code point leaves the choice of glyph to the font. The Moji_Joho IVS (VS17–VS256) is preferred
over a standardized variation sequence (VS1–VS16) reaching the same glyph: 89 MJ codes have both
(MJ030185: U+6717 U+E0106, not U+6717 U+FE00), and the IVD sequence is the one 住基 and 戸籍
systems exchange.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from ..errors import ArgumentInvalid, MojiNotInFont
from .clusters import codepoints, split_clusters
from .fonts import FontFile, default_stacks

MJ_TOKEN = re.compile(r"MJ(\d{6})")


@dataclass(frozen=True, slots=True)
class MjEntry:
    code: str  # "MJ022335"
    text: str  # canonical text: the IVS sequence if there is one, else the code point
    sequences: tuple[str, ...]  # every cluster that reaches the glyph


class MjMap:
    def __init__(self, font: FontFile):
        font.ensure_loaded()
        names = font.glyph_names
        by_code: dict[str, list[str]] = {}
        of_text: dict[str, str] = {}
        for cp, gid in font.cmap.items():
            n = names[gid]
            if n.startswith("mj"):
                code = "MJ" + n[2:]
                by_code.setdefault(code, []).append(chr(cp))
                of_text[chr(cp)] = code
        for seq, gid in font.uvs.items():
            g = font.cmap.get(ord(seq[0])) if gid < 0 else gid
            n = names[g] if g else ""
            if n.startswith("mj"):
                code = "MJ" + n[2:]
                by_code.setdefault(code, []).append(seq)
                of_text[seq] = code
        self.entries: dict[str, MjEntry] = {}
        for code, seqs in by_code.items():
            seqs.sort(key=lambda s: (len(s), s))
            ivs = [s for s in seqs if len(s) == 2 and ord(s[1]) >= 0xE0100]  # Moji_Joho IVD
            svs = [s for s in seqs if len(s) == 2 and ord(s[1]) < 0xE0100]
            self.entries[code] = MjEntry(code, (ivs or svs or seqs)[0], tuple(seqs))
        self.of_text = of_text

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, code: str) -> MjEntry | None:
        return self.entries.get(code.upper())

    def code_of(self, cluster: str) -> str | None:
        return self.of_text.get(cluster)

    def expand(self, text: str, *, path: str | None = None) -> str:
        """Replace MJ012345 tokens by their text (fields marked ``moji: mj``)."""

        def sub(m: re.Match) -> str:
            e = self.entries.get(m.group(0))
            if e is None:
                raise MojiNotInFont(f"{m.group(0)} is not an MJ文字図形名 that IPAmj明朝 can draw", path=path,
                                    detail={"mj": m.group(0), "position": m.start()})
            return e.text

        return MJ_TOKEN.sub(sub, text)

    def source_offsets(self, text: str) -> list[int]:
        """For each code point of ``expand(text)`` (and one past the end), its offset in ``text``:
        every code point an MJ token expands to points at the token's first letter. Errors found
        in the expanded text are reported at the position the caller wrote."""
        out: list[int] = []
        last = 0
        for m in MJ_TOKEN.finditer(text):
            e = self.entries.get(m.group(0))
            if e is None:
                continue  # expand() refuses such a text before any position is needed
            out += range(last, m.start())
            out += [m.start()] * len(e.text)
            last = m.end()
        out += range(last, len(text) + 1)
        return out

    def suggest(self, cluster: str) -> list[dict]:
        """MJ glyphs a missing character may have meant — shown, never applied."""
        out = []
        base = cluster[0]
        for cand in dict.fromkeys([unicodedata.normalize("NFC", cluster), unicodedata.normalize("NFC", base), base]):
            if cand == cluster:
                continue
            code = self.of_text.get(cand)
            if code:
                out.append({"mj": code, "codepoints": codepoints(cand), "text": cand})
        for seq, code in sorted(self.of_text.items()):
            if len(seq) == 2 and seq[0] == base and seq != cluster:
                out.append({"mj": code, "codepoints": codepoints(seq), "text": seq})
        return out


_map: MjMap | None = None
_lock = threading.Lock()


def mj_map() -> MjMap:
    global _map
    if _map is None:
        with _lock:
            if _map is None:
                _map = MjMap(default_stacks()["mincho"].fonts[0])
    return _map


def check_text(text: str, *, stack=None, allow_ivs_fallback: bool = False, mj_tokens: bool = True) -> list[dict]:
    """Per cluster: code points, MJ code, which font and glyph draw it — or why none can.
    MJ012345 tokens are read as a name field (``moji: mj``) reads them, as the MJ character
    (``mj_tokens=False``: as letters). ``position`` is the offset (in code points) in ``text``
    of the cluster, or of the token it came from (then ``source`` is the token)."""
    from ..errors import IvsUnknown

    stack = stack or default_stacks()["mincho"]
    m = mj_map()
    source = text
    offsets = None
    if mj_tokens and MJ_TOKEN.search(text):
        # unknown tokens stay letters here and are reported as one row each below
        text = MJ_TOKEN.sub(lambda t: e.text if (e := m.entries.get(t.group(0))) else t.group(0), source)
        offsets = m.source_offsets(source)
    out = []
    at = 0
    skip_to = -1
    for c in split_clusters(text):
        pos = offsets[at] if offsets is not None else at
        at += len(c)
        if pos < skip_to:
            continue
        row: dict = {"position": pos, "text": c, "codepoints": codepoints(c), "mj": m.code_of(c)}
        tok = MJ_TOKEN.match(source, pos) if offsets is not None else None
        if tok is not None:
            row["source"] = tok.group(0)
            if tok.group(0) not in m.entries:
                skip_to = tok.end()
                row.update(text=tok.group(0), codepoints=codepoints(tok.group(0)), mj=None, ok=False,
                           code=MojiNotInFont.code, suggestions=[],
                           reason=f"{tok.group(0)} is not an MJ文字図形名 that IPAmj明朝 can draw")
                out.append(row)
                continue
        try:
            g = stack.resolve(c, allow_ivs_fallback=allow_ivs_fallback)
        except (MojiNotInFont, IvsUnknown) as e:
            row.update(ok=False, code=e.code, reason=e.message, suggestions=m.suggest(c))
        else:
            row.update(ok=True, font=g.font.key, gid=g.gid, glyph=g.font.glyph_names[g.gid],
                       fallback=g.fallback)
            if row["mj"] is None and g.font.glyph_names[g.gid].startswith("mj"):
                row["mj"] = "MJ" + g.font.glyph_names[g.gid][2:]
        out.append(row)
    return out


def parse_char_spec(spec: str) -> str:
    """'MJ022335' | 'U+845B' | 'U+845B+U+E0102' | a literal character -> the text."""
    s = spec.strip()
    if MJ_TOKEN.fullmatch(s.upper()):
        e = mj_map().lookup(s.upper())
        if e is None:
            raise MojiNotInFont(f"{s} is not an MJ文字図形名 that IPAmj明朝 can draw", detail={"mj": s})
        return e.text
    if s.upper().startswith("U+"):
        try:
            cps = [int(p.strip()[2:], 16) for p in re.split(r"[+\s,]+(?=U\+)", s.upper())]
            text = "".join(chr(cp) for cp in cps)
        except ValueError:
            raise ArgumentInvalid(f"cannot read {s!r} as code points (U+845B or U+845B+U+E0102)",
                                  detail={"spec": s}) from None
        for cp in cps:
            if 0xD800 <= cp <= 0xDFFF:
                raise ArgumentInvalid(f"U+{cp:04X} is a surrogate (half of a UTF-16 pair), not a character: "
                                      "give the character's own code point (e.g. U+20BB7 for 𠮷)",
                                      detail={"spec": s})
        return text
    if not s:
        raise ArgumentInvalid("no character given (MJ012345, U+845B, U+845B+U+E0102 or the character itself)")
    return s
