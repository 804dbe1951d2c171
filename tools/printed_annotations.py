#!/usr/bin/env python3
"""Propose (and with --write, add) the samples' ``_printed`` annotations: the literal text a
payload value prints as when it does not print verbatim (dates in 和暦, amounts with commas, ¥ …).

    .venv/bin/python tools/printed_annotations.py [FORM_ID …] [--write]

For every sample of the forms, every payload value that the end-to-end test
(tests/forms/test_forms_e2e.py) does not find in its own box (tests/yamlboxes.py) is tried in
printed forms computed here, independently of lgforms (the eras' first days are written out
below; commas, ¥, 〒, full-width and kanji numerals by hand); the first that is printed in the
value's box is proposed. A value none of them explains is listed for a person to annotate (or it
is a bug). Review the proposals: once written they are literal expectations that a later change
of lgforms' filters cannot move.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import yamlboxes as yb  # noqa: E402

# first day of each era (明治: from the adoption of the Gregorian calendar, 明治6年1月1日)
ERAS = [(dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"),
        (dt.date(1912, 7, 30), "大正"), (dt.date(1873, 1, 1), "明治")]
ZEN = str.maketrans("0123456789", "０１２３４５６７８９")
KAN = "〇一二三四五六七八九"


def kansuji(n: int) -> str:
    if n < 10:
        return KAN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KAN[tens]) + "十" + ("" if ones == 0 else KAN[ones])


def date_forms(d: dt.date) -> list[str]:
    out = []
    for start, era in ERAS:
        if d >= start:
            n = d.year - start.year + 1
            for num in (str, lambda x: str(x).translate(ZEN), kansuji):
                y = "元" if n == 1 else num(n)
                out += [f"{era}{y}年{num(d.month)}月{num(d.day)}日", f"{era}{y}年{num(d.month)}月", f"{era}{y}年"]
            out += [f"{era[0]}{n}.{d.month}.{d.day}", f"{era[0]}{n:02d}.{d.month:02d}.{d.day:02d}"]
            break
    out += [f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.year}年{d.month}月"]
    return out


def candidates(value) -> list[str]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        c = f"{abs(value):,}"
        out = [f"{value:,}", f"△{c}", f"¥{c}", f"¥{value:,}", f"{c}円", f"{value:,}".translate(ZEN),
               c.translate(ZEN) + "円", str(value).translate(ZEN)]
        if 0 <= value < 100:
            out.append(kansuji(value))
        return out
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            return date_forms(dt.date(*map(int, m.groups())))
        m = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if m:
            return date_forms(dt.date(int(m[1]), int(m[2]), 1))[1::3]
        if re.fullmatch(r"91\d{42}", value):  # コンビニ収納 GS1-128: its HRI starts with the AI in brackets
            return ["(91)" + value[2:]]
        if re.fullmatch(r"\d{3}-?\d{4}", value):
            d = value.replace("-", "")
            return [f"〒{d[:3]}-{d[3:]}", f"{d[:3]}-{d[3:]}"]
        return [value.translate(ZEN)]
    return []


def propose(form_id: str, sample: Path) -> tuple[dict, list]:
    import lgforms

    payload = json.loads(sample.read_text("utf-8"))
    pdf = lgforms.render(form_id, payload)
    misses, _ = yb.check(sample.parent.parent, payload, pdf)
    if not misses:
        return {}, []
    chars, places = yb.sample_places(sample.parent.parent, payload, pdf)
    values = dict(yb.leaves(payload))
    by_path, left = {}, []
    for m in misses:
        mine = yb.leaf_places(places, m.path)
        for c in candidates(values[m.path]):
            if any(yb.printed_in(chars, p, [c])[0] for p in mine):
                by_path[m.path] = c
                break
        else:
            left.append(m)
    # a value that prints the same wherever it is given is annotated once, by value (annotations
    # are limited in size: 4 KB each)
    raw = {p: values[p] if isinstance(values[p], str) else yb.json_scalar(values[p]) for p in by_path}
    texts: dict[str, set] = {}
    for p, c in by_path.items():
        texts.setdefault(raw[p], set()).add(c)
    by_value = {r: next(iter(cs)) for r, cs in texts.items() if len(cs) == 1}
    by_path = {p: c for p, c in by_path.items() if raw[p] not in by_value}
    return {"_printed_values": by_value, "_printed": by_path}, left


def write(sample: Path, notes: dict, key: str = "_printed") -> None:
    """Add the notes to the sample's "_printed" (or another annotation), editing the text (the rest
    of the file unchanged)."""
    if not notes:
        return
    text = sample.read_text("utf-8")
    m = re.search(r'\n([ \t]*)"' + key + r'"\s*:\s*\{[ \t]*\n([ \t]*)', text)
    if m:
        ind = m.group(2)
        lines = "".join(f'{ind}{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)},\n'
                        for k, v in notes.items())
        text = text[:m.end() - len(ind)] + lines + text[m.end() - len(ind):]
    elif f'"{key}"' in text:
        data = json.loads(text)
        data[key].update(notes)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        m = re.match(r"\{[ \t]*\n([ \t]*)", text)
        ind = m.group(1) if m else "  "
        body = ",\n".join(f'{ind}{ind}{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}'
                          for k, v in notes.items())
        block = f'{ind}"{key}": {{\n{body}\n{ind}}},\n'
        if m:
            text = text[:m.end() - len(ind)] + block + text[m.end() - len(ind):]
        else:
            data = json.loads(text)
            data = {key: notes, **data}
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    data = json.loads(text)  # still JSON, with the notes
    assert all(data[key].get(k) == v for k, v in notes.items()), sample
    if key.startswith("_printed_values") and _size(data[key]) > LIMIT:
        # the guard limits one annotation to 4 KB: spill into _printed_values_2, _3 …
        items, data[key], n = list(data[key].items()), {}, 2
        for k, v in items:
            if _size({**data[key], k: v}) > LIMIT:
                key = f"_printed_values_{n}"
                n += 1
                data.setdefault(key, {})
            data[key][k] = v
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    sample.write_text(text, "utf-8")


LIMIT = 4000  # bytes of one annotation (the guard's MAX_ANNOTATION_BYTES is 4096)


def _size(obj) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())


def main(argv: list[str]) -> int:
    do_write = "--write" in argv
    only = [a for a in argv if not a.startswith("--")]
    from pdfcheck import all_samples

    unexplained = 0
    for form_id, sample in all_samples():
        if only and form_id not in only:
            continue
        found, left = propose(form_id, sample)
        rel = sample.relative_to(ROOT)
        for key, notes in found.items():
            for k, v in notes.items():
                print(f"{rel}: {key} {k} -> {v!r}")
            if do_write:
                write(sample, notes, key)
        for m in left:
            unexplained += 1
            print(f"{rel}: UNEXPLAINED {m}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
