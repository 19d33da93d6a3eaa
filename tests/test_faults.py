"""Fault injection: a run killed at any point resumes to the outputs of an uninterrupted run; a damaged part
file is tagged again; two runs into one folder never mix their outputs."""

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import lock_folder, run
from pipeline.cli import app
from pipeline.parts import part_path, read_part

runner = CliRunner()
PARA = ("De werkgroep voerde lange gesprekken om de leden bij elkaar te houden. The board met in May and agreed "
        "on the targets, the fees and the admission criteria of the network.")
DOCS = {f"{sub}d{i}.md": "\n\n".join(f"{i}.{j} {PARA}" for j in range(6 + i)) for i, sub in
        enumerate(["", "", "a/", "a/", "b/", "b/"])}
TABLES = ("passages.jsonl", "passages.csv", "documents.csv", "errors.jsonl")


def _inputs(folder: Path) -> Path:
    for name, text in DOCS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _report(path: Path) -> str:
    """The report without what differs between any two runs: the time it finished and the run's key."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "TIME", text)
    return re.sub(r'"key": "[0-9a-f]+"', '"key": "KEY"', text)


def outputs(out: Path) -> dict:
    got = {f: (out / f).read_bytes() for f in TABLES}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    got["statistics"] = summary["statistics"]
    got["run"] = {k: summary["run"][k] for k in ("documents", "failed", "passages", "model", "source_hashes")}
    got["report"] = _report(out / "report.html")
    import pyarrow.parquet as pq

    got["parquet"] = pq.read_table(out / "passages.parquet").to_pylist()
    return got


def assert_nothing_half_written(out: Path) -> None:
    """Whatever a killed run left: each output is absent or whole, each part whole or absent."""
    if (out / "passages.jsonl").exists():
        for line in (out / "passages.jsonl").read_text(encoding="utf-8").splitlines():
            json.loads(line)
    if (out / "summary.json").exists():
        json.loads((out / "summary.json").read_text(encoding="utf-8"))
    if (out / "report.html").exists():
        assert (out / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    for part in (out / ".parts").glob("*.jsonl") if (out / ".parts").exists() else []:
        p = read_part(out, json.loads(part.open(encoding="utf-8").readline())["rel"])
        assert p is not None and p.intact()


@pytest.fixture(scope="module")
def reference(tiny_model_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("uninterrupted")
    run([_inputs(base / "in")], base / "out", model_path=str(tiny_model_dir))
    return outputs(base / "out")


# --------------------------------------------------------------------------- damaged parts

@pytest.mark.parametrize("damage", ["a passage line changed", "a passage line lost", "the end line cut",
                                    "the header garbled", "an empty file"])
def test_a_damaged_part_is_tagged_again(damage, reference, tiny_model_dir, tmp_path):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    run([src], out, model_path=str(tiny_model_dir))
    part = part_path(out, "a/d2.md")
    lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "a passage line changed":
        lines[2] = lines[2].replace('"phase": "', '"phase": "x', 1)
    elif damage == "a passage line lost":
        del lines[3]
    elif damage == "the end line cut":
        lines[-1] = lines[-1][:10]
    elif damage == "the header garbled":
        lines[0] = "{not json\n"
    else:
        lines = []
    part.write_text("".join(lines), encoding="utf-8")
    again = run([src], out, model_path=str(tiny_model_dir))
    assert (again.tagged, again.skipped, again.failed) == (1, 5, 0)
    assert outputs(out) == reference


# --------------------------------------------------------------------------- two runs into one folder

def test_a_second_run_into_a_folder_in_use_stops_with_one_line(reference, tiny_model_dir, tmp_path):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    held = lock_folder(out)  # a run in progress (the lock is per open file, so it holds against this process too)
    try:
        r = runner.invoke(app, ["tag", str(src), "--out", str(out), "--model", str(tiny_model_dir), "-q"])
        lines = r.output.strip().splitlines()
        assert r.exit_code == 3 and len(lines) == 1, r.output
        assert f"cannot write {out}: another run (process {os.getpid()}) is writing to it" in lines[0]
        assert sorted(p.name for p in out.iterdir()) == [".lock"]  # it wrote nothing
    finally:
        held.close()
    r = runner.invoke(app, ["tag", str(src), "--out", str(out), "--model", str(tiny_model_dir), "-q"])
    assert r.exit_code == 0 and outputs(out) == reference


# --------------------------------------------------------------------------- killed runs

KILLER = """
import os, signal, sys
from pipeline import parts
from pipeline.output import assemble
where, n = sys.argv[1], int(sys.argv[2])
calls = [0]

def kill_at_call():
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)

if where == "tagging":  # in the middle of a document's part
    write = parts.PartWriter.write
    def w(self, result, passages):
        write(self, result, passages[:1])
        kill_at_call()
        write(self, result, passages[1:])
    parts.PartWriter.write = w
elif where == "assembly":  # in the middle of passages.jsonl, .csv and .parquet
    flat_values = assemble.flat_values
    def f(p):
        kill_at_call()
        return flat_values(p)
    assemble.flat_values = f
elif where == "report":  # in the middle of report.html
    from pipeline.output import report
    render_iter = report.render_iter
    def r(*a, **kw):
        for piece in render_iter(*a, **kw):
            kill_at_call()
            yield piece
    report.render_iter = r
from pipeline.cli import main
sys.argv = ["paradox"] + sys.argv[3:]
main()
"""


def _paradox(args, tiny_model_dir, kill=None):
    cmd = ["tag", *map(str, args), "--model", str(tiny_model_dir), "-q"]
    if kill:
        return subprocess.run([sys.executable, "-c", KILLER, *map(str, kill), *cmd], capture_output=True, text=True)
    return subprocess.run([sys.executable, "-m", "pipeline", *cmd], capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("where, n", [("tagging", 3), ("assembly", 20), ("report", 5)])
def test_a_run_killed_while_it_writes_resumes_to_the_same_outputs(where, n, reference, tiny_model_dir, tmp_path):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    if where != "tagging":  # an earlier run's outputs are there: a killed run leaves them as they were, or whole
        run([src], out, model_path=str(tiny_model_dir), force=True)
    killed = _paradox([src, "--out", out, "--force"], tiny_model_dir, kill=(where, n))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert_nothing_half_written(out)
    assert list(out.glob(".*.tmp")) or list((out / ".parts").glob(".*.tmp"))  # it was killed mid-file
    done = _paradox([src, "--out", out], tiny_model_dir)
    assert done.returncode == 0, done.stderr
    assert not list(out.glob(".*.tmp")) and not list((out / ".parts").glob(".*.tmp"))
    assert outputs(out) == reference


@pytest.mark.slow
def test_a_run_killed_at_random_times_resumes_to_the_same_outputs(reference, tiny_model_dir, tmp_path):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    rng = random.Random(16)
    cmd = [sys.executable, "-m", "pipeline", "tag", str(src), "--out", str(out), "--model", str(tiny_model_dir), "-q"]
    t0 = time.perf_counter()
    subprocess.run(cmd + ["--force"], capture_output=True, check=True)
    whole = time.perf_counter() - t0
    for _ in range(4):
        proc = subprocess.Popen(cmd + ["--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_nothing_half_written(out)
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert outputs(out) == reference


@pytest.mark.slow
def test_two_runs_started_together_into_one_folder_never_mix(reference, tiny_model_dir, tmp_path):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "tag", str(src), "--out", str(out), "--model", str(tiny_model_dir), "-q"]
    procs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0 or (code == 3 and "another run" in err and "is writing to it" in err), err
    assert outputs(out) == reference
