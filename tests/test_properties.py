"""Properties that hold for every input (Hypothesis): in every input format the passages' offsets map back into
the document's text; segmentation keeps every character of content exactly once; a run's outputs do not
depend on the worker count or on the order of the files. Bounded (max_examples) so that they run in seconds."""

import importlib.util
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.batch import run
from pipeline.ingest import open_document
from pipeline.segment import PAGE_NUMBER, paragraph_spans, segment
from pipeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("render_documents", ROOT / "scripts" / "render_documents.py")
render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render)

# any character a document can hold (no surrogates, controls, private or unassigned code points; no byte-order
# mark, which opens a text file as its encoding's signature), and whitespace of every kind
WHITESPACE = list(" \t\n\n\r\u00a0\u2028\u3000")
CHAR = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\ufeff")
TEXT = st.text(alphabet=st.one_of(CHAR, st.sampled_from(WHITESPACE)), max_size=300)
PARAGRAPHS = st.lists(st.tuples(st.sampled_from([0, 0, 0, 1, 2]), TEXT), min_size=1, max_size=6)
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def content(text: str) -> str:
    """The characters that are not whitespace, in order."""
    return "".join(text.split())


def check_passages(text: str, passages) -> None:
    """Offsets map back; passages are in order and never overlap; every character of content is in exactly one
    passage, except those of a paragraph that is a page number (dropped on purpose)."""
    covered = [0] * len(text)
    last = 0
    for p in passages:
        assert text[p.start:p.end] == p.text and p.text.strip() == p.text and p.text
        assert p.start >= last
        last = p.end
        for i in range(p.start, p.end):
            covered[i] += 1
    dropped = [False] * len(text)
    for s, e in paragraph_spans(text):
        if PAGE_NUMBER.match(text[s:e]):
            dropped[s:e] = [True] * (e - s)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i] and not dropped[i]]
    assert not lost, f"characters lost at {lost[:5]}: {text[lost[0]:lost[0] + 20]!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.one_of(CHAR, st.sampled_from(WHITESPACE + list(".!?:12"))), max_size=500))
def test_segmentation_never_loses_or_duplicates_a_character(text):
    check_passages(text, segment(Document("d", text), max_words=12))


def _extracted(path: Path) -> str:
    stream = open_document(path, doc_id="d")
    return "".join(stream.chunks)


def _tagged(tagger, path: Path):
    stream = open_document(path, doc_id="d")
    return [p for chunk in tagger.tag_document_stream(stream) for p in chunk]


@pytest.fixture(scope="module")
def tagger(tiny_model_dir):
    from pipeline.tagger import load_tagger

    return load_tagger(str(tiny_model_dir))


def _write(fmt: str, paras: list[tuple[int, str]], dest: Path) -> str:
    """The document written in ``fmt``; returns the text it holds (what a reader should find)."""
    if fmt in ("txt", "md"):
        text = "\n\n".join(("#" * lv + " " if lv and fmt == "md" else "") + t for lv, t in paras)
        dest.write_bytes(text.encode("utf-8"))
        return text
    render.WRITERS[fmt](paras, dest, "d")
    return "\n\n".join(t for _, t in paras)


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx", "odt"])
def test_offsets_map_back_and_no_content_is_lost_in_every_format(fmt, tagger):
    @BOUNDED
    @given(PARAGRAPHS)
    def check(paras):
        if fmt in ("docx", "odt", "html"):  # \r is a line end in XML and HTML: the reader sees \n
            paras = [(lv, t.replace("\r", "\n")) for lv, t in paras]
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / f"doc.{fmt}"
            written = _write(fmt, paras, dest)
            assume(content(written))
            text = _extracted(dest)
            assert text.split() == written.split()  # every word read, none added, none glued to the next
            passages = _tagged(tagger, dest)
            check_passages(text, passages)

    check()


@pytest.mark.slow
def test_offsets_map_back_in_pdf(tagger):
    """PDF: letters the embedded font has; the extracted text is the PDF library's, so only the offsets (and
    that some text comes back) are checked."""
    latin = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEZéëïöüçñß0123456789.,;:!?()-'  ")),
                    min_size=1, max_size=200)

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from([0, 0, 1]), latin), min_size=1, max_size=4))
    def check(paras):
        assume(any(content(t) for _, t in paras))
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "doc.pdf"
            render.WRITERS["pdf"](paras, dest, "d")
            text = _extracted(dest)
            assume(content(text))
            check_passages(text, _tagged(tagger, dest))

    check()


# --------------------------------------------------------------------------- the same output for any order and N

DOCS = {f"d{i}.{ext}": f"Document {i}. De leden spraken over de statuten en het secretariaat.\n\n"
                       f"The board met in May {2000 + i} and agreed on the targets.\n\nWe kept our core identity."
        for i, ext in enumerate(["md", "txt", "md", "txt", "md", "txt"])}
OUTPUTS = ("passages.jsonl", "passages.csv", "documents.csv", "errors.jsonl")


def _outputs(out: Path) -> dict:
    got = {f: (out / f).read_bytes() for f in OUTPUTS}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    got["statistics"] = summary["statistics"]
    got["passages"] = summary["run"]["passages"]
    return got


@pytest.fixture(scope="module")
def reference(tiny_model_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("reference")
    for name, text in DOCS.items():
        (base / "in" / name).parent.mkdir(exist_ok=True)
        (base / "in" / name).write_text(text, encoding="utf-8")
    run([base / "in"], base / "out", model_path=str(tiny_model_dir))
    return _outputs(base / "out")


def test_the_output_does_not_depend_on_the_order_the_files_were_written(reference, tiny_model_dir):
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.permutations(sorted(DOCS)))
    def check(order):
        with tempfile.TemporaryDirectory() as tmp:
            for name in order:
                (Path(tmp) / "in").mkdir(exist_ok=True)
                (Path(tmp) / "in" / name).write_text(DOCS[name], encoding="utf-8")
            run([Path(tmp) / "in"], Path(tmp) / "out", model_path=str(tiny_model_dir))
            assert _outputs(Path(tmp) / "out") == reference

    check()


def test_files_named_in_any_order_give_the_same_passages_per_document(reference, tiny_model_dir):
    """Named one by one, the documents come out in the order named; each document's passages are the same."""
    def per_document(jsonl: bytes) -> dict:
        out: dict = {}
        for line in jsonl.decode("utf-8").splitlines():
            out.setdefault(json.loads(line)["doc_id"], []).append(line)
        return out

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.permutations(sorted(DOCS)))
    def check(order):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "in").mkdir()
            for name in sorted(DOCS):
                (Path(tmp) / "in" / name).write_text(DOCS[name], encoding="utf-8")
            s = run([Path(tmp) / "in" / n for n in order], Path(tmp) / "out", model_path=str(tiny_model_dir))
            got = _outputs(Path(tmp) / "out")
            docs = per_document(got["passages.jsonl"])
            assert list(docs) == [n.rsplit(".", 1)[0] for n in order] and s.passages == reference["passages"]
            assert docs == per_document(reference["passages.jsonl"])

    check()


@pytest.mark.parametrize("workers", [2, 3])
def test_the_output_does_not_depend_on_the_worker_count(workers, reference, tiny_model_dir, tmp_path):
    for name, text in DOCS.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    s = run([tmp_path / "in"], tmp_path / "out", model_path=str(tiny_model_dir), workers=workers)
    assert s.workers == workers and _outputs(tmp_path / "out") == reference
