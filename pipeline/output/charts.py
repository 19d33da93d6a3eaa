"""The report's charts as inline SVG, each readable without a mouse: bars carry their percentages or
counts, the heat map its numbers and a legend with the scale. Every chart has a ``viewBox`` so that it
shrinks to the page (narrow windows, print) instead of being cut off."""

from __future__ import annotations

import functools
import html

from ..labels import PARADOXES, PHASES, POLES, TABLE

PHASE_COLOURS = {p: TABLE[p].colour for p in PHASES}
POLE_COLOURS = {p: TABLE[p].colour for p in POLES}
TENSION_RGB = (214, 40, 40)  # the heat map's one hue; its shade is the share of a document's passages
TENSION_FULL = 0.20          # a share at or over this is the darkest shade
HEATMAP_DOCS = 400


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@functools.lru_cache(maxsize=256)  # a few palette colours, asked for on every badge of the report
def ink(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") else "#ffffff"


def _svg(name: str, width: float, height: float) -> str:
    return (f'<svg class="chart" data-chart="{esc(name)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(name)}">')


def stacked_bars(rows: dict[str, dict[str, float]], name: str, right: dict[str, str] | None = None,
                 right_title: str = "") -> str:
    """Horizontal 100 % bars, one per row, segments in phase colours, each segment wide enough for it
    labelled with its percentage, and an axis at 0, 25, 50, 75 and 100 %; ``right`` is text beside each bar."""
    w, lh, left, top = 600, 24, 160, 16
    width = left + w + 110
    height = top + lh * len(rows) + 22
    out = [_svg(name, width, height)]
    if right_title:
        out.append(f'<text x="{left + w + 8}" y="11">{esc(right_title)}</text>')
    for i, (key, shares) in enumerate(rows.items()):
        y = top + i * lh
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{esc(str(key)[:26])}</text>')
        x = float(left)
        for ph in PHASES:
            v = shares.get(ph, 0.0)
            if v <= 0:
                continue
            seg = v * w
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{seg:.1f}" height="{lh - 6}" fill="{PHASE_COLOURS[ph]}">'
                       f'<title>{esc(key)}: {ph} {v:.0%}</title></rect>')
            if seg >= 28:
                out.append(f'<text class="val" x="{x + seg / 2:.1f}" y="{y + 13}" text-anchor="middle" '
                           f'style="fill:{ink(PHASE_COLOURS[ph])}">{v:.0%}</text>')
            x += seg
        if right is not None:
            out.append(f'<text x="{left + w + 8}" y="{y + 13}">{esc(right.get(key, ""))}</text>')
    axis_y = top + lh * len(rows)
    out.append(f'<line x1="{left}" x2="{left + w}" y1="{axis_y}" y2="{axis_y}" stroke="#555"/>')
    for q in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + q * w
        out.append(f'<line x1="{x}" x2="{x}" y1="{top - 2}" y2="{axis_y + 4}" stroke="#555" stroke-width="0.5"/>'
                   f'<text class="axis" x="{x}" y="{axis_y + 16}" text-anchor="middle">{q:.0%}</text>')
    out.append("</svg>")
    return "".join(out)


def diverging(balance: dict[str, dict]) -> str:
    """One row per paradox: pole a to the left of the centre line, pole b to the right, each bar's count
    printed beside it, and the balance index."""
    lh, half, label = 30, 250, 150
    mid = label + half
    width, height = mid + half + 230, lh * len(balance) + 10
    out = [_svg("balance", width, height)]
    for i, (pid, b) in enumerate(balance.items()):
        y = i * lh + 4
        tot = max(b["count_a"] + b["count_b"], 1)
        wa, wb = half * b["count_a"] / tot, half * b["count_b"] / tot
        out.append(f'<rect x="{mid - wa:.1f}" y="{y}" width="{wa:.1f}" height="20" fill="{POLE_COLOURS[b["a"]]}">'
                   f'<title>{b["a"]}: {b["count_a"]}</title></rect>')
        out.append(f'<rect x="{mid}" y="{y}" width="{wb:.1f}" height="20" fill="{POLE_COLOURS[b["b"]]}">'
                   f'<title>{b["b"]}: {b["count_b"]}</title></rect>')
        idx = "–" if b["index"] is None else f'{b["index"]:+.2f}'
        out.append(f'<text x="{mid - wa - 6:.1f}" y="{y + 14}" text-anchor="end">{b["a"]} <tspan class="num">'
                   f'{b["count_a"]}</tspan></text><text x="{mid + wb + 6:.1f}" y="{y + 14}"><tspan class="num">'
                   f'{b["count_b"]}</tspan> {b["b"]} (index {idx})</text>')
    out.append(f'<line x1="{mid}" x2="{mid}" y1="0" y2="{lh * len(balance)}" stroke="#555"/></svg>')
    return "".join(out)


def _shade(rate: float, n: int) -> float:
    return min(1.0, rate / TENSION_FULL) if n else 0.0


def heatmap(by_doc: dict[str, dict]) -> str:
    """Documents by paradoxes: each cell prints its number of tension passages, shaded by their share of
    the document's passages; a legend gives the scale."""
    cols = list(PARADOXES)
    cw, lh, left, top = 130, 20, 270, 22
    docs = list(by_doc.items())[:HEATMAP_DOCS]
    width = left + cw * len(cols) + 10
    out = [_svg("tensions", width, top + lh * len(docs) + 8)]
    r, g, b = TENSION_RGB
    for j, c in enumerate(cols):
        out.append(f'<text x="{left + j * cw + cw / 2}" y="14" text-anchor="middle">{c.replace("_", " / ")}</text>')
    for i, (doc, s) in enumerate(docs):
        y = top + i * lh
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{esc(doc[-42:])}</text>')
        for j, c in enumerate(cols):
            n = s["tension_counts"][c]
            rate = n / max(s["passages"], 1)
            alpha = _shade(rate, n)
            x = left + j * cw + 2
            out.append(f'<rect x="{x}" y="{y}" width="{cw - 4}" height="{lh - 3}" fill="rgba({r},{g},{b},{alpha:.2f})" '
                       f'stroke="#ccc"><title>{esc(doc)}: {n} tensions ({c})</title></rect>'
                       f'<text class="val" x="{x + (cw - 4) / 2}" y="{y + 13}" text-anchor="middle" '
                       f'style="fill:{"#fff" if alpha > 0.5 else "#222"}">{f"{n} ({rate:.0%})" if n else "0"}</text>')
    out.append("</svg>")
    more = (f"<p>The first {HEATMAP_DOCS} of {len(by_doc)} documents are shown; every document is in "
            "documents.csv.</p>" if len(by_doc) > HEATMAP_DOCS else "")
    return heatmap_legend() + "".join(out) + more


def heatmap_legend() -> str:
    """The heat map's scale: the shade of a share of 0, 5, 10, 15 and 20 % or more."""
    r, g, b = TENSION_RGB
    steps = [0.0, 0.05, 0.10, 0.15, TENSION_FULL]
    cells = "".join(f'<span><i class="sw" style="background:rgba({r},{g},{b},{_shade(s, 1 if s else 0):.2f});'
                    f'border:1px solid #ccc"></i>{s:.0%}{" or more" if s == TENSION_FULL else ""}</span>'
                    for s in steps)
    return (f"<p class='legend' data-legend='tensions'>Each cell: the number of tension passages (both poles of "
            f"the paradox) and their share of the document's passages. Shade by share: {cells}</p>")
