import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch

GOOD_NL = "# Notulen\n\nDe leden spraken lang met elkaar over de statuten en het secretariaat.\n"
GOOD_EN = "The founders met over a long dinner and decided to explore a joint fund together.\n"


def make_folder(root: Path) -> Path:
    (root / "alliance a").mkdir(parents=True)
    (root / "alliance a" / "notulen één.md").write_text(GOOD_NL, encoding="utf-8")
    (root / "alliance a" / "letter.txt").write_text(GOOD_EN, encoding="utf-8")
    (root / "b").mkdir()
    (root / "b" / "cp1252.txt").write_bytes("Het café en de coöperatie delen één doel: samen verder.".encode("cp1252"))
    (root / "b" / "utf16.txt").write_bytes(GOOD_EN.encode("utf-16"))
    (root / "b" / "empty.txt").write_bytes(b"")
    (root / "b" / "junk.pdf").write_bytes(os.urandom(2000))
    (root / "b" / "junk.txt").write_bytes(os.urandom(2000))
    (root / "b" / "german.txt").write_text("Der Vorstand hat am Dienstag über die neuen Mitglieder beraten und "
                                           "einen Beschluss gefasst.", encoding="utf-8")
    return root


@pytest.mark.slow
def test_bad_inputs_are_reported_and_the_rest_tagged(tiny_model_dir, tmp_path):
    src = make_folder(tmp_path / "in")
    out = tmp_path / "out"
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    assert s.exit_code == 1
    errs = [json.loads(l) for l in (out / "errors.jsonl").read_text().splitlines()]
    assert {(e["path"], e["kind"]) for e in errs} == {("b/empty.txt", "empty"), ("b/junk.pdf", "corrupt"),
                                                      ("b/junk.txt", "decode")}
    assert all(e["message"] for e in errs)
    passages = [json.loads(l) for l in (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
    paths = {p["path"] for p in passages}
    assert paths == {"alliance a/notulen één.md", "alliance a/letter.txt", "b/cp1252.txt", "b/utf16.txt",
                     "b/german.txt"}
    langs = {p["path"]: p["lang"] for p in passages}
    assert langs["b/german.txt"] == "other" and langs["b/cp1252.txt"] == "nl" and langs["b/utf16.txt"] == "en"
    cp = next(p for p in passages if p["path"] == "b/cp1252.txt")
    assert "coöperatie" in cp["text"]
    for f in ("passages.csv", "passages.parquet", "documents.csv", "summary.json", "report.html"):
        assert (out / f).stat().st_size > 0


def test_resume_skips_unchanged_and_force_redoes(tiny_model_dir, tmp_path):
    src = make_folder(tmp_path / "in")
    out = tmp_path / "out"
    first = batch.run([src], out, model_path=str(tiny_model_dir))
    before = (out / "passages.jsonl").read_text(encoding="utf-8")
    second = batch.run([src], out, model_path=str(tiny_model_dir))
    assert second.skipped == first.tagged == 5 and second.tagged == 0
    assert (out / "passages.jsonl").read_text(encoding="utf-8") == before
    (src / "alliance a" / "letter.txt").write_text(GOOD_EN + "\nA new paragraph was added.\n", encoding="utf-8")
    third = batch.run([src], out, model_path=str(tiny_model_dir))
    assert third.tagged == 1 and third.skipped == 4
    forced = batch.run([src], out, model_path=str(tiny_model_dir), force=True)
    assert forced.skipped == 0 and forced.tagged == 5


def test_workers_give_the_same_passages(tiny_model_dir, tmp_path):
    src = make_folder(tmp_path / "in")
    for i in range(6):
        (src / f"doc{i}.md").write_text(GOOD_NL + f"\nParagraaf nummer {i} over de leden.\n", encoding="utf-8")
    batch.run([src], tmp_path / "one", model_path=str(tiny_model_dir), workers=1)
    batch.run([src], tmp_path / "two", model_path=str(tiny_model_dir), workers=2)
    assert (tmp_path / "one" / "passages.jsonl").read_bytes() == (tmp_path / "two" / "passages.jsonl").read_bytes()


def test_worker_processes_start_only_for_documents_to_tag(tiny_model_dir, tmp_path, monkeypatch):
    """A fresh run starts its workers at once; a rerun whose parts are all current starts none; a rerun with
    one changed document tags it here; --force starts them again."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"doc{i}.md").write_text(GOOD_NL + f"\nParagraaf nummer {i} over de leden.\n", encoding="utf-8")
    out = tmp_path / "out"
    started = []
    real = batch._pool
    monkeypatch.setattr(batch, "_pool", lambda *a: started.append(a) or real(*a))
    first = batch.run([src], out, model_path=str(tiny_model_dir), workers=2)
    assert len(started) == 1 and first.tagged == 4
    second = batch.run([src], out, model_path=str(tiny_model_dir), workers=2)
    assert len(started) == 1 and second.skipped == 4
    (src / "doc2.md").write_text(GOOD_EN + "\nOne more paragraph.\n", encoding="utf-8")
    third = batch.run([src], out, model_path=str(tiny_model_dir), workers=2)
    assert len(started) == 1 and third.tagged == 1
    forced = batch.run([src], out, model_path=str(tiny_model_dir), workers=2, force=True)
    assert len(started) == 2 and forced.tagged == 4


def test_jsonl_input_keeps_ids_and_reports_bad_lines(tiny_model_dir, tmp_path):
    f = tmp_path / "pre.jsonl"
    f.write_text(json.dumps({"id": "keep-me-1", "text": "The charter sets out voting rules."}) + "\n"
                 + "{broken\n" + json.dumps({"id": "keep-me-2", "text": "Aanwezig: Jan en Piet."}) + "\n",
                 encoding="utf-8")
    s = batch.run([f], tmp_path / "out", model_path=str(tiny_model_dir))
    ids = [json.loads(l)["id"] for l in (tmp_path / "out" / "passages.jsonl").read_text().splitlines()]
    assert ids == ["keep-me-1", "keep-me-2"]
    assert s.exit_code == 1
    err = json.loads((tmp_path / "out" / "errors.jsonl").read_text().splitlines()[0])
    assert err["kind"] == "bad_record" and "line 2" in err["message"]


def test_symlink_loop_and_vanishing_file(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(GOOD_EN, encoding="utf-8")
    (src / "sub" / "z.txt").write_text(GOOD_EN, encoding="utf-8")
    os.symlink(src, src / "sub" / "loop")
    os.symlink(src / "self.txt", src / "self.txt")

    def vanish(rel, done, total):
        if rel == "sub/a.txt":
            (src / "sub" / "z.txt").unlink()

    s = batch.run([src], tmp_path / "out", model_path=str(tiny_model_dir), progress=vanish)
    kinds = {(e["path"].split("/in/")[-1], e["kind"]) for e in s.errors}
    assert ("sub/z.txt", "missing") in kinds
    assert any(k == "symlink" and "loop" in p for p, k in kinds)
    assert any(k == "symlink" and "self.txt" in p for p, k in kinds)
    assert s.tagged == 1 and s.exit_code == 1


@pytest.mark.slow
def test_killed_run_resumes_and_completes(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(300):
        (src / f"d{i:03}.md").write_text(f"# Verslag {i}\n\n" + GOOD_NL * 3, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline.cli", "tag", str(src), "--out", str(out), "--model", str(tiny_model_dir),
           "--quiet"]
    proc = subprocess.Popen(cmd, cwd=Path(__file__).parent.parent)
    parts = out / ".parts"
    deadline = time.time() + 60
    while time.time() < deadline and (not parts.exists() or len(list(parts.glob("*.jsonl"))) < 20):
        assert proc.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("*.jsonl")))
    assert 0 < done < 300, done
    assert not (out / "passages.jsonl").exists()  # no half-written output
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    assert s.skipped >= done - 1 and s.skipped + s.tagged == 300 and s.failed == 0
    lines = (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    assert len({json.loads(l)["doc_id"] for l in lines}) == 300


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_passages(tiny_model_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    src = make_folder(tmp_path / "in")
    batch.run([src], tmp_path / "one", model_path=str(tiny_model_dir))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        s = batch.run([src], tmp_path / "dask", model_path=str(tiny_model_dir), scheduler=cl.scheduler_address)
    assert s.tagged == 5 and s.failed == 3
    assert (tmp_path / "one" / "passages.jsonl").read_bytes() == (tmp_path / "dask" / "passages.jsonl").read_bytes()
    assert (tmp_path / "one" / "errors.jsonl").read_bytes() == (tmp_path / "dask" / "errors.jsonl").read_bytes()


def test_tagged_record_is_to_dict_without_shared_state(tiny_model_dir):
    from pipeline.output.rows import TAGGED_FIELDS, tagged_record
    from pipeline.tagger import load_tagger

    tagged = load_tagger(tiny_model_dir).tag_text(GOOD_NL + "\nThe charter sets out voting rules and fees.\n")
    for t in tagged:
        d = tagged_record(t)
        assert d == t.to_dict() and list(d) == list(TAGGED_FIELDS)
        d["poles"].append("x")
        d["phase_scores"]["forming"] = -1.0
        assert "x" not in t.poles and t.phase_scores["forming"] != -1.0


def test_outputs_rebuilt_from_the_parts_are_the_same(tiny_model_dir, tmp_path):
    src = make_folder(tmp_path / "in")
    out = tmp_path / "out"
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    written = {f: (out / f).read_bytes() for f in ("passages.jsonl", "passages.csv", "documents.csv", "errors.jsonl")}
    sources, _ = batch.collect([src])
    from pipeline.output.assemble import write_outputs
    from pipeline.tagger import load_tagger

    write_outputs(out, sources, s, load_tagger(tiny_model_dir))
    assert {f: (out / f).read_bytes() for f in written} == written
    assert not list((out / ".parts").glob(".*.tmp"))  # no temporary part left behind


def test_outputs_have_ordinary_permissions(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text(GOOD_EN, encoding="utf-8")
    batch.run([src], tmp_path / "out", model_path=str(tiny_model_dir))
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "out" / "passages.jsonl").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_document_streams_into_its_part_chunk_by_chunk(tiny_model_dir, tmp_path, monkeypatch):
    """Tagged in chunks of 3 passages, a document's part gets each chunk as it is tagged; the part is
    renamed into place only when finished, and its passages are those of tagging the document whole."""
    from pipeline import parts, tagger as tagger_module
    from pipeline.tagger import load_tagger

    src = tmp_path / "in"
    src.mkdir()
    text = "\n\n".join(f"De leden spraken in ronde {i} lang met elkaar over de statuten." for i in range(10))
    (src / "a.md").write_text(text, encoding="utf-8")
    tagger = load_tagger(tiny_model_dir)
    whole = [t.to_dict() for t in tagger.tag_text(text, doc_id="a")]
    for t in whole:
        t["path"] = "a.md"
    monkeypatch.setattr(tagger_module, "CHUNK", 3)
    monkeypatch.setattr(tagger_module.Tagger.tag_document_stream, "__defaults__", (3,))
    seen = []
    real_write = parts.PartWriter.write

    def spy(self, result, passages):
        seen.append((len(passages), self.path.exists()))
        real_write(self, result, passages)

    monkeypatch.setattr(parts.PartWriter, "write", spy)
    out = tmp_path / "out"
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    assert s.tagged == 1 and s.passages == 10
    assert seen == [(3, False), (3, False), (3, False), (1, False)]  # four chunks, none visible until done
    part = parts.read_part(out, "a.md")
    assert part.end["passages"] == 10 and part.header["doc_id"] == "a"
    assert list(part.passages()) == whole
    assert [json.loads(l) for l in (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()] == whole


def test_a_torn_part_is_retagged_and_stale_temporary_parts_are_removed(tiny_model_dir, tmp_path):
    from pipeline import parts

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text(GOOD_NL, encoding="utf-8")
    (src / "b.md").write_text(GOOD_EN, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([src], out, model_path=str(tiny_model_dir))
    p = parts.part_path(out, "a.md")
    lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
    p.write_text("".join(lines[:-1]), encoding="utf-8")  # the end line lost
    (out / ".parts" / ".x.jsonl.123.tmp").write_text("{", encoding="utf-8")
    assert parts.read_part(out, "a.md") is None
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    assert (s.tagged, s.skipped) == (1, 1)
    assert parts.read_part(out, "a.md") is not None
    assert not list((out / ".parts").glob(".*.tmp"))


@pytest.mark.slow
def test_a_document_failing_midway_leaves_no_part(tiny_model_dir, tmp_path):
    """Binary bytes after the first megabyte: the document fails (its chunks already tagged are dropped),
    the error names it, and the next run tries it again."""
    from pipeline import parts

    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(b"Een gewone alinea over de leden.\n\n" * 40_000 + b"\x00" * 10)
    (src / "ok.md").write_text(GOOD_NL, encoding="utf-8")
    out = tmp_path / "out"
    s = batch.run([src], out, model_path=str(tiny_model_dir))
    assert s.failed == 1 and s.tagged == 1
    assert [(e["path"], e["kind"]) for e in s.errors] == [("big.txt", "decode")]
    assert not parts.part_path(out, "big.txt").exists()
    assert not list((out / ".parts").glob(".*.tmp"))
    assert {json.loads(l)["doc_id"] for l in (out / "passages.jsonl").read_text().splitlines()} == {"ok"}


def test_stats_recomputes_every_derived_output_and_keeps_years_from_metadata(tiny_model_dir, tmp_path):
    """`paradox stats` after a label correction: statistics, documents.csv, CSV and Parquet follow the
    corrected passages.jsonl; a year known only from a docx's properties survives the recomputation."""
    import csv

    import docx
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from pipeline.cli import app

    src = tmp_path / "in"
    (src / "g").mkdir(parents=True)
    d = docx.Document()
    d.add_paragraph("De leden spraken lang met elkaar over de statuten en het secretariaat.")
    d.core_properties.created = __import__("datetime").datetime(2015, 3, 1)
    d.save(src / "g" / "verslag.docx")
    (src / "g" / "2019-notulen.md").write_text(GOOD_NL, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([src], out, model_path=str(tiny_model_dir))
    before = json.loads((out / "summary.json").read_text())["statistics"]
    assert set(before["by_year"]) == {"2015", "2019"}
    lines = (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(l) for l in lines]
    for r in recs:  # a user's correction: every passage is transformation
        r["phase"] = "transformation"
    (out / "passages.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                                        encoding="utf-8")
    res = CliRunner().invoke(app, ["stats", str(out)])
    assert res.exit_code == 0, res.output
    after = json.loads((out / "summary.json").read_text())["statistics"]
    assert set(after["by_year"]) == {"2015", "2019"}
    assert after["overall"]["phase_counts"]["transformation"] == len(recs)
    assert {r["top_phase"] for r in csv.DictReader((out / "documents.csv").open())} == {"transformation"}
    assert {r["phase"] for r in csv.DictReader((out / "passages.csv").open())} == {"transformation"}
    assert set(pq.read_table(out / "passages.parquet").column("phase").to_pylist()) == {"transformation"}
    (out / "passages.jsonl").write_text(lines[0] + "\n{not json\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["stats", str(out)])
    assert res.exit_code == 1 and "passages.jsonl:2" in res.output
    assert {r["phase"] for r in csv.DictReader((out / "passages.csv").open())} == {"transformation"}  # untouched


def test_report_shows_at_most_the_cap_and_says_so(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.md").write_text(GOOD_NL + "\n" + GOOD_EN, encoding="utf-8")
    s = batch.run([src], tmp_path / "capped", model_path=str(tiny_model_dir), report_passages=4)
    html = (tmp_path / "capped" / "report.html").read_text(encoding="utf-8")
    assert s.passages == 9
    assert html.count("<span class=\"p") == 4 and "data-shown='4' data-total='9'" in html
    assert "The first 4 of 9 passages" in html
    batch.run([src], tmp_path / "all", model_path=str(tiny_model_dir), report_passages=0)
    html = (tmp_path / "all" / "report.html").read_text(encoding="utf-8")
    assert html.count("<span class=\"p") == 9 and "data-total" not in html


def test_parquet_in_row_groups_equals_one_table(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.output.rows import FLAT_COLUMNS as PASSAGE_COLUMNS
    from pipeline.output.tables import ParquetStream

    rows = [{c: (i if c in ("start", "end") else i % 2 == 0 if c == "uncertain" else
                 0.5 if c.startswith(("phase_", "pole_", "response_")) else f"{c}{i}") for c in PASSAGE_COLUMNS}
            for i in range(25)]
    with ParquetStream(tmp_path / "p.parquet", PASSAGE_COLUMNS, batch=10) as stream:
        for r in rows:
            stream.add(r)
    f = pq.ParquetFile(tmp_path / "p.parquet")
    assert f.metadata.num_row_groups == 3
    assert f.read().to_pylist() == pa.Table.from_pylist(rows).to_pylist()
    with pytest.raises(RuntimeError):
        with ParquetStream(tmp_path / "q.parquet", PASSAGE_COLUMNS, batch=10) as stream:
            stream.add(rows[0])
            raise RuntimeError("stop")
    assert not (tmp_path / "q.parquet").exists() and not list(tmp_path.glob(".q.parquet*"))
