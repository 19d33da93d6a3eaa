"""Mistakes users make end in a clear message, and nothing is read twice (issue cases one by one)."""

import csv
import errno
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline.batch import run
from pipeline.cli import app
from pipeline.corpus import read_corpus
from pipeline.errors import CorpusError

runner = CliRunner()
TEXT = "De leden spraken lang met elkaar over de statuten en het secretariaat.\n\nThe board met in May.\n"


def test_an_output_folder_inside_the_input_is_never_read_back(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text(TEXT, encoding="utf-8")
    first = run([src], src / "results", model_path=str(tiny_model_dir))
    second = run([src], src / "results", model_path=str(tiny_model_dir))
    assert first.passages == second.passages == 2 and second.documents == 1
    assert second.output_folders_left_out == [str(src / "results")]
    # another run's output folder in the input is left out too, and the CLI says so once
    other = run([src], src / "elsewhere", model_path=str(tiny_model_dir))
    assert other.documents == 1 and sorted(other.output_folders_left_out) == sorted(
        [str(src / "elsewhere"), str(src / "results")])
    r = runner.invoke(app, ["tag", str(src), "--out", str(tmp_path / "o"), "--model", str(tiny_model_dir)])
    assert r.exit_code == 0 and r.output.count("output folder(s), never read as input") == 1


def test_out_naming_a_file_is_a_usage_error(tiny_model_dir, tmp_path):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    target = tmp_path / "taken.txt"
    target.write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["tag", str(tmp_path / "a.md"), "--out", str(target), "--model", str(tiny_model_dir)])
    assert r.exit_code == 2 and f"--out {target} is a file, not a folder" in r.output
    assert target.read_text(encoding="utf-8") == "x"


def test_wrong_types_in_input_jsonl_say_what_is_wrong(tiny_model_dir, tmp_path):
    lines = [{"id": "p1", "text": "Een goede passage over de statuten."}, {"id": "p3", "text": 5},
             {"id": ["x"], "text": "ok"}, {"id": "p5", "text": "ok", "lang": 7}, ["not", "an", "object"],
             {"id": "p7"}, {"id": "p8", "text": "   "}]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    s = run([f], tmp_path / "out", model_path=str(tiny_model_dir))
    messages = [e["message"] for e in s.errors]
    assert s.passages == 1
    assert messages == ["line 2: field 'text' must be a string, got a number",
                        "line 3: field 'id' must be a string, got a list",
                        "line 4: field 'lang' must be a string (nl, en or other), got a number",
                        "line 5: expected a JSON object, got a list",
                        "line 6: field 'text' is missing",
                        "line 7: field 'text' is empty",
                        "line 8: malformed JSON (Expecting property name enclosed in double quotes at column 2)"]


def test_wrong_types_in_the_corpus_say_what_is_wrong(tmp_path):
    import pytest

    base = {"id": "d#1", "text": "Tekst.", "phase": "none"}
    cases = [({**base, "text": 5}, "field 'text': must be a string, got a number"),
             ({**base, "id": 12}, "field 'id': must be a string, got a number"),
             ({**base, "phase": ["none"]}, "field 'phase': must be a string (a phase id), got a list"),
             ({**base, "poles": "trust"}, "field 'poles': must be a list of pole ids, got a string"),
             ({**base, "poles": [1]}, "field 'poles': must be a list of pole ids (strings), got an item that is a number"),
             ({**base, "meta": {"start": "3"}}, "field 'meta.start': must be a character offset"),
             ({**base, "meta": {"end": -1}}, "field 'meta.end': must be a character offset")]
    for rec, words in cases:
        f = tmp_path / "c.jsonl"
        f.write_text(json.dumps(rec) + "\n", encoding="utf-8")
        with pytest.raises(CorpusError) as e:
            read_corpus(f)
        assert f"{f}:1: {words}" in str(e.value), str(e.value)


def test_refi_export_finds_the_sources_from_any_directory(tiny_model_dir, tmp_path, monkeypatch):
    """summary.json records the absolute input roots, so the export needs no --input-root (issue case 5)."""
    import zipfile

    project = tmp_path / "project"
    (project / "examples").mkdir(parents=True)
    (project / "examples" / "a.md").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(project)
    run(["examples"], tmp_path / "o", model_path=str(tiny_model_dir))  # a relative input, as a user types it
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["run"]["input_roots"] == [str(project / "examples")]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = runner.invoke(app, ["export", "refi", str(tmp_path / "o"), "--out", str(tmp_path / "p.qdpx")])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        texts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("sources/")]
    assert texts == [TEXT.rstrip("\n")] or texts == [TEXT]


# --------------------------------------------------------------------------- case 3: an unwritable output folder

DOCS = {f"d{i}.md": f"Document {i}. De leden spraken over de statuten en het secretariaat.\n\n"
                    f"The board met in May and agreed on the targets of year {2000 + i}.\n" for i in range(3)}


def _inputs(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _tag(args, model):
    return runner.invoke(app, ["tag", *map(str, args), "--model", str(model), "-q"])


@pytest.mark.parametrize("code, cause, where", [
    (errno.ENOSPC, "no space left on device (ENOSPC)", "second part"),
    (errno.EACCES, "permission denied (EACCES)", "report"),
    (errno.EROFS, "read-only file system (EROFS)", "folder"),
])
def test_an_unwritable_output_folder_ends_in_one_line_and_the_next_run_resumes(code, cause, where, tiny_model_dir,
                                                                               tmp_path, monkeypatch):
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    real_replace, real_mkdir = os.replace, os.mkdir
    parts_done = []

    def replace(a, b, *args, **kw):
        b = str(b)
        if where == "second part" and f"{os.sep}.parts{os.sep}" in b:
            if len(parts_done) == 1:
                raise OSError(code, os.strerror(code))
            parts_done.append(b)
        if where == "report" and b.endswith("report.html"):
            raise OSError(code, os.strerror(code), a)
        return real_replace(a, b, *args, **kw)

    def mkdir(path, *args, **kw):
        if where == "folder" and str(path) == str(out):
            raise OSError(code, os.strerror(code), str(path))
        return real_mkdir(path, *args, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "mkdir", mkdir)
    r = _tag([src, "--out", out], tiny_model_dir)
    monkeypatch.undo()
    named = {"second part": str(out / ".parts"), "report": str(out), "folder": str(out)}[where]
    lines = r.output.strip().splitlines()
    assert r.exit_code == 3 and len(lines) == 1, r.output
    assert lines[0].startswith(f"error: cannot write {named}") and cause in lines[0], lines[0]
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    kept = sorted(p.name for p in (out / ".parts").glob("*")) if (out / ".parts").exists() else []
    assert not [k for k in kept if k.endswith(".tmp")]  # no half-written part is left
    assert len(kept) == {"second part": 1, "report": 3, "folder": 0}[where]
    assert not (out / "report.html").exists() and not list(out.glob(".*.tmp"))
    again = run([src], out, model_path=str(tiny_model_dir))  # room again: the next run resumes
    assert (again.skipped, again.tagged) == (len(kept), 3 - len(kept)) and again.exit_code == 0
    fresh = run([src], tmp_path / "fresh", model_path=str(tiny_model_dir))
    assert (out / "passages.jsonl").read_bytes() == (tmp_path / "fresh" / "passages.jsonl").read_bytes()
    assert fresh.passages == again.passages == 6


def test_an_unwritable_part_in_a_worker_process_stops_the_run_with_the_same_line(tiny_model_dir, tmp_path):
    """Two workers: the error raised in a worker process reaches the command as the same one line."""
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    (out / ".parts").mkdir(parents=True)
    for name in DOCS:  # a folder where each part should go: the rename into place fails in the worker
        from pipeline.parts import part_path

        part_path(out, name).mkdir()
    r = _tag([src, "--out", out, "--workers", "2"], tiny_model_dir)
    lines = r.output.strip().splitlines()
    assert r.exit_code == 3 and len(lines) == 1 and lines[0].startswith(f"error: cannot write {out / '.parts'}"), \
        r.output


def _mount_tmpfs(folder, size):
    folder.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" if not folder.is_mount() else f"remount,size={size}"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


@pytest.mark.slow
def test_a_full_disk_on_a_small_tmpfs_keeps_the_finished_parts_and_resumes(tiny_model_dir, tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    src = tmp_path / "in"
    src.mkdir()
    para = "De werkgroep voerde lange gesprekken om de leden bij elkaar te houden, en de statuten regelen de stem. "
    for i in range(8):
        (src / f"doc{i}.md").write_text("\n\n".join(f"{i}.{j} {para}" for j in range(12)), encoding="utf-8")
    out = tmp_path / "small"
    if not _mount_tmpfs(out, "64k"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        cmd = [sys.executable, "-m", "pipeline", "tag", str(src), "--out", str(out), "--model", str(tiny_model_dir),
               "-q"]
        full = subprocess.run(cmd, capture_output=True, text=True)
        lines = full.stderr.strip().splitlines()
        assert full.returncode == 3 and len(lines) == 1, full.stderr
        assert "no space left on device (ENOSPC)" in lines[0] and str(out) in lines[0]
        kept = [p for p in (out / ".parts").iterdir()]
        assert kept and not [p for p in kept if p.name.endswith(".tmp")]
        assert _mount_tmpfs(out, "16m")  # room again, the same files
        again = subprocess.run(cmd + ["--json"], capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        s = json.loads(again.stdout)
        assert s["skipped"] == len(kept) and s["tagged"] == 8 - len(kept) and s["passages"] == 96
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)


# --------------------------------------------------------------------------- case 6: a source changed since tagging

def test_a_source_changed_after_its_last_passage_is_not_exported_as_if_unchanged(tiny_model_dir, tmp_path):
    import zipfile

    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    run([src], out, model_path=str(tiny_model_dir))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    from pipeline.sources import content_hash

    assert summary["run"]["source_hashes"] == {n: content_hash(str(src / n)) for n in DOCS}
    with (src / "d1.md").open("a", encoding="utf-8") as fh:  # the passages' offsets still match
        fh.write("\nA line added after tagging.\n")
    qdpx = tmp_path / "p.qdpx"
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(qdpx)])
    assert r.exit_code == 1 and not qdpx.exists()
    assert f"{src / 'd1.md'} changed since it was tagged" in r.output, r.output
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(qdpx), "--missing", "skip"])
    assert r.exit_code == 0 and "skipped (source missing or changed): d1.md" in r.output, r.output
    with zipfile.ZipFile(qdpx) as zf:
        assert len([n for n in zf.namelist() if n.startswith("sources/")]) == 2
    # an output folder from before summary.json recorded the hashes: the part files still know them
    summary["run"].pop("source_hashes")
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(qdpx)])
    assert r.exit_code == 1 and "d1.md changed since it was tagged" in r.output, r.output
    # retagged, it exports again
    run([src], out, model_path=str(tiny_model_dir))
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(qdpx)])
    assert r.exit_code == 0, r.output


# --------------------------------------------------------------------------- case 7: pre-labels never come back as gold

def _tagged(tiny_model_dir, tmp_path):
    from pipeline.exchange.tagged import read_tagged

    src = _inputs(tmp_path / "in")
    run([src], tmp_path / "out", model_path=str(tiny_model_dir))
    passages = read_tagged(tmp_path / "out")
    assert len(passages) == 6
    return passages


def _other_phase(phase):
    return "none" if phase != "none" else "forming"


def _returned(fmt, exported, dest, changed, reviewed):
    """What the tool gives back when nobody touched the rows but ``changed`` (its phase corrected) and
    ``reviewed`` (marked by a reviewer, labels unchanged): each tool's default export of all rows."""
    mark = {"reviewed": True, "reviewer": "anna", "reviewed_at": "2025-03-14T09:30:00Z"}
    if fmt == "labelstudio":  # annotations made from the predictions, as Label Studio's bulk action does
        tasks = json.loads(exported.read_text(encoding="utf-8"))
        for n, t in enumerate(tasks):
            t["id"] = n + 1
            result = t["predictions"][0]["result"]
            if n == changed:
                result = [dict(r, value={"choices": [_other_phase(r["value"]["choices"][0])]})
                          if r["from_name"] == "phase" else r for r in result]
            if n == reviewed:
                t["data"]["meta"].update(mark)
            t["annotations"] = [{"id": n + 1, "completed_by": 1, "result": result}]
        dest.write_text(json.dumps(tasks), encoding="utf-8")
        return dest
    if fmt == "csv":
        with exported.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows[changed]["phase"] = _other_phase(rows[changed]["phase"])
        rows[reviewed]["meta"] = json.dumps({**json.loads(rows[reviewed]["meta"]), **mark})
        with dest.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        return dest
    out = []
    for n, line in enumerate(exported.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        key = {"prodigy": "accept", "doccano": "label"}[fmt]
        if n == changed:
            rec[key] = [f"phase:{_other_phase(x.split(':')[1])}" if x.startswith("phase:") else x for x in rec[key]]
        if n == reviewed:
            rec["paradox_meta" if fmt == "prodigy" else "meta"].update(mark)
        if fmt == "prodigy":
            rec.update(answer="accept", _annotator_id="session-1")
        else:
            rec = {"id": n + 1, **rec}
        out.append(json.dumps(rec))
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")
    return dest


@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy", "doccano", "csv"])
def test_unreviewed_pre_labels_are_left_out_by_every_tool(fmt, tiny_model_dir, tmp_path):
    from pipeline.exchange import import_annotations, tool

    passages = _tagged(tiny_model_dir, tmp_path)
    exported = tool(fmt).export(passages, tmp_path / f"tasks.{fmt}")
    back = _returned(fmt, exported, tmp_path / f"back.{fmt}", changed=1, reviewed=4)
    kept, report = import_annotations(back, fmt)
    assert [p.id for p in kept] == [passages[1].id, passages[4].id]
    assert kept[0].phase == _other_phase(passages[1].phase) and kept[1].meta["reviewer"] == "anna"
    assert [u["id"] for u in report.unreviewed] == [p.id for i, p in enumerate(passages) if i not in (1, 4)]
    kept, report = import_annotations(back, fmt, accept_unreviewed=True)
    assert len(kept) == 6 and report.accepted_unreviewed == 4 and not report.unreviewed
    r = runner.invoke(app, ["annotations", "import", "--from", fmt, str(back), "--out", str(tmp_path / "c.jsonl")])
    assert r.exit_code == 0 and "2 passages" in r.output, r.output
    assert ("left out 4 row(s) whose labels are still the model's pre-labels, with no reviewer mark" in r.output
            and "--accept-unreviewed" in r.output)


def test_a_refi_project_returned_untouched_gives_no_annotations(tiny_model_dir, tmp_path):
    import xml.etree.ElementTree as ET
    import zipfile

    from pipeline.exchange import import_annotations
    from pipeline.exchange.refi import NS_PROJECT, write_qdpx

    _tagged(tiny_model_dir, tmp_path)
    write_qdpx(tmp_path / "out", tmp_path / "p.qdpx")
    kept, report = import_annotations(tmp_path / "p.qdpx", "refi")
    assert kept == [] and len(report.unreviewed) == 6
    assert len(import_annotations(tmp_path / "p.qdpx", "refi", accept_unreviewed=True)[0]) == 6
    # a person codes one span in the QDA program: that span is theirs
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    ET.register_namespace("", NS_PROJECT)
    root = ET.fromstring(files["project.qde"])
    q = f"{{{NS_PROJECT}}}"
    ET.SubElement(root.find(f"{q}Users"), f"{q}User", {"guid": "u-anna", "name": "Anna"})
    sel = next(root.iter(f"{q}PlainTextSelection"))
    for coding in sel.iter(f"{q}Coding"):
        coding.set("creatingUser", "u-anna")
    files["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(tmp_path / "coded.qdpx", "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    kept, report = import_annotations(tmp_path / "coded.qdpx", "refi")
    assert len(kept) == 1 and kept[0].meta["reviewer"] == "Anna" and len(report.unreviewed) == 5


def test_the_same_situation_is_worded_the_same_for_every_export(tmp_path):
    """Two annotations by one user on one task: Label Studio's JSON export (one task, two annotations) and its
    JSON-MIN export (two rows) give the same conflict, in the same words."""
    choice = lambda name, value: {"from_name": name, "to_name": "text", "type": "choices",  # noqa: E731
                                  "value": {"choices": [value]}}
    data = {"text": "De statuten regelen alles.", "passage_id": "d#1"}
    full = [{"id": 1, "data": data, "annotations": [
        {"result": [choice("phase", "founding")], "completed_by": 7, "updated_at": "2024-01-01"},
        {"result": [choice("phase", "none")], "completed_by": 7, "updated_at": "2024-01-02"}]}]
    flat = [{"id": 1, **data, "phase": "founding", "annotator": 7}, {"id": 1, **data, "phase": "none", "annotator": 7}]
    lines = []
    for name, content in (("full.json", full), ("min.json", flat)):
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
        r = runner.invoke(app, ["annotations", "import", "--from", "labelstudio", str(tmp_path / name), "--out",
                                str(tmp_path / "c.jsonl")])
        (line,) = [x for x in r.output.splitlines() if "conflict:" in x]
        lines.append(line)
    words = "conflict: one passage annotated more than once, with different labels: 'd#1' at"
    assert all(words in x and "(annotators: 7, 7): founding; poles: -; response: - vs none;" in x for x in lines), lines
