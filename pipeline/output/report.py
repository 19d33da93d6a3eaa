"""The HTML report: one self-contained file (inline CSS, SVG and script; nothing from the network).

Overview charts (:mod:`.charts`: phase profile per group, pole balance per paradox, phases per year,
tensions per document), each readable without a mouse; then the documents' text, each passage with
its phase, poles and their scores, uncertain ones marked; filters by label, confidence and review.
A reader can review passages in the page (``report.js``): correct the phase and poles or confirm them,
and download the reviewed passages as annotation JSONL (read by :mod:`pipeline.exchange.review`).
The report is written piece by piece and shows the first ``REPORT_PASSAGES`` passages (all of them
are in the tables), so that an archive of any size gives a report a browser can open.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..labels import DUTCH, LANGS, PARADOXES, PHASES, POLES, TABLE
from ..types import TaggedPassage
from . import atomic_write
from .charts import PHASE_COLOURS, POLE_COLOURS, diverging, heatmap, ink, stacked_bars
from .charts import esc as _esc

ASSETS = Path(__file__).resolve().parent
CSS = (ASSETS / "report.css").read_text(encoding="utf-8")
SCRIPT = (ASSETS / "report.js").read_text(encoding="utf-8")


def run_key(run: dict) -> str:
    """The key a reader's review progress is stored under in the browser: one run of one output folder."""
    ident = [run.get("out"), run.get("model"), run.get("finished"), run.get("input_roots")]
    return hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _labels_blob() -> dict:
    """What the review script needs of the label table."""
    def spec(k: str) -> dict:
        return {"id": k, "dutch": DUTCH[k], "colour": TABLE[k].colour, "ink": ink(TABLE[k].colour)}

    return {"phases": [spec(k) for k in PHASES], "phase": {k: spec(k) for k in PHASES},
            "pole": {k: spec(k) for k in POLES}, "paradoxes": [list(v) for v in PARADOXES.values()],
            "langs": list(LANGS)}


def _json_script(element_id: str, data: object) -> str:
    blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f"<script type='application/json' id='{element_id}'>{blob}</script>"


def _badge(cls: str, text: str, colour: str | None = None) -> str:
    style = f' style="background:{colour};color:{ink(colour)}"' if colour else ""
    return f'<i class="bd {cls}"{style}>{_esc(text)}</i>'


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
    scores = [p.pole_scores.get(k, 0.0) for k in p.poles]
    badges = [_badge("phase", f"{p.phase} {conf:.2f}", PHASE_COLOURS[p.phase])]
    badges += [_badge("pole", f"{k} {s:.2f}", POLE_COLOURS[k]) for k, s in zip(p.poles, scores)]
    if p.uncertain:
        badges.append(_badge("unc-mark", "? uncertain"))
    cls = "p unc" if p.uncertain else "p"
    return (f'<span class="{cls}" tabindex="0" data-id="{_esc(p.id)}" data-doc="{_esc(p.doc_id)}" '
            f'data-phase="{p.phase}" data-poles="{" ".join(p.poles)}" data-ps="{" ".join(f"{s:.2f}" for s in scores)}" '
            f'data-conf="{conf:.4f}" data-unc="{int(bool(p.uncertain))}" data-lang="{_esc(p.lang)}" '
            f'data-start="{p.start}" data-end="{p.end}" data-resp="{p.response or ""}" title="{_esc(chr(10).join(tip))}" '
            f'style="background:{PHASE_COLOURS[p.phase]}33;border-left-color:{PHASE_COLOURS[p.phase]}">'
            f'<span class="lab">{"".join(badges)}</span><span class="tx">{_esc(p.text)}</span></span>')


def _filters() -> str:
    def select(ident: str, label: str, options: Iterable[tuple[str, str]]) -> str:
        opts = "".join(f"<option value='{v}'>{_esc(t)}</option>" for v, t in options)
        return f"<label>{label} <select id='{ident}'><option value=''>all</option>{opts}</select></label>"

    return ("<div class='filters'>" +
            select("f-phase", "phase", ((k, k) for k in PHASES)) +
            select("f-pole", "pole", ((k, k) for k in POLES)) +
            select("f-unc", "confidence", (("uncertain", "uncertain only"), ("confident", "confident only"))) +
            select("f-rev", "review", (("reviewed", "reviewed"), ("open", "not reviewed"))) +
            "<label>min. confidence <input id='f-conf' type='range' min='0' max='1' step='0.05' value='0'>"
            "<span id='f-conf-v'>0.00</span></label> <span><b id='f-count'></b> passages shown</span></div>")


def _review_bar() -> str:
    return ("<div class='review' id='review'><label>Reviewer <input id='rv-name' autocomplete='name' "
            "placeholder='your name'></label><span><b id='rv-count'>0</b> passages reviewed</span>"
            "<button type='button' id='rv-download'>Download reviewed passages</button>"
            "<span class='msg' id='rv-msg' role='status'></span></div>"
            "<p>Click a passage to review it: choose its phase and poles, or mark it reviewed as it is. Your "
            "review is kept in this browser; the download is annotation JSONL for <code>paradox annotations "
            "import --from review</code>.</p>")


REPORT_PASSAGES = 10_000  # passages shown in the documents section; all of them are in the tables
EXPLAIN_MAX = 500  # passages that get explanations on hover (they cost 1-2 ms a passage)
CHUNK = 500


class ShownPassages:
    """The passages the report's documents section shows (the first ``max_passages``; None or 0: all), rendered
    to HTML a chunk at a time as they are added, the first :data:`EXPLAIN_MAX` with explanations (``explain``:
    a list of passages -> ``id -> {label: [(word, weight), ...]}``). A tag run adds them during its table pass,
    while later documents are still being tagged, so that little is left to do once they all are.

    ``rendered`` holds ``(doc_id, path, html)`` per passage; :meth:`take` hands over those rendered so far
    (a report of every passage renders and writes them as they come instead of holding them)."""

    def __init__(self, explain: Callable[[list[TaggedPassage]], dict] | None = None,
                 max_passages: int | None = REPORT_PASSAGES):
        self.explain, self.cap = explain, max_passages or None
        self.count = 0  # passages added
        self.rendered: list[tuple[str, str, str]] = []
        self._pending: list[TaggedPassage] = []
        self._explained = 0

    @property
    def full(self) -> bool:
        return self.cap is not None and self.count >= self.cap

    def add(self, p: TaggedPassage) -> bool:
        """Add a passage; False (and nothing added) once the report shows as many as it can."""
        if self.full:
            return False
        self.count += 1
        self._pending.append(p)
        if len(self._pending) >= CHUNK:
            self.flush()
        return True

    def flush(self) -> None:
        """Render the passages added and not yet rendered."""
        chunk, self._pending = self._pending, []
        found = {}
        if chunk and self.explain is not None and self._explained < EXPLAIN_MAX:
            part = chunk[:EXPLAIN_MAX - self._explained]
            self._explained += len(part)
            try:
                found = self.explain(part)
            except Exception:  # explanations are a courtesy of the report, not an output of the run
                self.explain = None
        self.rendered.extend((p.doc_id, p.path, _passage_html(p, found.get(p.id))) for p in chunk)

    def take(self) -> list[tuple[str, str, str]]:
        self.flush()
        out, self.rendered = self.rendered, []
        return out

    def extend(self, passages: Iterable[TaggedPassage]) -> Iterator[list[tuple[str, str, str]]]:
        """Add ``passages`` (read only as far as the report shows them), yielding what is rendered a chunk at a
        time."""
        if not self.full:
            for p in passages:
                self.add(p)
                if self.rendered:
                    yield self.take()
                if self.full:
                    break
        yield self.take()


def _documents_html(chunks: Iterable[list[tuple[str, str, str]]], documents: dict[str, tuple[str, int]]
                    ) -> Iterator[str]:
    """The rendered passages grouped by document, each document a ``<details>`` headed by its id, passage count
    and path."""
    current = None
    for chunk in chunks:
        html_parts = []
        for doc_id, path, piece in chunk:
            if doc_id != current:
                if current is not None:
                    html_parts.append("</details>")
                current = doc_id
                path, n = documents.get(doc_id, (path, None))
                count = f"{n} passages, " if n is not None else ""
                html_parts.append(f"<details class='doc' open data-path='{_esc(path)}'><summary>{_esc(doc_id)} "
                                  f"<small>({count}{_esc(path)})</small></summary>")
            html_parts.append(piece)
        if html_parts:
            yield "".join(html_parts)
    if current is not None:
        yield "</details>"


def render_iter(passages: Iterable[TaggedPassage] | ShownPassages, summary: dict, run: dict | None = None,
                explain: Callable[[list[TaggedPassage]], dict] | None = None,
                documents: dict[str, tuple[str, int]] | None = None,
                max_passages: int | None = REPORT_PASSAGES) -> Iterator[str]:
    """The report in pieces of HTML. ``passages`` are read once, in order, and only the first
    ``max_passages`` (None or 0: all) are kept, a chunk at a time; ``explain`` gives, for a list of
    passages, ``id -> {label: [(word, weight), ...]}`` (asked for the first ``EXPLAIN_MAX``);
    ``documents`` maps a document id to its path and passage count. ``passages`` may also be a
    :class:`ShownPassages` already filled (``explain`` and ``max_passages`` are then its own)."""
    run = run or {}
    ov = summary["overall"]
    documents = documents or {}
    total = sum(n for _, n in documents.values()) if documents else ov["passages"]
    groups = summary["by_group"] or {"all": ov}
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
        "<section><h2>Phase profile per group</h2><p>Share of each group's passages per phase; on the right, "
        "the number of passages.</p>" +
        stacked_bars({k: v["phase_profile"] for k, v in groups.items()}, "phase-profile",
                     {k: f"n = {v['passages']:,}" for k, v in groups.items()}) + "</section>",
        "<section><h2>Pole balance per paradox</h2><p>How many passages were tagged with each pole (the number "
        "beside each bar); the index is (a − b) / (a + b).</p>" + diverging(ov["balance"]) + "</section>",
    ]
    timelines = {g: ys for g, ys in summary.get("by_group_year", {}).items() if len(ys) >= 1}
    if timelines:
        yield ("<section><h2>Timeline per group</h2><p>Phase profile of each year's documents; "
               "on the right, the tension rate per 100 passages.</p>")
        for g, ys in timelines.items():
            yield f"<h3>{_esc(g)}</h3>" + stacked_bars(
                {y: v["phase_profile"] for y, v in ys.items()}, f"timeline-{g}",
                {y: f"{v['tension_rate_per_100']:.1f}" for y, v in ys.items()}, "tensions / 100")
        yield "</section>"
    yield "<section><h2>Tensions per document</h2>" + heatmap(summary["by_document"]) + "</section>"
    yield "<section><h2>Documents</h2>" + _review_bar() + _filters()
    if isinstance(passages, ShownPassages):
        shown_ones = passages
        chunks: Iterable = [shown_ones.take()]
    else:
        shown_ones = ShownPassages(explain, max_passages)
        chunks = shown_ones.extend(passages)
    yield from _documents_html(chunks, documents)
    shown, cap = shown_ones.count, shown_ones.cap
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
    yield _json_script("summary", ov)
    yield _json_script("run", {"key": run_key(run), "model": run.get("model", "")})
    yield _json_script("labels", _labels_blob())
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
