"""Large inputs: a 50 MB text file and a 500-page PDF are tagged completely in bounded memory.

Each run is a separate process, so that its peak memory (``ru_maxrss``) is its own; a run ten times
larger must not need much more memory than the smaller one. (Before documents were streamed, the
50 MB file took 3.6 GB against 0.8 GB for 5 MB.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out; `make test` runs it

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import json, resource, sys
from pipeline import batch
s = batch.run([sys.argv[1]], sys.argv[2])
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "passages": s.passages, "failed": s.failed, "errors": s.errors}))
"""


def tag_in_subprocess(src: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(src), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "annotations" / "documents").rglob("*.md")))


def write_text_of_size(path: Path, size: int) -> None:
    blob = (corpus_text() + "\n\n").encode("utf-8")
    with path.open("wb") as fh:
        written = 0
        while written < size:
            fh.write(blob)
            written += len(blob)


def test_a_50_mb_text_file_is_tagged_whole_in_bounded_memory(tmp_path):
    small, large = tmp_path / "small.txt", tmp_path / "archive.txt"
    write_text_of_size(small, 5_000_000)
    write_text_of_size(large, 50_000_000)
    assert large.stat().st_size >= 50_000_000
    s = tag_in_subprocess(small, tmp_path / "out-small")
    big = tag_in_subprocess(large, tmp_path / "out-large")
    assert s["failed"] == big["failed"] == 0
    ratio = big["passages"] / s["passages"]
    size_ratio = large.stat().st_size / small.stat().st_size  # both files repeat the same text
    assert abs(ratio / size_ratio - 1) < 0.02, (ratio, size_ratio)  # every part of the file was tagged
    out = tmp_path / "out-large"
    with (out / "passages.jsonl").open(encoding="utf-8") as fh:
        n, last_end = 0, -1
        for line in fh:
            p = json.loads(line)
            assert p["start"] >= last_end  # in document order, no overlap
            last_end = p["end"]
            n += 1
        assert n == big["passages"]
    assert p["id"] == f"archive#{n}"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["statistics"]["overall"]["passages"] == n
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count('<span class="p') == 10_000 and f"data-total='{n}'" in report
    growth = big["rss_mb"] - s["rss_mb"]
    print(f"peak memory: 5 MB file {s['rss_mb']:.0f} MB, 50 MB file {big['rss_mb']:.0f} MB; "
          f"{s['passages']} vs {big['passages']} passages")
    assert growth < 150, (s["rss_mb"], big["rss_mb"])


def write_pdf(path: Path, pages: int) -> None:
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    paras = [" ".join(p.split()) for p in corpus_text().split("\n\n") if len(p.split()) > 8 and not p.startswith("#")]
    c = canvas.Canvas(str(path), pagesize=A4)
    i = 0
    for page in range(1, pages + 1):
        y = 800
        c.drawString(50, y, f"Hoofdstuk {page}.")
        y -= 28
        while True:
            lines = textwrap.wrap(paras[i % len(paras)], 95)
            if y - 14 * len(lines) < 70:
                break
            i += 1
            for ln in lines:
                c.drawString(50, y, ln)
                y -= 14
            y -= 14
        c.drawString(290, 40, str(page))  # a page number, to be dropped
        c.showPage()
    c.save()


def test_a_500_page_pdf_is_tagged_page_by_page_in_bounded_memory(tmp_path):
    short, book = tmp_path / "short.pdf", tmp_path / "book.pdf"
    write_pdf(short, 50)
    write_pdf(book, 500)
    s = tag_in_subprocess(short, tmp_path / "out-short")
    b = tag_in_subprocess(book, tmp_path / "out-book")
    assert s["failed"] == b["failed"] == 0, b["errors"]
    texts = [json.loads(line)["text"] for line in (tmp_path / "out-book" / "passages.jsonl").open(encoding="utf-8")]
    assert len(texts) == b["passages"] > 4000
    chapters = [int(t.split()[1].rstrip(".")) for t in texts if t.startswith("Hoofdstuk ")]
    assert chapters == list(range(1, 501))  # every page, in order
    assert not any(t.strip().isdigit() for t in texts)  # page numbers dropped
    print(f"peak memory: 50 pages {s['rss_mb']:.0f} MB, 500 pages {b['rss_mb']:.0f} MB")
    assert b["rss_mb"] - s["rss_mb"] < 150, (s["rss_mb"], b["rss_mb"])
