import io
import os
import zipfile

import pytest

from pipeline.errors import IngestError
from pipeline.ingest import read_document

DUTCH = "Het bestuur is tevreden over de coöperatie.\n\nDe leden hebben één doel: café’s en ideeën delen."


def test_text_encodings_all_read_the_same(tmp_path):
    for name, data in [("utf8.txt", DUTCH.encode("utf-8")), ("bom.txt", b"\xef\xbb\xbf" + DUTCH.encode("utf-8")),
                       ("cp1252.txt", DUTCH.replace("’", "'").encode("cp1252")),
                       ("utf16.txt", DUTCH.encode("utf-16"))]:
        (tmp_path / name).write_bytes(data)
        doc = read_document(tmp_path / name)
        expected = DUTCH.replace("’", "'") if name == "cp1252.txt" else DUTCH
        assert doc.text == expected, name


def test_crlf_is_normalised(tmp_path):
    (tmp_path / "a.md").write_bytes(b"# Title\r\n\r\nBody text here.\r\n")
    assert read_document(tmp_path / "a.md").text == "# Title\n\nBody text here.\n"


@pytest.fixture
def paras():
    return [(1, "Jaarverslag 2021"), (0, "De coöperatie groeide dit jaar naar twaalf leden."),
            (0, "We hebben de statuten aangepast en een nieuw secretariaat ingericht.")]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "odt"])
def test_formats_keep_paragraphs(tmp_path, paras, fmt):
    import importlib.util
    import sys
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("render", Path(__file__).parent.parent / "scripts" /
                                                  "render_documents.py")
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    dest = tmp_path / f"doc.{fmt}"
    render.WRITERS[fmt](paras, dest, "doc")
    doc = read_document(dest)
    assert doc.text.split("\n\n") == [t for _, t in paras]


def test_empty_file(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"  \n")
    with pytest.raises(IngestError) as e:
        read_document(tmp_path / "e.txt")
    assert e.value.kind == "empty" and "e.txt" in str(e.value)


@pytest.mark.parametrize("suffix, kind", [(".pdf", "corrupt"), (".txt", "decode"), (".docx", "corrupt"),
                                          (".odt", "corrupt")])
def test_random_bytes(tmp_path, suffix, kind):
    p = tmp_path / f"junk{suffix}"
    p.write_bytes(os.urandom(4096))
    with pytest.raises(IngestError) as e:
        read_document(p)
    assert e.value.kind == kind and str(p) in str(e.value)


def test_truncated_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Hallo wereld " * 50)
    buf = io.BytesIO()
    d.save(buf)
    p = tmp_path / "cut.docx"
    p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(IngestError) as e:
        read_document(p)
    assert e.value.kind == "corrupt" and "cut.docx" in str(e.value)


def test_broken_odt(tmp_path):
    p = tmp_path / "broken.odt"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content><not closed")
    with pytest.raises(IngestError) as e:
        read_document(p)
    assert e.value.kind == "corrupt"


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Vertrouwelijk verslag")
    c.save()
    w = PdfWriter(clone_from=io.BytesIO(buf.getvalue()))
    w.encrypt("secret")
    p = tmp_path / "locked.pdf"
    with p.open("wb") as fh:
        w.write(fh)
    with pytest.raises(IngestError) as e:
        read_document(p)
    assert e.value.kind == "encrypted"


def test_pdf_without_text_layer_says_scanned(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.rect(72, 72, 300, 300, fill=1)
    c.save()
    with pytest.raises(IngestError) as e:
        read_document(p)
    assert e.value.kind == "no_text" and "scanned?" in str(e.value)


def test_unsupported_and_missing(tmp_path):
    (tmp_path / "x.xls").write_bytes(b"abc")
    with pytest.raises(IngestError, match="unsupported format"):
        read_document(tmp_path / "x.xls")
    with pytest.raises(IngestError) as e:
        read_document(tmp_path / "gone.txt")
    assert e.value.kind == "missing"


def test_text_read_in_pieces_is_the_whole_text(tmp_path):
    """Line ends split across pieces, multi-byte characters, BOMs and legacy code pages: the pieces of
    iter_text always join to what decoding the whole file gives."""
    from pipeline.ingest.text import iter_text

    body = ("Eerste alinea met café’s.\r\n\r\nTweede regel\rderde regel\r\n" * 40)
    expected = body.replace("\r\n", "\n").replace("\r", "\n")
    for name, data, exp in [("u8.txt", body.encode("utf-8"), expected),
                            ("bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8"), expected),
                            ("u16.txt", body.encode("utf-16"), expected),
                            ("cp.txt", body.replace("’", "'").encode("cp1252"), expected.replace("’", "'"))]:
        (tmp_path / name).write_bytes(data)
        for size in (1, 7, 26, 4096):
            pieces = list(iter_text(str(tmp_path / name), chunk=size))
            assert "".join(pieces) == exp, (name, size)
            assert all(len(p) <= size for p in pieces)


def test_large_legacy_text_is_checked_whole_but_read_in_pieces(tmp_path, monkeypatch):
    from pipeline.ingest import text

    monkeypatch.setattr(text, "CHUNK", 1000)
    para = "Het café en de coöperatie delen één doel: samen verder met de leden.\n\n"
    (tmp_path / "cp.txt").write_bytes((para * 200).encode("cp1252"))  # 14 kB of cp1252, CHUNK 1 kB
    assert text.text_encoding(str(tmp_path / "cp.txt")) == "cp1252"
    assert "".join(text.iter_text(str(tmp_path / "cp.txt"))) == para * 200
    # valid UTF-8 for its first part, then one cp1252 byte: not UTF-8 after all
    (tmp_path / "late.txt").write_bytes((para * 100).encode("utf-8") + "café".encode("cp1252"))
    assert text.text_encoding(str(tmp_path / "late.txt")) != "utf-8"


def test_binary_content_after_the_first_piece_fails_the_document(tmp_path):
    from pipeline.ingest import open_document

    (tmp_path / "a.txt").write_bytes(b"Een gewone alinea.\n\n" * 100_000 + b"\x00\x01\x02" * 10)
    stream = open_document(tmp_path / "a.txt")
    with pytest.raises(IngestError) as e:
        for _ in stream.chunks:
            pass
    assert e.value.kind == "decode" and "binary" in str(e.value) and "a.txt" in str(e.value)


def test_pdf_pages_come_one_by_one(tmp_path, paras):
    import importlib.util
    from pathlib import Path

    from pipeline.ingest import open_document

    spec = importlib.util.spec_from_file_location("render", Path(__file__).parent.parent / "scripts" /
                                                  "render_documents.py")
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    render.WRITERS["pdf"](paras * 40, tmp_path / "long.pdf", "doc")  # several pages
    stream = open_document(tmp_path / "long.pdf")
    pieces = list(stream.chunks)
    assert len(pieces) > 1
    assert "".join(pieces) == read_document(tmp_path / "long.pdf").text
    assert all(p.startswith("\n\n") for p in pieces[1:])
