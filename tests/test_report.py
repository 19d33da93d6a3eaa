"""The report reads without a mouse: charts print their numbers, passages their labels and scores."""

import json
import re
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.labels import PHASES
from pipeline.output import report
from pipeline.output.assemble import restat

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    batch.run([EXAMPLES], out)
    # a reader's correction, as `paradox stats` takes it: the third passage expresses both poles of a
    # paradox, so the report has a tension to show whatever the model found
    lines = (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    fixed = json.loads(lines[2])
    fixed.update(poles=["trust", "analysis"], tensions=["trust_analysis"])
    lines[2] = json.dumps(fixed, ensure_ascii=False)
    (out / "passages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    restat(out)
    passages = [json.loads(line) for line in (out / "passages.jsonl").open(encoding="utf-8")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return out, (out / "report.html").read_text(encoding="utf-8"), passages, summary


def chart(html: str, name: str) -> str:
    m = re.search(rf'<svg class="chart" data-chart="{re.escape(name)}"[^>]*>.*?</svg>', html, re.S)
    assert m, name
    return m.group(0)


def texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def test_phase_bars_print_their_percentages_and_an_axis(tagged):
    _, html, _, summary = tagged
    svg = chart(html, "phase-profile")
    shown = texts(svg)
    for q in ("0%", "25%", "50%", "75%", "100%"):
        assert q in shown
    for group, s in summary["statistics"]["by_group"].items():
        assert f"n = {s['passages']}" in shown
        for ph in PHASES:
            share = s["phase_profile"].get(ph, 0)
            if share * 600 >= 28:  # every segment wide enough for its label carries it
                assert f"{share:.0%}" in shown, (group, ph)
    assert 'viewBox="0 0 ' in svg  # shrinks to the page instead of being cut off


def test_pole_bars_print_their_counts(tagged):
    _, html, _, summary = tagged
    shown = " | ".join(texts(chart(html, "balance")))
    for b in summary["statistics"]["overall"]["balance"].values():
        assert f"{b['a']} {b['count_a']}" in shown and f"{b['count_b']} {b['b']}" in shown


def test_tension_grid_prints_numbers_and_has_a_legend(tagged):
    _, html, _, summary = tagged
    shown = texts(chart(html, "tensions"))
    docs = summary["statistics"]["by_document"]
    for doc, s in docs.items():
        for n in s["tension_counts"].values():
            cell = f"{n} ({n / s['passages']:.0%})" if n else "0"
            assert cell in shown, doc
    assert sum(n for s in docs.values() for n in s["tension_counts"].values()) >= 1  # the corrected passage
    legend = re.search(r"<p class='legend' data-legend='tensions'>.*?</p>", html, re.S).group(0)
    assert all(f"{q}%" in legend for q in (0, 5, 10, 15, 20)) and "or more" in legend


def test_every_passage_shows_its_phase_poles_scores_and_uncertainty(tagged):
    _, html, passages, summary = tagged
    spans = re.findall(r'<span class="p( unc)?" [^>]*>(<span class="lab">.*?</span>)<span class="tx">', html)
    assert len(spans) == len(passages)
    for p, (unc, labels) in zip(passages, spans):
        badges = re.findall(r"<i class=\"bd ([\w-]+)\"[^>]*>([^<]*)</i>", labels)
        assert badges[0] == ("phase", f"{p['phase']} {p['phase_scores'][p['phase']]:.2f}")
        assert [b for b in badges if b[0] == "pole"] == [("pole", f"{k} {p['pole_scores'][k]:.2f}") for k in p["poles"]]
        assert (("unc-mark", "? uncertain") in badges) == p["uncertain"] == bool(unc)
    assert sum(p["uncertain"] for p in passages) == summary["statistics"]["overall"]["uncertain"] > 0
    assert "<option value='uncertain'>uncertain only</option>" in html


def test_report_prints_without_cutting_off(tagged):
    _, html, _, _ = tagged
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "@media print" in css and "svg.chart{max-width:100%;height:auto" in css
    assert "beforeprint" in html  # closed documents are opened before printing
    assert html.count('<svg class="chart"') == html.count('viewBox="0 0 ')


def test_review_progress_is_keyed_by_the_run(tagged):
    out, html, _, summary = tagged
    run = summary["run"]
    key = json.loads(re.search(r"<script type='application/json' id='run'>(.*?)</script>", html).group(1))["key"]
    assert key == report.run_key(run) and len(key) == 16
    assert report.run_key({**run, "finished": "another time"}) != key


def test_passages_rendered_as_they_come_make_the_same_report(tagged, monkeypatch):
    """A tag run renders the report's passages during its table pass (``ShownPassages``); the report is the one
    rendered from the passages afterwards: the same HTML, the same explanations (asked for the first
    EXPLAIN_MAX passages only, a chunk at a time), the cap respected, nothing read past it."""
    from pipeline.types import TaggedPassage

    out, _, rows, summary = tagged
    passages = [TaggedPassage.from_dict(r) for r in rows] * 4  # a few chunks' worth
    monkeypatch.setattr(report, "CHUNK", 7)
    monkeypatch.setattr(report, "EXPLAIN_MAX", 10)
    asked = []

    def explain(ps):
        asked.append(len(ps))
        return {p.id: {p.phase: [(f"word{len(asked)}", 0.5)]} for p in ps}

    stats, run = summary["statistics"], summary["run"]
    for cap in (25, len(passages) + 5):
        asked.clear()
        streamed = report.render(passages, stats, run, explain=explain, max_passages=cap)
        assert asked == [7, 3]
        asked.clear()
        shown = report.ShownPassages(explain, cap)
        for p in passages:
            if shown.full:
                break
            shown.add(p)
        assert shown.count == min(cap, len(passages)) and asked == [7, 3]
        assert report.render(shown, stats, run) == streamed
        assert streamed.count('class="p') == min(cap, len(passages))
        assert "why " in streamed and "word2" in streamed and "word3" not in streamed

    read = []

    def counted():
        for p in passages:
            read.append(p)
            yield p

    report.render(counted(), stats, run, max_passages=5)
    assert len(read) == 5  # the passages after the cap are never read
