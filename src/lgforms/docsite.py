"""``lgforms docs -o site/``: a browsable catalog of the forms (static HTML, no server needed).

One index page (forms by 業務, with each form's deliveries and pages), one page per form: a
thumbnail of every page of each sample, the fields from the JSON Schema (path, type, required,
format, description), the samples as JSON with their PDFs, and the form's README. Nothing is
fetched from the network; every page is self-contained.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from .errors import LgformsError
from .render import pdf_page_png, render_result
from .spec.catalog import Catalog
from .spec.paths import SchemaTypes

CSS = """
body{font-family:"IPAexGothic","Noto Sans CJK JP",sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.6}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;font-size:.92em}
th{background:#f2f2f2}.thumbs img{border:1px solid #999;margin:.3em;max-width:250px;box-shadow:1px 1px 3px #ccc}
pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.85em}.broken{color:#b00}.muted{color:#777}
code{background:#f2f2f2;padding:0 .2em}
"""

INDEX = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>lgforms — 標準様式・帳票カタログ</title>
<style>{{ css }}</style></head><body>
<h1>lgforms — 標準様式・帳票カタログ</h1>
<p>{{ forms|length }} 様式 / {{ areas|length }} 業務. Each form: its pages with the sample data, its fields, its samples.</p>
{% for area, items in areas.items() %}<h2>{{ area }}（{{ items|length }}）</h2>
<table><tr><th>様式</th><th>id</th><th>種別</th><th>送付</th><th>頁</th></tr>
{% for f in items %}<tr><td>{% if f.broken %}<span class="broken">{{ f.title or f.id }}（読み込みエラー）</span>{% else %}<a href="{{ f.id }}.html">{{ f.title }}</a>{% endif %}</td>
<td><code>{{ f.id }}</code></td><td>{{ f.kind or "" }}</td><td>{{ (f.deliveries or [])|join(", ") }}</td><td>{{ f.pages or "" }}</td></tr>
{% endfor %}</table>{% endfor %}
</body></html>"""

FORM = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{ f.title }} — lgforms</title>
<style>{{ css }}</style></head><body>
<p><a href="index.html">← カタログ</a></p>
<h1>{{ f.title }}</h1>
<p><code>{{ f.id }}</code> · {{ f.area }} · {{ f.kind }} · {{ f.deliveries|join(", ") }} · version {{ f.version }}</p>
{% for s in samples %}<h2>見本: {{ s.name }}（{{ s.pages }} 頁）</h2>
{% if s.error %}<p class="broken">{{ s.error }}</p>{% else %}
<div class="thumbs">{% for p in s.thumbs %}<a href="{{ p }}"><img src="{{ p }}" alt="{{ s.name }} {{ loop.index }}頁"></a>{% endfor %}</div>
<p><a href="{{ s.pdf }}">PDF</a></p>{% endif %}{% endfor %}
<h2>項目（JSON Schema）</h2>
<table><tr><th>項目</th><th>型</th><th>必須</th><th>形式</th><th>説明</th></tr>
{% for r in fields %}<tr><td><code>{{ r.path }}</code></td><td>{{ r.type }}</td><td>{{ "必須" if r.required else "" }}</td>
<td>{{ r.format }}</td><td>{{ r.description }}</td></tr>{% endfor %}</table>
<h2>見本データ</h2>
{% for s in samples %}<h3>{{ s.name }}</h3><pre>{{ s.json }}</pre>{% endfor %}
{% if readme %}<h2>README</h2>{{ readme|safe }}{% endif %}
</body></html>"""


def _fields(schema: dict) -> list[dict[str, Any]]:
    types = SchemaTypes(schema)
    out: list[dict[str, Any]] = []

    def walk(node: dict, path: str, required: set[str]) -> None:
        node = types.resolve(node)
        props = types.properties(node) or {}
        req = set()
        for b in types.branches(node):
            req |= set(b.get("required", []))
        for k, v in props.items():
            r = types.resolve(v)
            t = r.get("type") or ("object" if "properties" in r else "array" if "items" in r else "")
            fmt = r.get("format") or ("date (ISO / 和暦)" if "anyOf" in r and "date" in json.dumps(r) else "")
            out.append({"path": f"{path}.{k}", "type": t if isinstance(t, str) else "/".join(t),
                        "required": k in req, "format": fmt,
                        "description": v.get("description") or r.get("description") or ""})
            if types.kind(r) == "object":
                walk(r, f"{path}.{k}", req)
            elif types.kind(r) == "array":
                walk(types.items(r), f"{path}.{k}[]", set())

    walk(schema, "$", set())
    return out


def _markdown(text: str) -> str:
    """The little Markdown the READMEs use: headings, lists, tables, code, paragraphs."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0

    def inline(s: str) -> str:
        s = html.escape(s)
        s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
        return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", s)

    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")) + 1, 4)
            out.append(f"<h{level}>{inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(set(c) <= set("-: ") for c in cells):
                    rows.append(cells)
                i += 1
            out.append("<table>" + "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>"
                                           for r in rows) + "</table>")
            continue
        elif line.lstrip().startswith(("- ", "* ")):
            items = []
            while i < len(lines) and lines[i].lstrip().startswith(("- ", "* ", "  ")) and lines[i].strip():
                if lines[i].lstrip().startswith(("- ", "* ")):
                    items.append(lines[i].lstrip()[2:])
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            out.append("<ul>" + "".join(f"<li>{inline(t)}</li>" for t in items) + "</ul>")
            continue
        elif line.startswith("```"):
            i += 1
            block = []
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            out.append(f"<pre>{html.escape(chr(10).join(block))}</pre>")
        elif line.strip():
            para = [line]
            while i + 1 < len(lines) and lines[i + 1].strip() and not lines[i + 1].startswith(("#", "|", "- ", "```")):
                i += 1
                para.append(lines[i])
            out.append(f"<p>{inline(' '.join(para))}</p>")
        i += 1
    return "\n".join(out)


def build_site(out: str | Path, catalog: Catalog | None = None, *, dpi: int = 40) -> dict[str, Any]:
    """Write the catalog site into ``out``; returns counts (forms, pages, broken)."""
    cat = catalog or Catalog()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = Environment(autoescape=select_autoescape(default=True))
    forms = cat.list()
    areas: dict[str, list[dict]] = {}
    pages_written = 0
    for f in forms:
        areas.setdefault(f.get("area") or "?", []).append(f)
        if f.get("broken"):
            continue
        form = cat.get(f["id"])
        fdir = out / form.id
        fdir.mkdir(exist_ok=True)
        samples = []
        for name in form.samples:
            payload = form.sample(name)
            entry: dict[str, Any] = {"name": name, "json": json.dumps(payload, ensure_ascii=False, indent=2),
                                     "thumbs": [], "pages": 0}
            try:
                res = render_result(form.id, payload, catalog=cat, deterministic=True)
            except LgformsError as e:
                entry["error"] = f"{e.code}: {e.message}"
                samples.append(entry)
                continue
            (fdir / f"{name}.pdf").write_bytes(res.data)
            entry["pdf"] = f"{form.id}/{name}.pdf"
            entry["pages"] = res.pages
            for n in range(1, res.pages + 1):
                png = pdf_page_png(res.data, n, dpi=max(36, dpi))
                (fdir / f"{name}-{n}.png").write_bytes(png)
                entry["thumbs"].append(f"{form.id}/{name}-{n}.png")
                pages_written += 1
            samples.append(entry)
        f["pages"] = max((s["pages"] for s in samples), default=0)
        readme = form.folder / "README.md"
        page = env.from_string(FORM).render(
            css=CSS, f=form.summary(), samples=samples, fields=_fields(form.schema),
            readme=_markdown(readme.read_text("utf-8")) if readme.is_file() else "")
        (out / f"{form.id}.html").write_text(page, "utf-8")
    (out / "index.html").write_text(env.from_string(INDEX).render(css=CSS, forms=forms, areas=areas), "utf-8")
    return {"forms": len(forms), "areas": len(areas), "pages": pages_written,
            "broken": [f["id"] for f in forms if f.get("broken")]}
