"""The HTML report: one self-contained file (inline CSS, SVG and script; nothing from the network).

Overview charts (phase profile per group, pole balance per paradox as diverging
bars, tensions per document as a heat map, phases per year), then the
documents' text with their passages highlighted in two layers: the phase as the
background colour, the poles as coloured marks; scores and explanations on
hover; filters by label and confidence. The report is written piece by piece
and shows the first ``REPORT_PASSAGES`` passages (all of them are in the
tables), so that an archive of any size gives a report a browser can open.
"""

from __future__ import annotations

import html
import json
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..labels import DUTCH, PARADOXES, PHASES, POLES, TABLE
from ..types import TaggedPassage
from . import atomic_write

PHASE_COLOURS = {p: TABLE[p].colour for p in PHASES}
POLE_COLOURS = {p: TABLE[p].colour for p in POLES}

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1d3557;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85}main{padding:18px 28px;max-width:1200px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:14px 18px;margin:0 0 18px}
h2{font-size:18px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
.kpis{display:flex;gap:14px;flex-wrap:wrap}.kpi{background:#f1f5f9;border-radius:6px;padding:8px 14px}
.kpi b{display:block;font-size:22px}.legend span{display:inline-block;margin-right:12px;font-size:13px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.doc{margin-top:10px}.doc summary{cursor:pointer;font-weight:600}
.p{border-radius:4px;padding:2px 4px;margin:4px 0;display:block;border-left:6px solid transparent;white-space:pre-wrap}
.p .marks{float:right;margin-left:6px}.p .mk{display:inline-block;font-size:11px;color:#fff;border-radius:3px;
padding:0 4px;margin-left:2px}.p.unc{opacity:.6;font-style:italic}.p.hidden{display:none}
.filters label{margin-right:10px;font-size:13px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}th{background:#f1f5f9}td.l{text-align:left}
svg text{font-size:11px;fill:#333}
"""

SCRIPT = """
function applyFilters(){
  const phase=document.getElementById('f-phase').value, pole=document.getElementById('f-pole').value;
  const minc=parseFloat(document.getElementById('f-conf').value);
  document.getElementById('f-conf-v').textContent=minc.toFixed(2);
  let shown=0;
  document.querySelectorAll('.p').forEach(el=>{
    const ok=(!phase||el.dataset.phase===phase)&&(!pole||el.dataset.poles.split(' ').includes(pole))
      &&parseFloat(el.dataset.conf)>=minc;
    el.classList.toggle('hidden',!ok); if(ok) shown++;
  });
  document.getElementById('f-count').textContent=shown;
  document.body.dataset.shown=shown;
}
document.addEventListener('DOMContentLoaded',()=>{
  ['f-phase','f-pole','f-conf'].forEach(id=>document.getElementById(id).addEventListener('input',applyFilters));
  applyFilters();
  document.body.dataset.ready='1';
});
"""


def _esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def _stacked_bars(rows: dict[str, dict[str, float]], title: str, right: dict[str, float] | None = None) -> str:
    """Horizontal 100 % bars, one per row key, segments in phase colours; ``right`` labels each bar's end."""
    w, lh, left = 640, 22, 150
    h = lh * len(rows) + 24
    out = [f'<svg class="chart" data-chart="{_esc(title)}" width="{w + left + 90}" height="{h}" '
           f'role="img" aria-label="{_esc(title)}">']
    for i, (key, shares) in enumerate(rows.items()):
        y = i * lh + 4
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{_esc(key[:24])}</text>')
        x = left
        for ph in PHASES:
            v = shares.get(ph, 0.0)
            if v > 0:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{v * w:.1f}" height="{lh - 6}" '
                           f'fill="{PHASE_COLOURS[ph]}"><title>{_esc(key)}: {ph} {v:.0%}</title></rect>')
                x += v * w
        if right is not None:
            out.append(f'<text x="{left + w + 8}" y="{y + 14}">{right.get(key, 0):.1f}</text>')
    out.append("</svg>")
    return "".join(out)


def _diverging(balance: dict[str, dict]) -> str:
    w, lh, mid = 640, 28, 330
    out = [f'<svg class="chart" data-chart="balance" width="{w + 160}" height="{lh * len(balance) + 10}">']
    for i, (pid, b) in enumerate(balance.items()):
        y = i * lh + 4
        tot = max(b["count_a"] + b["count_b"], 1)
        wa, wb = 250 * b["count_a"] / tot, 250 * b["count_b"] / tot
        out.append(f'<rect x="{mid - wa:.1f}" y="{y}" width="{wa:.1f}" height="18" fill="{POLE_COLOURS[b["a"]]}">'
                   f'<title>{b["a"]}: {b["count_a"]}</title></rect>')
        out.append(f'<rect x="{mid}" y="{y}" width="{wb:.1f}" height="18" fill="{POLE_COLOURS[b["b"]]}">'
                   f'<title>{b["b"]}: {b["count_b"]}</title></rect>')
        idx = "–" if b["index"] is None else f'{b["index"]:+.2f}'
        out.append(f'<text x="{mid - wa - 6:.1f}" y="{y + 13}" text-anchor="end">{b["a"]} {b["count_a"]}</text>'
                   f'<text x="{mid + wb + 6:.1f}" y="{y + 13}">{b["b"]} {b["count_b"]} (index {idx})</text>')
    out.append(f'<line x1="{mid}" x2="{mid}" y1="0" y2="{lh * len(balance)}" stroke="#555"/></svg>')
    return "".join(out)


def _heatmap(by_doc: dict[str, dict]) -> str:
    cols = list(PARADOXES)
    cw, lh, left = 120, 18, 260
    docs = list(by_doc.items())[:400]
    out = [f'<svg class="chart" data-chart="tensions" width="{left + cw * len(cols) + 10}" '
           f'height="{lh * len(docs) + 30}">']
    for j, c in enumerate(cols):
        out.append(f'<text x="{left + j * cw + cw / 2}" y="12" text-anchor="middle">{c.replace("_", " / ")}</text>')
    for i, (doc, s) in enumerate(docs):
        y = 20 + i * lh
        out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{_esc(doc[-40:])}</text>')
        for j, c in enumerate(cols):
            n = s["tension_counts"][c]
            rate = n / max(s["passages"], 1)
            alpha = min(1.0, rate * 5) if n else 0.0
            out.append(f'<rect x="{left + j * cw + 2}" y="{y}" width="{cw - 4}" height="{lh - 3}" '
                       f'fill="rgba(214,40,40,{alpha:.2f})" stroke="#eee"><title>{_esc(doc)}: {n} tensions '
                       f'({c})</title></rect>')
    out.append("</svg>")
    return "".join(out)


def _passage_html(p: TaggedPassage, explanations: dict | None) -> str:
    conf = p.phase_scores.get(p.phase, 0.0)
    tip = [f"phase: {p.phase} ({conf:.2f})"]
    tip += [f"{k}: {v:.2f}" for k, v in sorted(p.pole_scores.items(), key=lambda kv: -kv[1])[:4]]
    if p.tensions:
        tip.append("tension: " + ", ".join(p.tensions))
    if p.response:
        tip.append(f"response: {p.response}")
    if explanations:
        for lab, feats in explanations.items():
            if feats:
                tip.append(f"why {lab}: " + ", ".join(f for f, _ in feats[:5]))
    marks = "".join(f'<span class="mk" style="background:{POLE_COLOURS[k]}">{k}</span>' for k in p.poles)
    cls = "p unc" if p.uncertain else "p"
    return (f'<span class="{cls}" data-id="{_esc(p.id)}" data-phase="{p.phase}" data-poles="{" ".join(p.poles)}" '
            f'data-conf="{conf:.4f}" title="{_esc(chr(10).join(tip))}" '
            f'style="background:{PHASE_COLOURS[p.phase]}33;border-left-color:{PHASE_COLOURS[p.phase]}">'
            f'<span class="marks">{marks}</span>{_esc(p.text)}</span>')


REPORT_PASSAGES = 10_000  # passages shown in the documents section; all of them are in the tables
EXPLAIN_MAX = 2000  # passages that get explanations on hover (they cost ~0.5 ms a passage)
CHUNK = 500


def render_iter(passages: Iterable[TaggedPassage], summary: dict, run: dict | None = None,
                explain: Callable[[list[TaggedPassage]], dict] | None = None,
                documents: dict[str, tuple[str, int]] | None = None,
                max_passages: int | None = REPORT_PASSAGES) -> Iterator[str]:
    """The report in pieces of HTML. ``passages`` are read once, in order, and only the first
    ``max_passages`` (None or 0: all) are kept, a chunk at a time; ``explain`` gives, for a list of
    passages, ``id -> {label: [(word, weight), ...]}`` (asked for the first ``EXPLAIN_MAX``);
    ``documents`` maps a document id to its path and passage count."""
    run = run or {}
    ov = summary["overall"]
    documents = documents or {}
    total = sum(n for _, n in documents.values()) if documents else ov["passages"]
    legend = ("".join(f'<span><i class="sw" style="background:{c}"></i>{k} / {DUTCH[k]}</span>'
                      for k, c in PHASE_COLOURS.items()) + "<br>" +
              "".join(f'<span><i class="sw" style="background:{c}"></i>{k}</span>' for k, c in POLE_COLOURS.items()))
    kpis = [("documents", len(summary["by_document"])), ("passages", ov["passages"]),
            ("tensions / 100 passages", ov["tension_rate_per_100"]), ("uncertain", ov["uncertain"]),
            ("failed inputs", run.get("failed", 0))]
    yield from [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>paradox report</title><style>{CSS}</style><script>{SCRIPT}</script></head><body>",
        f"<header><h1>Paradox report</h1><p>model {_esc(run.get('model', ''))} · "
        f"{_esc(run.get('finished', ''))}</p></header><main>",
        "<section><h2>Overview</h2><div class='kpis'>" +
        "".join(f"<div class='kpi'><b>{_esc(v)}</b>{_esc(k)}</div>" for k, v in kpis) +
        f"</div><p class='legend'>{legend}</p></section>",
        "<section><h2>Phase profile per group</h2>" +
        _stacked_bars({k: v["phase_profile"] for k, v in summary["by_group"].items()} or
                      {"all": ov["phase_profile"]}, "phase-profile") + "</section>",
        "<section><h2>Pole balance per paradox</h2><p>Bars show how often each pole was tagged; the index is "
        "(a − b) / (a + b).</p>" + _diverging(ov["balance"]) + "</section>",
    ]
    timelines = {g: ys for g, ys in summary.get("by_group_year", {}).items() if len(ys) >= 1}
    if timelines:
        yield ("<section><h2>Timeline per group</h2><p>Phase profile of each year's documents; "
               "the figure on the right is the tension rate per 100 passages.</p>")
        for g, ys in timelines.items():
            yield f"<h3>{_esc(g)}</h3>" + _stacked_bars(
                {y: v["phase_profile"] for y, v in ys.items()}, f"timeline-{g}",
                {y: v["tension_rate_per_100"] for y, v in ys.items()})
        yield "</section>"
    yield "<section><h2>Tensions per document</h2>" + _heatmap(summary["by_document"]) + "</section>"
    opts_phase = "".join(f"<option value='{k}'>{k}</option>" for k in PHASES)
    opts_pole = "".join(f"<option value='{k}'>{k}</option>" for k in POLES)
    yield ("<section><h2>Documents</h2><div class='filters'>"
           f"<label>phase <select id='f-phase'><option value=''>all</option>{opts_phase}</select></label>"
           f"<label>pole <select id='f-pole'><option value=''>all</option>{opts_pole}</select></label>"
           "<label>min. confidence <input id='f-conf' type='range' min='0' max='1' step='0.05' value='0'>"
           "<span id='f-conf-v'>0.00</span></label> <span><b id='f-count'></b> passages shown</span></div>")
    shown, explained, current = 0, 0, None
    cap = max_passages or None
    shown_ones = islice(passages, cap)  # passages past the cap are never read
    while chunk := list(islice(shown_ones, CHUNK)):
        found = {}
        if explain is not None and explained < EXPLAIN_MAX:
            part = chunk[:EXPLAIN_MAX - explained]
            explained += len(part)
            try:
                found = explain(part)
            except Exception:  # explanations are a courtesy of the report, not an output of the run
                explain = None
        html_parts = []
        for p in chunk:
            if p.doc_id != current:
                if current is not None:
                    html_parts.append("</details>")
                current = p.doc_id
                path, n = documents.get(p.doc_id, (p.path, None))
                count = f"{n} passages, " if n is not None else ""
                html_parts.append(f"<details class='doc' open><summary>{_esc(p.doc_id)} <small>({count}"
                                  f"{_esc(path)})</small></summary>")
            html_parts.append(_passage_html(p, found.get(p.id)))
        shown += len(chunk)
        yield "".join(html_parts)
    if current is not None:
        yield "</details>"
    if cap and total > shown:
        yield (f"<p class='more' data-shown='{shown}' data-total='{total}'>The first {shown:,} of {total:,} "
               "passages are shown here; all of them are in passages.jsonl, passages.csv and passages.parquet "
               "(<code>paradox stats --report-passages 0</code> writes a report with all).</p>")
    yield "</section>"
    if run.get("errors"):
        yield ("<section><h2>Inputs that failed</h2><table><tr><th>path</th><th>kind</th><th>message</th></tr>" +
               "".join(f"<tr><td class='l'>{_esc(e['path'])}</td><td class='l'>{_esc(e['kind'])}</td>"
                       f"<td class='l'>{_esc(e['message'])}</td></tr>" for e in run["errors"]) +
               "</table></section>")
    blob = json.dumps(ov).replace("</", "<\\/")
    yield f"<script type='application/json' id='summary'>{blob}</script>"
    yield "</main></body></html>"


def render(passages: Iterable[TaggedPassage], summary: dict, run: dict | None = None, **kw) -> str:
    """The report as one HTML string (arguments as :func:`render_iter`)."""
    return "".join(render_iter(passages, summary, run, **kw))


def write_report(path: str | Path, passages: Iterable[TaggedPassage], summary: dict, run: dict | None = None,
                 **kw) -> None:
    """Write the report piece by piece (arguments as :func:`render_iter`), atomically."""
    with atomic_write(path) as fh:
        for piece in render_iter(passages, summary, run, **kw):
            fh.write(piece)
