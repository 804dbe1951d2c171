// lgforms designer: form list, payload / form.yaml editors, live preview with overlays,
// warnings, and (local mode) moving boxes. No framework, no build step.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const LOCAL = document.body.dataset.mode === "local";
  const WRITABLE = document.body.dataset.writable === "true";
  const DEBOUNCE_MS = 120; // edit -> request; the server answers the A4 notice in ~100 ms
  const RULER = 7; // mm of ruler around the page
  const KINDS = { shrunk: "縮小", wrapped: "折り返し", near_overflow: "あふれる寸前", overlap: "重なり", load: "様式の警告" };

  const state = {
    forms: [], formId: null, samples: {}, page: 1, pages: 0, zoom: 1, layout: null, warnings: [], errors: [],
    loadWarnings: [], failed: null, selected: null, seq: 0, shown: 0, editAt: null, timer: null, ctrl: null,
    savedYaml: null, sizeMm: [210, 297], keyMove: null, keyTimer: null,
  };
  // what the browser test reads: every preview's latency from the last edit to the new image
  const probe = (window.lgDesigner = { latencies: [], previews: 0, moves: 0 });

  // -- server ----------------------------------------------------------------------------------
  async function api(path, body, signal) {
    const opts = { credentials: "same-origin", signal, headers: { "X-Lgforms-Designer": "1" } };
    if (body !== undefined) {
      opts.method = "POST";
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    if (r.status === 401) { location.reload(); throw new Error("401"); }
    return r;
  }
  async function json(path, body, signal) {
    const r = await api(path, body, signal);
    const data = await r.json();
    if (!r.ok) throw Object.assign(new Error(data.message || r.statusText), { body: data });
    return data;
  }
  function status(text) { $("status").textContent = text; }

  // -- form list --------------------------------------------------------------------------------
  async function loadForms() {
    state.forms = await json("/designer/api/forms");
    renderForms();
  }
  function renderForms() {
    const q = $("search").value.trim().toLowerCase();
    const ul = $("form-list");
    ul.textContent = "";
    let area = null;
    const shown = state.forms.filter((f) => !q || [f.id, f.title || "", f.area || ""].some((s) => s.toLowerCase().includes(q)));
    shown.sort((a, b) => (a.area || "").localeCompare(b.area || "", "ja") || a.id.localeCompare(b.id));
    for (const f of shown) {
      if (f.area !== area) {
        area = f.area;
        const li = document.createElement("li");
        li.className = "area";
        li.textContent = area || "（業務なし）";
        ul.appendChild(li);
      }
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.form = f.id;
      if (f.broken) b.className = "broken";
      b.setAttribute("aria-current", f.id === state.formId ? "true" : "false");
      b.append(f.title || f.id);
      const s = document.createElement("span");
      s.className = "fid";
      s.textContent = f.id + (f.broken ? "（読み込みエラー）" : "");
      b.appendChild(s);
      b.addEventListener("click", () => openForm(f.id));
      li.appendChild(b);
      ul.appendChild(li);
    }
    if (!shown.length) { const li = document.createElement("li"); li.textContent = "該当する帳票はありません"; ul.appendChild(li); }
  }

  async function openForm(id) {
    if (WRITABLE && state.savedYaml !== null && $("yaml").value !== state.savedYaml &&
        !confirm("form.yaml の変更は保存されていません。別の帳票を開きますか？")) return;
    status("読み込み中…");
    const src = await json("/designer/api/forms/" + encodeURIComponent(id));
    state.formId = id;
    state.samples = src.samples;
    state.page = 1;
    state.selected = null;
    setText("yaml", src.yaml);
    state.savedYaml = src.yaml;
    const sel = $("sample");
    sel.textContent = "";
    for (const name of Object.keys(src.samples)) {
      const o = document.createElement("option");
      o.value = o.textContent = name;
      sel.appendChild(o);
    }
    setText("payload", Object.values(src.samples)[0] || "{}\n");
    for (const b of document.querySelectorAll("#form-list button")) b.setAttribute("aria-current", b.dataset.form === id ? "true" : "false");
    $("download").disabled = false;
    if ($("save")) $("save").disabled = false;
    history.replaceState(null, "", "#" + id);
    preview();
  }

  // -- editors ----------------------------------------------------------------------------------
  function setText(id, text) {
    $(id).value = text;
    gutter(id);
  }
  function lineCount(text) { return text.split("\n").length; }
  function gutter(id) {
    const ta = $(id);
    const ed = ta.parentElement;
    const g = ed.querySelector(".gutter");
    const n = lineCount(ta.value);
    const bad = errorLines(id);
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= n; i++) {
      const d = document.createElement("div");
      d.textContent = i;
      if (bad.has(i)) { d.className = "err"; d.title = bad.get(i); }
      frag.appendChild(d);
    }
    g.textContent = "";
    g.appendChild(frag);
    const marks = ed.querySelector(".marks");
    marks.textContent = "";
    const lh = lineHeight(ta);
    for (const [line, msg] of bad) {
      const d = document.createElement("div");
      d.style.top = (4 + (line - 1) * lh) + "px";
      const s = document.createElement("span");
      s.textContent = msg;
      d.appendChild(s);
      marks.appendChild(d);
    }
    syncScroll(id);
  }
  function lineHeight(ta) { return parseFloat(getComputedStyle(ta).lineHeight) || 18; }
  function syncScroll(id) {
    const ta = $(id);
    const ed = ta.parentElement;
    ed.querySelector(".gutter").scrollTop = ta.scrollTop;
    const marks = ed.querySelector(".marks");
    marks.style.transform = `translate(${-ta.scrollLeft}px, ${-ta.scrollTop}px)`;
  }
  function errorLines(id) {
    const out = new Map();
    for (const e of state.errors) {
      if (!e.line) continue;
      if (id === "payload" && e.source === "payload") out.set(e.line, (out.get(e.line) ? out.get(e.line) + " / " : "") + e.message);
      if (id === "yaml" && e.source === "yaml" && e.in_form) out.set(e.line, (out.get(e.line) ? out.get(e.line) + " / " : "") + e.message);
    }
    return out;
  }
  function caretLine(ta) { return ta.value.slice(0, ta.selectionStart).split("\n").length; }
  function showCaretError() {
    const id = !$("ed-yaml").hidden ? "yaml" : "payload";
    const msg = errorLines(id).get(caretLine($(id)));
    $("caret-error").textContent = msg ? `行 ${caretLine($(id))}: ${msg}` : "";
  }
  function goToLine(id, line) {
    showTab(id);
    const ta = $(id);
    const lines = ta.value.split("\n");
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(at, at + (lines[line - 1] || "").length);
    ta.scrollTop = Math.max(0, (line - 4) * lineHeight(ta));
    syncScroll(id);
    showCaretError();
  }
  function showTab(id) {
    const yaml = id === "yaml";
    $("ed-yaml").hidden = !yaml;
    $("ed-payload").hidden = yaml;
    $("tab-yaml").setAttribute("aria-selected", String(yaml));
    $("tab-payload").setAttribute("aria-selected", String(!yaml));
    gutter(id);
  }
  for (const id of ["payload", "yaml"]) {
    const ta = $(id);
    ta.addEventListener("input", () => { state.editAt = performance.now(); gutter(id); schedule(); });
    ta.addEventListener("scroll", () => syncScroll(id));
    ta.addEventListener("keyup", showCaretError);
    ta.addEventListener("click", showCaretError);
    ta.addEventListener("keydown", (e) => {
      if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && id === "yaml" && e.target.selectionStart !== undefined && e.altKey) {
        e.preventDefault(); // Alt+Tab inserts two spaces (Tab alone moves focus: keyboard users need it)
        document.execCommand("insertText", false, "  ");
      }
    });
  }
  $("tab-payload").addEventListener("click", () => showTab("payload"));
  $("tab-yaml").addEventListener("click", () => showTab("yaml"));
  $("sample").addEventListener("change", () => { setText("payload", state.samples[$("sample").value] || "{}\n"); state.editAt = performance.now(); preview(); });
  $("search").addEventListener("input", renderForms);
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { const b = document.querySelector("#form-list button"); if (b) b.click(); }
    if (e.key === "ArrowDown") { const b = document.querySelector("#form-list button"); if (b) { e.preventDefault(); b.focus(); } }
  });
  $("form-list").addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const all = [...document.querySelectorAll("#form-list button")];
    const i = all.indexOf(document.activeElement);
    const j = e.key === "ArrowDown" ? Math.min(all.length - 1, i + 1) : Math.max(0, i - 1);
    if (all[j]) { e.preventDefault(); all[j].focus(); }
  });

  // -- preview ----------------------------------------------------------------------------------
  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(preview, DEBOUNCE_MS);
  }
  function dpi() { return Math.max(36, Math.min(200, Math.round(96 * state.zoom * (window.devicePixelRatio || 1)))); }

  async function preview() {
    if (!state.formId) return;
    clearTimeout(state.timer);
    const seq = ++state.seq;
    const editAt = state.editAt;
    state.editAt = null;
    if (state.ctrl) state.ctrl.abort();
    const ctrl = (state.ctrl = new AbortController());
    status("プレビュー作成中…");
    let res;
    const sentAt = performance.now();
    try {
      res = await json("/designer/api/preview", {
        form_id: state.formId, yaml: $("yaml").value, payload: $("payload").value, page: state.page, dpi: dpi(),
      }, ctrl.signal);
    } catch (err) {
      if (err.name === "AbortError") return;
      state.errors = [{ source: "request", message: err.message, code: err.body && err.body.code }];
      renderIssues();
      status("エラー");
      return;
    }
    if (seq !== state.seq) return; // a newer edit is on its way
    state.pages = res.pages || state.pages;
    state.page = res.page || 1;
    state.errors = res.errors || [];
    state.warnings = res.warnings || [];
    state.loadWarnings = res.load_warnings || [];
    state.failed = res.failed;
    if (res.layout && res.layout.pages.length) state.layout = res.layout;
    const img = $("page-img");
    if (res.image) {
      const gotAt = performance.now();
      img.src = res.image;
      try { await img.decode(); } catch (e) { /* shown anyway */ }
      if (seq !== state.seq) return;
      const now = performance.now();
      if (editAt !== null) probe.latencies.push({ ms: now - editAt, wait: sentAt - editAt, request: gotAt - sentAt,
                                                  decode: now - gotAt, server: res.timings_ms });
      $("stage").classList.remove("stale");
    } else {
      $("stage").classList.add("stale");
    }
    const pg = state.layout && state.layout.pages[state.page - 1];
    if (pg) state.sizeMm = pg.size;
    drawOverlay();
    renderIssues();
    gutter("payload");
    gutter("yaml");
    showCaretError();
    $("pageinfo").textContent = `${state.pages ? state.page : "–"} / ${state.pages || "–"} ページ`;
    status(res.ok ? `OK（${state.pages} ページ、警告 ${state.warnings.length} 件、サーバ ${Math.round(res.timings_ms.render_total + res.timings_ms.png)} ms）`
                  : `エラー ${state.errors.length} 件` + (res.image ? "" : "（前の画像を表示中）"));
    probe.previews++;
    document.body.dataset.previews = String(probe.previews);
    document.body.dataset.previewState = res.ok ? "ok" : "error";
  }

  // -- overlay ----------------------------------------------------------------------------------
  function scale() { return 96 / 25.4 * state.zoom; } // px per mm
  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function drawOverlay() {
    const [W, H] = state.sizeMm;
    const s = scale();
    const img = $("page-img");
    img.style.left = RULER * s + "px";
    img.style.top = RULER * s + "px";
    img.style.width = W * s + "px";
    img.style.height = H * s + "px";
    const svg = $("overlay");
    svg.setAttribute("width", (W + RULER) * s);
    svg.setAttribute("height", (H + RULER) * s);
    svg.setAttribute("viewBox", `${-RULER} ${-RULER} ${W + RULER} ${H + RULER}`);
    $("stage").style.width = (W + RULER) * s + "px";
    $("stage").style.height = (H + RULER) * s + "px";
    svg.textContent = "";
    const grid = el("g", { class: "grid" }, svg);
    for (let x = 0; x <= W; x++) el("line", { x1: x, y1: 0, x2: x, y2: H, class: x % 10 ? (x % 5 ? "grid1" : "grid5") : "grid10" }, grid);
    for (let y = 0; y <= H; y++) el("line", { x1: 0, y1: y, x2: W, y2: y, class: y % 10 ? (y % 5 ? "grid1" : "grid5") : "grid10" }, grid);
    const ruler = el("g", { class: "ruler" }, svg);
    el("rect", { x: -RULER, y: -RULER, width: W + RULER, height: RULER }, ruler);
    el("rect", { x: -RULER, y: 0, width: RULER, height: H }, ruler);
    for (let x = 0; x <= W; x++) {
      el("line", { x1: x, y1: 0, x2: x, y2: -(x % 10 ? (x % 5 ? 1 : 2) : 3.5) }, ruler);
      if (x % 10 === 0) el("text", { x: x + 0.4, y: -4 }, ruler).textContent = x;
    }
    for (let y = 0; y <= H; y++) {
      el("line", { x1: 0, y1: y, x2: -(y % 10 ? (y % 5 ? 1 : 2) : 3.5), y2: y }, ruler);
      if (y % 10 === 0) el("text", { x: -RULER + 0.3, y: y + 2.4 }, ruler).textContent = y;
    }
    const pg = state.layout && state.layout.pages[state.page - 1];
    if (!pg) return;
    const regions = el("g", { class: "regions" }, svg);
    for (const f of pg.flows) {
      const r = el("rect", { x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3], class: "region" + (WRITABLE ? " movable" : "") }, regions);
      el("text", { x: f.box[0] + 0.5, y: f.box[1] + f.box[3] - 0.8, class: "region" }, regions).textContent = `フロー ${f.template}.flow.${f.key}`;
      if (WRITABLE) r.addEventListener("pointerdown", (e) => startDrag(e, { flow: true, box: f.box, move: f.move }, false));
    }
    const warned = new Map();
    for (const w of state.warnings) if (w.page === state.page) warned.set(w.rid, (warned.get(w.rid) || []).concat([w]));
    const order = [...pg.boxes].sort((a, b) => (b.part - a.part) || (b.box[2] * b.box[3] - a.box[2] * a.box[3]));
    for (const b of order) {
      const cls = ["box"];
      if (b.static) cls.push("static");
      if (b.part) cls.push("part");
      if (b.flow) cls.push("flow");
      if (warned.has(b.rid)) cls.push("warn");
      if (b.move && b.move.movable && WRITABLE) cls.push("movable");
      if (state.selected && state.selected.rid === b.rid) cls.push("selected");
      const g = el("g", { class: cls.join(" "), tabindex: b.static ? "-1" : "0", role: "button", "data-rid": b.rid,
                          "aria-label": `${b.label}（${b.kind}）${warned.has(b.rid) ? " 警告あり" : ""}` }, svg);
      el("rect", { class: "frame", x: b.box[0], y: b.box[1], width: Math.max(b.box[2], 0.2), height: Math.max(b.box[3], 0.2) }, g);
      const label = b.part ? `${b.block ? "◆" + b.block.name : b.label}` : b.label;
      el("text", { x: b.box[0] + 0.3, y: b.box[1] + (b.part ? -0.5 : 1.9) }, g).textContent = label;
      for (const c of b.cells || []) {
        if (c.outcome && (c.outcome.shrunk || c.outcome.near_overflow || (c.outcome.wrapped && c.outcome.lines > 1 && false)))
          el("rect", { class: "cell", x: c.box[0], y: c.box[1], width: c.box[2], height: c.box[3] }, g);
      }
      g.addEventListener("click", (e) => { e.stopPropagation(); select(b); });
      g.addEventListener("keydown", (e) => boxKey(e, b));
      if (WRITABLE && b.move && b.move.movable) g.addEventListener("pointerdown", (e) => startDrag(e, b, false));
    }
    if (state.failed && state.failed.box && (!state.failed.page || state.failed.page === state.page)) {
      const f = state.failed;
      const g = el("g", { class: "box failed" }, svg);
      el("rect", { class: "frame", x: f.box[0], y: f.box[1], width: f.box[2], height: Math.max(f.box[3], 1) }, g);
      el("text", { x: f.box[0] + 0.3, y: f.box[1] - 0.6 }, g).textContent = `${(f.element && f.element.label) || ""}: ${f.code}`;
    }
    if (state.selected) {
      const b = pg.boxes.find((x) => x.rid === state.selected.rid);
      if (b && WRITABLE && b.move && b.move.movable && b.move.resizable) {
        const h = el("rect", { class: "handle", x: b.box[0] + b.box[2] - 1.2, y: b.box[1] + b.box[3] - 1.2, width: 2.4, height: 2.4 }, svg);
        h.addEventListener("pointerdown", (e) => startDrag(e, b, true));
      }
    }
    applyLayers();
  }
  function applyLayers() {
    const svg = $("overlay");
    for (const cb of document.querySelectorAll("[data-layer]")) {
      const layer = cb.dataset.layer;
      svg.classList.toggle("hide-" + layer, layer === "static" ? !cb.checked : !cb.checked);
    }
  }
  for (const cb of document.querySelectorAll("[data-layer]")) cb.addEventListener("change", applyLayers);

  function select(b, focus) {
    state.selected = b;
    const o = b.outcome;
    const rows = [
      ["ID", b.id || "（なし）"], ["種類", b.kind], ["区分", b.static ? "固定（文書ごとに一度だけ描く部分）" : "可変（データごと）"],
      ["位置 (mm)", b.box.join(", ")], ["ファイル・行", `${b.source.file || "?"}:${b.source.line || "?"}`],
      ["ブロック", b.block ? `${b.block.name}（form.yaml ${b.block.line} 行で配置）` : "—"], ["フロー", b.flow ? "フロー内（位置は自動）" : "—"],
    ];
    if (o) rows.push(["文字", `${o.size} pt（書式 ${o.style_size} pt、最小 ${o.min_size} pt）・${o.lines} 行・fit: ${o.fit}` +
                               (o.near_overflow ? "・あふれる寸前" : "")]);
    const ws = state.warnings.filter((w) => w.rid === b.rid && w.page === state.page);
    if (ws.length) rows.push(["警告", ws.map((w) => w.message).join(" / ")]);
    if (b.move) rows.push(["移動", b.move.movable ? (WRITABLE ? `${b.move.target} の ${b.move.key}（form.yaml ${b.move.line} 行）をドラッグ・矢印キーで変更` +
                                                               (b.move.resizable ? "。右下のつまみ・Alt+矢印で大きさ" : "") : "ローカルモードで動かせます")
                                                    : b.move.reason]);
    const dl = document.createElement("dl");
    for (const [k, v] of rows) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      dl.append(dt, dd);
    }
    $("selection").textContent = "";
    $("selection").appendChild(dl);
    drawOverlay();
    if (focus !== false) {
      const g = document.querySelector(`#overlay g[data-rid="${CSS.escape(b.rid)}"]`);
      if (g) g.focus({ preventScroll: false });
    }
  }

  // -- moving boxes (local mode) ----------------------------------------------------------------
  function snap(v) { return Math.round(v * 2) / 2; } // 0.5 mm
  function startDrag(e, b, resize) {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const svg = $("overlay");
    const s = scale();
    const x0 = e.clientX, y0 = e.clientY;
    const ghost = el("rect", { class: "ghost", x: b.box[0], y: b.box[1], width: b.box[2], height: b.box[3] }, svg);
    let d = [0, 0, 0, 0];
    const onMove = (ev) => {
      const dx = snap((ev.clientX - x0) / s), dy = snap((ev.clientY - y0) / s);
      d = resize ? [0, 0, dx, dy] : [dx, dy, 0, 0];
      ghost.setAttribute("x", b.box[0] + d[0]);
      ghost.setAttribute("y", b.box[1] + d[1]);
      ghost.setAttribute("width", Math.max(0.5, b.box[2] + d[2]));
      ghost.setAttribute("height", Math.max(0.5, b.box[3] + d[3]));
    };
    const onUp = () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      ghost.remove();
      if (d.some((v) => v !== 0)) sendMove(b, d);
      else if (!b.flow) select(b);
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
  }
  function boxKey(e, b) {
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(b); return; }
    if (!(e.key in arrows)) return;
    if (!WRITABLE || !b.move || !b.move.movable) { status(b.move && b.move.reason ? b.move.reason : "この枠は動かせません"); return; }
    e.preventDefault();
    const step = e.shiftKey ? 5 : 0.5;
    const [ax, ay] = arrows[e.key];
    const resize = e.altKey && b.move.resizable;
    const km = state.keyMove && state.keyMove.b.rid === b.rid ? state.keyMove : (state.keyMove = { b, d: [0, 0, 0, 0] });
    if (resize) { km.d[2] += ax * step; km.d[3] += ay * step; } else { km.d[0] += ax * step; km.d[1] += ay * step; }
    status(`移動 ${km.d[0]}, ${km.d[1]} mm` + (km.d[2] || km.d[3] ? `・大きさ ${km.d[2]}, ${km.d[3]} mm` : ""));
    clearTimeout(state.keyTimer);
    state.keyTimer = setTimeout(() => { const k = state.keyMove; state.keyMove = null; sendMove(k.b, k.d); }, 250);
  }
  async function sendMove(b, d) {
    const target = b.flow ? b.move : { line: b.move.line, key: b.move.key };
    try {
      const res = await json("/designer/api/move", { yaml: $("yaml").value, target, dx: d[0], dy: d[1], dw: d[2], dh: d[3] });
      setText("yaml", res.yaml);
      probe.moves++;
      document.body.dataset.moves = String(probe.moves);
      status(`${b.move.target || "フロー"} を動かしました（form.yaml ${b.move.line || ""} 行）— 保存するまでファイルは変わりません`);
      state.editAt = performance.now();
      const keep = b.rid;
      await preview();
      const pg = state.layout && state.layout.pages[state.page - 1];
      const again = pg && pg.boxes.find((x) => x.rid === keep);
      if (again) select(again);
    } catch (err) {
      status("移動できません: " + err.message);
    }
  }

  // -- issues -----------------------------------------------------------------------------------
  function issueItem(ul, tag, cls, text, path, onClick) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    const t = document.createElement("span");
    t.className = "tag " + cls;
    t.textContent = tag;
    b.appendChild(t);
    if (path) { const p = document.createElement("span"); p.className = "path"; p.textContent = path + " "; b.appendChild(p); }
    b.append(text);
    b.addEventListener("click", onClick);
    li.appendChild(b);
    ul.appendChild(li);
  }
  function renderIssues() {
    const eul = $("error-list");
    eul.textContent = "";
    for (const e of state.errors) {
      const where = e.source === "yaml" ? `${e.file || "form.yaml"}:${e.line || "?"}` : e.line ? `行 ${e.line}` : "";
      issueItem(eul, e.code || "エラー", "error", `${where} ${e.where ? e.where + ": " : ""}${e.message}`, e.path, () => {
        if (e.source === "yaml" && e.in_form && e.line) goToLine("yaml", e.line);
        else if (e.source === "payload" && e.line) goToLine("payload", e.line);
      });
    }
    $("error-count").textContent = state.errors.length ? `${state.errors.length} 件` : "なし";
    const wul = $("warning-list");
    wul.textContent = "";
    const filter = $("warning-filter").value;
    const all = state.warnings.concat(state.loadWarnings.map((w) => ({ kind: "load", message: `${w.file || ""}:${w.line || ""} ${w.where}: ${w.message}`, line: w.line, file: w.file })));
    let n = 0;
    for (const w of all) {
      if (filter && w.kind !== filter) continue;
      n++;
      const label = w.kind === "load" ? "" : `${w.page} ページ ${w.label}: `;
      issueItem(wul, KINDS[w.kind] || w.kind, w.kind, label + w.message, w.path, () => {
        if (w.kind === "load") { if (w.line) goToLine("yaml", w.line); return; }
        state.page = w.page;
        const lines = w.path ? null : w.source;
        const pgNow = state.layout.pages[w.page - 1];
        const b = pgNow && pgNow.boxes.find((x) => x.rid === w.rid);
        const go = () => { if (b) select(b, false); };
        if (state.layout && $("pageinfo").textContent.indexOf(`${w.page} /`) !== 0) preview().then(go); else go();
        if (w.path && w.line) goToLine("payload", w.line);
        else if (lines && lines.line && lines.file && lines.file.endsWith("/form.yaml")) goToLine("yaml", lines.line);
      });
    }
    $("warning-count").textContent = `${n} 件`;
  }
  $("warning-filter").addEventListener("change", renderIssues);
  // -- page, zoom, save, download -------------------------------------------------------------
  function goPage(delta) {
    const p = Math.min(Math.max(1, state.page + delta), state.pages || 1);
    if (p !== state.page) { state.page = p; state.selected = null; preview(); }
  }
  $("prev").addEventListener("click", () => goPage(-1));
  $("next").addEventListener("click", () => goPage(1));
  function zoom(f) {
    state.zoom = Math.min(4, Math.max(0.4, Math.round(state.zoom * f * 100) / 100));
    $("zoom").textContent = Math.round(state.zoom * 100) + "%";
    drawOverlay();
    preview();
  }
  $("zoom-in").addEventListener("click", () => zoom(1.25));
  $("zoom-out").addEventListener("click", () => zoom(0.8));
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); if ($("save")) save(); return; }
    const inText = e.target.tagName === "TEXTAREA" || e.target.tagName === "INPUT";
    if (inText) return;
    if (e.key === "PageDown") { e.preventDefault(); goPage(1); }
    if (e.key === "PageUp") { e.preventDefault(); goPage(-1); }
    if (e.key === "+" || e.key === "=") zoom(1.25);
    if (e.key === "-") zoom(0.8);
    if (e.key === "Escape") { state.selected = null; drawOverlay(); }
  });
  async function save() {
    if (!state.formId) return;
    try {
      const r = await json("/designer/api/save", { form_id: state.formId, yaml: $("yaml").value });
      state.savedYaml = $("yaml").value;
      document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
      status(r.loads ? "form.yaml を保存しました" : `保存しました（読み込みエラー ${r.errors.length} 件）`);
    } catch (err) {
      status("保存できません: " + err.message);
    }
  }
  if ($("save")) $("save").addEventListener("click", save);
  $("download").addEventListener("click", async () => {
    const r = await api("/designer/api/pdf", { form_id: state.formId, yaml: $("yaml").value, payload: $("payload").value });
    if (!r.ok) { const e = await r.json(); status("PDF を作れません: " + e.message); return; }
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = state.formId + ".pdf";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  if ($("logout")) $("logout").addEventListener("click", async () => { await api("/designer/logout", {}); location.reload(); });
  $("overlay").addEventListener("click", () => { state.selected = null; drawOverlay(); });

  loadForms().then(() => {
    const want = decodeURIComponent(location.hash.slice(1));
    if (want && state.forms.some((f) => f.id === want)) openForm(want);
    status("帳票を選んでください");
  }).catch((err) => status("帳票一覧を読めません: " + err.message));
})();
