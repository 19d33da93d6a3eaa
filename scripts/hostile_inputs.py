"""Hostile inputs: each tagged alone and all in one batch, with the wall time and peak memory (RSS) of each run.

    .venv/bin/python scripts/hostile_inputs.py            # the full sizes (200 MB of text: minutes, ~2 GB of disk)
    .venv/bin/python scripts/hostile_inputs.py --scale 0.01

The inputs, at --scale 1: a 200 MB text file, a PDF of 10,000 empty pages, a docx of a million one-word
paragraphs, an HTML file of 100,000 nested elements; and one ordinary document beside them. Each must end
within bounded time and memory, or fail with a clear message, and none may stop the batch
(tests/test_hostile_inputs.py runs the same at a smaller scale).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARA = ("De werkgroep voerde lange gesprekken om de leden bij elkaar te houden, en de statuten regelen de "
        "stemverhouding en het secretariaat. The board met in May and agreed on the targets of the network.")
GOOD = "Het bestuur is tevreden over de coöperatie.\n\nThe members agreed on a new charter and its fees.\n"


def make_text(path: Path, megabytes: float) -> None:
    block = ("\n\n".join(f"{i} {PARA}" for i in range(1000)) + "\n\n").encode("utf-8")
    left = int(megabytes * 1e6)
    with path.open("wb") as fh:
        while left > 0:
            fh.write(block[:left])
            left -= len(block)


def make_pdf(path: Path, pages: int) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    with path.open("wb") as fh:
        w.write(fh)


def make_docx(path: Path, paragraphs: int) -> None:
    """A docx whose body is ``paragraphs`` one-word paragraphs, its XML written directly (python-docx would
    take minutes to add a million)."""
    import zipfile

    import docx

    base = Path(tempfile.mkdtemp()) / "base.docx"
    docx.Document().save(base)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "word/document.xml":
                with dst.open(item, "w") as fh:
                    fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ns}><w:body>'
                             .encode())
                    run = b"<w:p><w:r><w:t>woord</w:t></w:r></w:p>"
                    for _ in range(paragraphs // 1000):
                        fh.write(run * 1000)
                    fh.write(run * (paragraphs % 1000) + b"</w:body></w:document>")
            else:
                dst.writestr(item, src.read(item.filename))


def make_html(path: Path, depth: int) -> None:
    path.write_text("<!doctype html><html><body>" + "<div>" * depth + "<p>Diep verstopt staat een zin over de "
                    "statuten.</p>" + "</div>" * depth + "</body></html>", encoding="utf-8")


def make_inputs(folder: Path, scale: float = 1.0) -> dict[str, Path]:
    """The hostile inputs at ``scale`` (1: the full sizes) and one ordinary document, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"text": folder / "huge.txt", "pdf": folder / "empty-pages.pdf", "docx": folder / "tiny-paragraphs.docx",
             "html": folder / "deep.html", "good": folder / "good.md"}
    make_text(paths["text"], 200 * scale)
    make_pdf(paths["pdf"], max(1, int(10_000 * scale)))
    make_docx(paths["docx"], max(1, int(1_000_000 * scale)))
    make_html(paths["html"], max(1, int(100_000 * scale)))
    paths["good"].write_text(GOOD, encoding="utf-8")
    return paths


def measure(args: list[str]) -> dict:
    """``paradox ARGS --json -q`` in a child process: its exit status, wall time, peak RSS and summary."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args, "--json", "-q"], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS (ru_maxrss, KiB on Linux)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    summary = json.loads(text) if text.strip() else {}
    return {"exit": proc.returncode, "seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "passages": summary.get("passages"),
            "errors": [f"{e['path']}: {e['kind']}: {e['message']}" for e in summary.get("errors", [])],
            "stderr": problems.strip()[-300:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (default 1)")
    ap.add_argument("--work", type=Path, help="folder for the inputs and outputs (default: a temporary one)")
    ap.add_argument("--model", help="model folder (default: the shipped one)")
    ap.add_argument("--no-batch", action="store_true", help="only each input alone, not all in one batch")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="hostile-"))
    t0 = time.perf_counter()
    paths = make_inputs(work / "in", args.scale)
    print(f"inputs made in {time.perf_counter() - t0:.0f} s in {work / 'in'}: "
          + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in paths.values()), flush=True)
    model = ["--model", args.model] if args.model else []
    rows = {}
    for kind in ("text", "pdf", "docx", "html"):  # each alone: its own time and peak memory
        rows[kind] = measure(["tag", str(paths[kind]), "--out", str(work / f"out-{kind}"), *model])
        print(kind, json.dumps(rows[kind], ensure_ascii=False), flush=True)
    if args.no_batch:
        return 0
    rows["batch"] = measure(["tag", str(work / "in"), "--out", str(work / "out-all"), *model])
    print("batch", json.dumps(rows["batch"], ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
