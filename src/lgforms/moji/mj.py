"""MJ文字図形名 (MJ012345) ⇄ Unicode, derived from IPAmj明朝 itself.

IPAmj names its glyphs ``mjNNNNNN``; its cmap (formats 4/12) and cmap format 14 (the Moji_Joho
IVD collection) say which code points / variation sequences reach each glyph. That is the whole
table: 59,127 MJ glyphs are reachable (IPAmj 005.01). Built on first use (~20 ms once the font's
cmaps are loaded) and kept for the process.

An MJ code is written back as its variation sequence when it has one (葛 MJ022336 ->
U+845B U+E0103): a sequence names the glyph exactly in any IVS-aware system, while the plain
code point leaves the choice of glyph to the font.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from ..errors import MojiNotInFont
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
            ivs = [s for s in seqs if len(s) == 2]
            self.entries[code] = MjEntry(code, ivs[0] if ivs else seqs[0], tuple(seqs))
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


def check_text(text: str, *, stack=None, allow_ivs_fallback: bool = False) -> list[dict]:
    """Per cluster: code points, MJ code, which font and glyph draw it — or why none can."""
    from ..errors import IvsUnknown

    stack = stack or default_stacks()["mincho"]
    m = mj_map()
    out = []
    for i, c in enumerate(split_clusters(text)):
        row: dict = {"position": i, "text": c, "codepoints": codepoints(c), "mj": m.code_of(c)}
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
            return "".join(chr(int(p.strip()[2:], 16)) for p in re.split(r"[+\s,]+(?=U\+)", s.upper()))
        except ValueError:
            raise MojiNotInFont(f"cannot read {s!r} as code points (U+845B or U+845B+U+E0102)") from None
    return s
