"""The report in a real headless browser (Debian's Chromium, installed by scripts/install_browser.sh): it
renders, prints, and its review mode's corrections travel through import and training into a model."""

import base64
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import batch
from pipeline.cli import app

from .devtools import FLAGS, Browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/install_browser.sh)")]


def chromium(args, tmp_path):
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           "--enable-logging=stderr", "--v=0", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    batch.run([EXAMPLES], out)
    return out


def test_report_renders_without_errors_and_shows_every_passage(report, tmp_path):
    n = sum(1 for _ in (report / "passages.jsonl").open(encoding="utf-8"))
    r = chromium(["--virtual-time-budget=5000", "--dump-dom", (report / "report.html").as_uri()], tmp_path)
    dom = r.stdout
    assert 'data-ready="1"' in dom, r.stderr[-2000:]
    console_errors = [l for l in r.stderr.splitlines()
                      if "CONSOLE" in l and ("Uncaught" in l or "Error" in l or "error" in l)]
    assert console_errors == []
    assert f'data-shown="{n}"' in dom  # the script counted every passage as shown
    assert len(re.findall(r'<span class="p[ "]', dom)) == n
    for chart in ("phase-profile", "balance", "tensions"):
        assert f'data-chart="{chart}"' in dom
    assert len(re.findall(r"<rect ", dom)) > 10
    summary = json.loads((report / "summary.json").read_text())
    assert summary["statistics"]["overall"]["passages"] == n


def test_report_screenshot(report, tmp_path):
    shot = Path(__file__).resolve().parent.parent / "out" / "test-report-screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    r = chromium(["--window-size=1280,1600", "--virtual-time-budget=5000", f"--screenshot={shot}",
                  (report / "report.html").as_uri()], tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_carries_explanations_on_hover(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    titles = re.findall(r'title="([^"]*)"', html)
    assert sum("why " in t for t in titles) >= 10  # "why founding: statuten, …" on the passages' hover


@pytest.fixture
def browser(tmp_path):
    (tmp_path / "downloads").mkdir()
    b = Browser(CHROMIUM, tmp_path / "profile", tmp_path / "downloads")
    yield b
    b.close()


def passage(report: Path, pick) -> dict:
    return next(p for p in map(json.loads, (report / "passages.jsonl").open(encoding="utf-8")) if pick(p))


def sel(pid: str) -> str:
    return f'.p[data-id="{pid}"]'


def test_review_in_the_browser_import_and_train(report, browser, tmp_path, tiny_corpus_file):
    """Change two passages' labels and confirm a third in the page, reload, download; import the file and
    train on it: the new model's lineage counts the three reviewed passages."""
    t0 = time.perf_counter()
    a = passage(report, lambda p: p["phase"] == "none" and not p["poles"])
    b = passage(report, lambda p: p["phase"] != "none" and "trust" not in p["poles"] and p["id"] != a["id"])
    c = passage(report, lambda p: p["id"] not in (a["id"], b["id"]) and p["poles"])
    browser.open((report / "report.html").as_uri())
    assert browser.js("document.body.dataset.ready") == "1" and browser.js("document.body.dataset.reviewed") == "0"

    browser.click(sel(a["id"]))                               # a: another phase
    browser.click('#editor button[data-set-phase="founding"]')
    browser.click(sel(b["id"]))                               # b: one more pole
    browser.click('#editor button[data-toggle-pole="trust"]')
    browser.click(sel(c["id"]))                               # c: right as it is
    browser.click('#editor button[data-act="ok"]')
    assert browser.js("document.getElementById('rv-count').textContent") == "3"
    browser.click("#rv-download")                             # no name yet: nothing is downloaded
    assert "Type your name" in browser.js("document.getElementById('rv-msg').textContent")
    browser.type("#rv-name", "Ann Reviewer")

    browser.reload()                                          # progress survives a reload
    assert browser.js("document.getElementById('rv-count').textContent") == "3"
    assert browser.js("document.getElementById('rv-name').value") == "Ann Reviewer"
    assert browser.js(f"document.querySelector('{sel(a['id'])} .bd.phase').textContent") == "founding"
    assert "corrected" in browser.js(f"document.querySelector('{sel(b['id'])} .lab').textContent")
    assert "reviewed" in browser.js(f"document.querySelector('{sel(c['id'])} .lab').textContent")
    browser.js("document.getElementById('f-rev').value = 'reviewed'; "
               "document.getElementById('f-rev').dispatchEvent(new Event('input'))")
    assert browser.js("document.body.dataset.shown") == "3"

    browser.click("#rv-download")
    done = browser.wait_for("Browser.downloadProgress", state="completed", timeout=20)
    assert browser.errors() == []
    rows = [json.loads(line) for line in Path(done["params"]["filePath"]).read_text(encoding="utf-8").splitlines()]
    got = {r["id"]: r for r in rows}
    assert len(rows) == 3 and set(got) == {a["id"], b["id"], c["id"]}  # only the passages a person touched
    assert got[a["id"]]["phase"] == "founding" and got[a["id"]]["poles"] == a["poles"]
    assert got[b["id"]]["phase"] == b["phase"] and set(got[b["id"]]["poles"]) == {*b["poles"], "trust"}
    assert (got[c["id"]]["phase"], got[c["id"]]["poles"]) == (c["phase"], c["poles"])
    for p in (a, b, c):
        r = got[p["id"]]
        m = r["meta"]
        assert r["text"] == p["text"] and r["doc_id"] == p["doc_id"]
        assert m["reviewed"] is True and m["reviewer"] == "Ann Reviewer" and m["reviewed_at"].endswith("Z")
        assert m["model_labels"] == {"phase": p["phase"], "poles": p["poles"], "response": p["response"]}
        assert (m["path"], m["start"], m["end"]) == (p["path"], p["start"], p["end"])

    runner = CliRunner()
    reviewed = tmp_path / "reviewed.jsonl"
    r = runner.invoke(app, ["annotations", "import", "--from", "review", done["params"]["filePath"],
                            "--out", str(reviewed)])
    assert r.exit_code == 0 and "3 passages" in r.output, r.output
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"documents": {"a1-doc": "train", "a3-doc": "train", "a2-doc": "dev",
                                                "a4-doc": "test"}}), encoding="utf-8")
    model = tmp_path / "model"
    r = runner.invoke(app, ["train", str(tiny_corpus_file), str(reviewed), "--out", str(model), "--backend", "tfidf",
                            "--splits", str(splits), "--parent", "default@2.0.0"])
    assert r.exit_code == 0, r.output
    lineage = json.loads((model / "config.json").read_text(encoding="utf-8"))["training"]
    assert lineage["reviewed_passages"] == 3 == lineage["reviewed_in_train"]
    assert lineage["reviewers"] == ["Ann Reviewer"] and lineage["n"]["train"] == 20 + 3
    assert "reviewed in a report: 3 passages" in (model / "README.md").read_text(encoding="utf-8")
    assert time.perf_counter() - t0 < 60


def test_report_prints_to_pdf_with_nothing_cut_off(report, browser):
    """At the width of an A4 page (190 mm printable, 718 CSS pixels) in print media, nothing is wider than the
    page, and the PDF holds every document."""
    browser.open((report / "report.html").as_uri())
    browser.js("document.querySelectorAll('details').forEach(d => d.open = false)")
    browser.send("Emulation.setEmulatedMedia", media="print")
    browser.send("Emulation.setDeviceMetricsOverride", width=718, height=1000, deviceScaleFactor=1, mobile=False)
    assert browser.js("getComputedStyle(document.getElementById('review')).display") == "none"
    wide = browser.js("""[...document.querySelectorAll('main *')].filter(el => el.getClientRects().length
        && el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map(el => el.tagName)""")
    assert wide == [] and browser.js("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    pdf = base64.b64decode(browser.send("Page.printToPDF", paperWidth=8.27, paperHeight=11.69)["data"])
    assert pdf[:5] == b"%PDF-" and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3
    assert browser.js("[...document.querySelectorAll('details')].every(d => d.open)")  # opened for printing
