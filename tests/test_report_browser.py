"""The report in a real headless browser (Debian's Chromium, installed by scripts/install_browser.sh)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import batch

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]

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
