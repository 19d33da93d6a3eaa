"""REFI-QDA export: the .qdpx archive, its XML checked against the standard's structure, offsets round-trip."""

import json
import zipfile

import pytest
from lxml import etree
from typer.testing import CliRunner

from pipeline.batch import run
from pipeline.cli import app
from pipeline.errors import CorpusError, IngestError
from pipeline.exchange.refi import NS_CODEBOOK, NS_PROJECT, code_guids, codebook_xml, write_qdc, write_qdpx
from pipeline.labels import DUTCH, PARADOXES, PHASES, POLES, RESPONSES

# The part of the REFI-QDA 1.0 schemas (Project.xsd and Codebook.xsd, qdasoftware.org) that the export uses,
# written out from the standard: element order, required attributes and the GUID and colour types.
_TYPES = """
  <xs:complexType name="CodeType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="isCodable" type="xs:boolean" use="required"/>
    <xs:attribute name="color" type="RGBType"/>
  </xs:complexType>
  <xs:simpleType name="GUIDType"><xs:restriction base="xs:token">
    <xs:pattern value="([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\})"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="RGBType"><xs:restriction base="xs:token">
    <xs:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
  </xs:restriction></xs:simpleType>
  <xs:complexType name="CodesType"><xs:sequence>
    <xs:element name="Code" type="CodeType" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
"""
PROJECT_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns="{NS_PROJECT}" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS_PROJECT}"
           elementFormDefault="qualified">
  <xs:element name="Project">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Users" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="User" maxOccurs="unbounded"><xs:complexType>
            <xs:attribute name="guid" type="GUIDType" use="required"/>
            <xs:attribute name="name" type="xs:string"/>
            <xs:attribute name="id" type="xs:string"/>
          </xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="CodeBook" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="Codes" type="CodesType"/>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="Sources" minOccurs="0"><xs:complexType><xs:choice maxOccurs="unbounded">
          <xs:element name="TextSource" type="TextSourceType"/>
        </xs:choice></xs:complexType></xs:element>
        <xs:element name="Description" type="xs:string" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="origin" type="xs:string"/>
      <xs:attribute name="creatingUserGUID" type="GUIDType"/>
      <xs:attribute name="creationDateTime" type="xs:dateTime"/>
      <xs:attribute name="basePath" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="TextSourceType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="PlainTextSelection" type="PlainTextSelectionType" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="plainTextPath" type="xs:string"/>
    <xs:attribute name="creatingUser" type="GUIDType"/>
    <xs:attribute name="creationDateTime" type="xs:dateTime"/>
  </xs:complexType>
  <xs:complexType name="PlainTextSelectionType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="Coding" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
        <xs:sequence><xs:element name="CodeRef"><xs:complexType>
          <xs:attribute name="targetGUID" type="GUIDType" use="required"/>
        </xs:complexType></xs:element></xs:sequence>
        <xs:attribute name="guid" type="GUIDType" use="required"/>
        <xs:attribute name="creatingUser" type="GUIDType"/>
        <xs:attribute name="creationDateTime" type="xs:dateTime"/>
      </xs:complexType></xs:element>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="startPosition" type="xs:integer" use="required"/>
    <xs:attribute name="endPosition" type="xs:integer" use="required"/>
    <xs:attribute name="creatingUser" type="GUIDType"/>
    <xs:attribute name="creationDateTime" type="xs:dateTime"/>
  </xs:complexType>
{_TYPES}
</xs:schema>"""
CODEBOOK_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns="{NS_CODEBOOK}" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS_CODEBOOK}"
           elementFormDefault="qualified">
  <xs:element name="CodeBook"><xs:complexType>
    <xs:sequence><xs:element name="Codes" type="CodesType"/></xs:sequence>
    <xs:attribute name="origin" type="xs:string"/>
  </xs:complexType></xs:element>
{_TYPES}
</xs:schema>"""
P = f"{{{NS_PROJECT}}}"


def _schema(text: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(text.encode()))


@pytest.fixture(scope="module")
def tagged_run(tiny_model_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("refi")
    docs = root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "minutes.md").write_text(
        "Notulen\n\nBij de eerste ontmoeting klikte het meteen tussen de twee directeuren.\n\n"
        "We gingen samen eten, maar vroegen ook drie jaar cijfers op voordat we verder praatten.\n\n"
        "Aanwezig: Jan, Piet en Klaas.\n", encoding="utf-8")
    (docs / "sub" / "report.txt").write_text(
        "Annual report – “North Sea” 🌊\n\nWe kept our core identity while reacting quickly to the new regulation.\n\n"
        "The next meeting will be held on 3 May at 10 am.\n", encoding="utf-8")
    (docs / "pre.jsonl").write_text(
        json.dumps({"id": "p1", "doc_id": "pre", "text": "The charter sets out voting rules, fees and the admission "
                    "criteria."}) + "\n"
        + json.dumps({"id": "p2", "doc_id": "pre", "text": "Apologies were received from Sarah and Tom."}) + "\n",
        encoding="utf-8")
    out = root / "out"
    summary = run([docs], out, model_path=str(tiny_model_dir))
    assert summary.failed == 0
    passages = [json.loads(line) for line in (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
    return docs, out, passages


def _open(qdpx):
    zf = zipfile.ZipFile(qdpx)
    return zf, etree.fromstring(zf.read("project.qde"))


def _labels(p: dict, skip_none=False) -> list[str]:
    out = [] if skip_none and p["phase"] == "none" else [f"phase:{p['phase']}"]
    return (out + [f"pole:{x}" for x in p["poles"]] + [f"paradox:{t}" for t in p["tensions"]]
            + ([f"response:{p['response']}"] if p["response"] else []))


def test_project_validates_and_every_selection_is_its_passage(tagged_run, tmp_path):
    docs, out, passages = tagged_run
    dest = tmp_path / "project.qdpx"
    report = write_qdpx(out, dest, [docs])
    assert report.documents == 3 and report.passages == len(passages) and not report.reconstructed
    zf, root = _open(dest)
    schema = _schema(PROJECT_XSD)
    schema.assertValid(root)
    broken = etree.fromstring(etree.tostring(root))  # the schema does bite: a bad GUID, a misplaced element
    next(broken.iter(f"{P}Coding")).set("guid", "not-a-guid")
    assert not schema.validate(broken)
    broken = etree.fromstring(etree.tostring(root))
    broken.insert(0, broken.find(f"{P}Sources"))
    assert not schema.validate(broken)
    assert root.tag == f"{P}Project" and root.nsmap[None] == NS_PROJECT
    names = zf.namelist()
    assert "project.qde" in names and all(n == "project.qde" or (n.startswith("sources/") and n.endswith(".txt"))
                                          for n in names)
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{P}Code")}
    users = {u.get("guid") for u in root.iter(f"{P}User")}
    by_id = {p["id"]: p for p in passages}
    seen: dict[str, list[str]] = {}
    guids = []
    for src in root.iter(f"{P}TextSource"):
        assert src.get("plainTextPath").startswith("internal://") and src.get("creatingUser") in users
        text = zf.read("sources/" + src.get("plainTextPath")[len("internal://"):]).decode("utf-8")
        guids.append(src.get("guid"))
        for sel in src.iter(f"{P}PlainTextSelection"):
            guids.append(sel.get("guid"))
            pid = sel.get("name").split(" ")[0]
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert text[start:end] == by_id[pid]["text"]  # the offsets round-trip exactly
            if not src.get("name").endswith(".jsonl"):
                assert (start, end) == (by_id[pid]["start"], by_id[pid]["end"])
            (coding,) = sel.findall(f"{P}Coding")
            guids.append(coding.get("guid"))
            target = coding.find(f"{P}CodeRef").get("targetGUID")
            assert target in codes
            seen.setdefault(pid, []).append(sel.get("name").split(" ")[1])
    assert len(guids) == len(set(guids))  # GUIDs are unique
    # one coded segment per tagged label
    assert seen == {p["id"]: _labels(p) for p in passages}
    assert any("paradox:" in x for v in seen.values() for x in v)  # the tiny model finds the tensions
    # the source of a text file is the very text read again, non-ASCII included
    report_src = next(s for s in root.iter(f"{P}TextSource") if s.get("name") == "sub/report.txt")
    txt = zf.read("sources/" + report_src.get("plainTextPath")[11:]).decode("utf-8")
    assert txt.startswith("Annual report – “North Sea” 🌊")


def test_codebook_tree_names_and_dutch_descriptions(tmp_path):
    dest = write_qdc(tmp_path / "codes.qdc")
    root = etree.fromstring(dest.read_bytes())
    _schema(CODEBOOK_XSD).assertValid(root)
    C = f"{{{NS_CODEBOOK}}}"
    top = root.find(f"{C}Codes").findall(f"{C}Code")
    assert [c.get("name") for c in top] == ["Phase", "Paradox", "Response"]
    assert all(c.get("isCodable") == "false" for c in top)
    assert [c.get("name") for c in top[0].findall(f"{C}Code")] == list(PHASES)
    paradoxes = top[1].findall(f"{C}Code")
    assert [c.get("name") for c in paradoxes] == list(PARADOXES)
    for c, (a, b) in zip(paradoxes, PARADOXES.values()):
        assert c.get("isCodable") == "true" and [x.get("name") for x in c.findall(f"{C}Code")] == [a, b]
    assert [c.get("name") for c in top[2].findall(f"{C}Code")] == list(RESPONSES)
    for c in root.iter(f"{C}Code"):
        if c.get("name") in DUTCH:
            assert c.find(f"{C}Description").text.startswith(DUTCH[c.get("name")] + ": ")
    # the codebook and a project share their code GUIDs
    assert {c.get("guid") for c in root.iter(f"{C}Code")} == set(code_guids().values())
    assert len(code_guids()) == 3 + len(PHASES) + len(PARADOXES) + len(POLES) + len(RESPONSES)
    assert codebook_xml() == dest.read_bytes()


def test_export_is_deterministic_and_skip_none(tagged_run, tmp_path):
    docs, out, passages = tagged_run
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(out, a, [docs], created="2024-01-01T00:00:00Z")
    write_qdpx(out, b, [docs], created="2024-01-01T00:00:00Z")
    assert zipfile.ZipFile(a).read("project.qde") == zipfile.ZipFile(b).read("project.qde")
    report = write_qdpx(out, tmp_path / "c.qdpx", [docs], skip_none=True)
    assert report.selections == sum(len(_labels(p, skip_none=True)) for p in passages)
    assert report.selections < sum(len(_labels(p)) for p in passages)


def test_a_coded_project_reads_back_as_annotations(tagged_run, tmp_path):
    """A .qdpx coded in QDA software comes back as annotated passages: every span with a phase code, its
    poles and response from the codes on the same span, its text the source's text at the offsets."""
    from pipeline.exchange import import_annotations

    docs, out, passages = tagged_run
    qdpx = tmp_path / "coded.qdpx"
    write_qdpx(out, qdpx, [docs])
    none, report = import_annotations(qdpx, "refi")  # untouched, every coding is the tagger's own
    assert none == [] and len(report.unreviewed) == len(passages)
    back, report = import_annotations(qdpx, "refi", accept_unreviewed=True)
    assert report.records == report.imported == report.accepted_unreviewed == len(passages) and not report.conflicts
    by_id = {p["id"]: p for p in passages}
    for a in back:
        t = by_id[a.id]
        assert (a.text, a.phase, a.poles, a.response) == (t["text"], t["phase"], t["poles"], t["response"])
        assert a.meta["source"] == "refi" and a.meta["end"] - a.meta["start"] == len(a.text)
    # a span whose phase code was removed is unlabelled; a file that is no project is a clear error
    zf, root = _open(qdpx)
    sel = next(root.iter(f"{{{NS_PROJECT}}}PlainTextSelection"))
    sel.getparent().remove(sel)
    bad = tmp_path / "less.qdpx"
    with zipfile.ZipFile(bad, "w") as z:
        for name in zf.namelist():
            z.writestr(name, etree.tostring(root) if name == "project.qde" else zf.read(name))
    back2, report2 = import_annotations(bad, "refi", accept_unreviewed=True)
    assert report2.unlabelled == 1 and len(back2) == len(passages) - 1
    (tmp_path / "no.qdpx").write_bytes(b"not a zip")
    with pytest.raises(CorpusError, match="not a REFI-QDA project"):
        import_annotations(tmp_path / "no.qdpx", "refi")


def test_missing_and_changed_sources(tagged_run, tmp_path):
    docs, out, passages = tagged_run
    with pytest.raises(IngestError, match="not found; tried .*--input-root"):
        write_qdpx(out, tmp_path / "x.qdpx", [tmp_path])
    assert not (tmp_path / "x.qdpx").exists()
    report = write_qdpx(out, tmp_path / "r.qdpx", [tmp_path], on_missing="reconstruct")
    assert sorted(report.reconstructed) == ["minutes.md", "sub/report.txt"]
    zf, root = _open(tmp_path / "r.qdpx")
    by_id = {p["id"]: p for p in passages}
    for src in root.iter(f"{P}TextSource"):
        text = zf.read("sources/" + src.get("plainTextPath")[11:]).decode("utf-8")
        for sel in src.iter(f"{P}PlainTextSelection"):
            p = by_id[sel.get("name").split(" ")[0]]
            assert text[int(sel.get("startPosition")):int(sel.get("endPosition"))] == p["text"]
    report = write_qdpx(out, tmp_path / "s.qdpx", [tmp_path], on_missing="skip")
    assert report.documents == 1 and sorted(report.skipped) == ["minutes.md", "sub/report.txt"]
    # a source edited after tagging no longer matches its offsets
    changed = tmp_path / "changed"
    (changed / "sub").mkdir(parents=True)
    (changed / "minutes.md").write_text("Een nieuwe eerste alinea.\n\n" + (docs / "minutes.md").read_text(),
                                        encoding="utf-8")
    (changed / "sub" / "report.txt").write_text((docs / "sub" / "report.txt").read_text(), encoding="utf-8")
    with pytest.raises(IngestError, match="changed since it was tagged"):
        write_qdpx(out, tmp_path / "y.qdpx", [changed])


def test_cli_export_refi(tagged_run, tmp_path):
    docs, out, passages = tagged_run
    runner = CliRunner()
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(tmp_path / "p.qdpx"), "--input-root", str(docs),
                            "--codebook", str(tmp_path / "c.qdc"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["documents"] == 3
    assert zipfile.is_zipfile(tmp_path / "p.qdpx") and (tmp_path / "c.qdc").exists()
    r = runner.invoke(app, ["export", "refi", str(out), "--out", str(tmp_path / "q.qdpx"), "--input-root",
                            str(tmp_path)])
    assert r.exit_code == 1 and "--input-root" in r.output
    r = runner.invoke(app, ["export", "refi", str(tmp_path / "nope"), "--out", str(tmp_path / "q.qdpx")])
    assert r.exit_code == 2 and "paradox tag" in r.output
    r = runner.invoke(app, ["export", "refi", "--help"])
    assert "Example: paradox export refi" in r.output
