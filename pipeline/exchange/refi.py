"""REFI-QDA: a ``paradox tag`` output folder becomes a ``.qdpx`` project, the labels a ``.qdc`` codebook; a
``.qdpx`` coded by people (in any QDA program) is read back as annotations.

REFI-QDA (the Rotterdam Exchange Format Initiative, www.qdasoftware.org) is
the exchange standard of QDA software: ATLAS.ti, MAXQDA, NVivo, QualCoder,
Transana and others import it. A ``.qdpx`` file is a zip archive holding

- ``project.qde``: XML in the namespace ``urn:QDA-XML:project:1.0`` with the
  users, the codebook, and one ``TextSource`` per document whose
  ``PlainTextSelection`` elements are the coded segments;
- ``sources/<guid>.txt``: each document's plain text, UTF-8, referenced from
  its ``TextSource`` as ``internal://<guid>.txt``.

A ``.qdc`` file is the codebook alone (namespace ``urn:QDA-XML:codebook:1.0``).

The codebook has three groups: the five phases; the four paradoxes, each a
code of its own (coded where a passage shows the tension) with its two poles
as child codes; the four responses. Names are the label ids, descriptions give
the Dutch name and the definition of the label table. Every tagged label of a passage
becomes one coded segment whose ``startPosition``/``endPosition`` are the
passage's character offsets into the document's extracted text, so that
``text[start:end]`` is the passage. GUIDs are name-based (UUID 5): exporting
twice gives the same file, and the codes of a ``.qdc`` and a ``.qdpx`` match.

Offsets count Unicode code points, as Python string indices do.

:func:`export` is :func:`write_qdpx`; :func:`read` turns every coded span of a project that carries a
phase code into an annotated passage (poles and response from the codes on the same span; paradox codes
are derived, so they are ignored).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .. import errors
from ..labels import TABLE, LabelTable
from ..types import TaggedPassage
from .importer import ImportReport
from .records import Raw, labels_to_fields
from .tagged import read_run, read_tagged
from .. import __version__
from ..ingest import read_document
from ..parts import read_part
from ..sources import content_hash
from .records import split_label

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.UUID("6f1c2a4e-93b1-5d7e-8c0a-2b7d4e5f6a10")
MISSING_POLICIES = ("error", "reconstruct", "skip")

def guid(*parts: str) -> str:
    """A stable GUID (UUID 5) for the parts, e.g. ``guid("code", "phase:forming")``."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


@dataclass
class Code:
    key: str          # "phase:forming", "pole:trust", "paradox:trust_analysis", "response:balance" or a group
    name: str
    description: str
    codable: bool = True
    color: str | None = None
    children: list["Code"] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return guid("code", self.key)

    def walk(self) -> Iterable["Code"]:
        yield self
        for c in self.children:
            yield from c.walk()


def _label_code(table: LabelTable, kind: str, label: str, children: list[Code] | None = None) -> Code:
    lab = table[label]
    return Code(f"{kind}:{label}", label, f"{lab.dutch}: {lab.definition}", True, lab.colour, children or [])


def codebook(table: LabelTable = TABLE) -> list[Code]:
    """The code tree of the label table: Phase, Paradox (each paradox with its two poles), Response."""
    return [
        Code("group:phase", "Phase", "Lifecycle phase of the alliance (fase): one per passage.", False, None,
             [_label_code(table, "phase", p) for p in table.phases]),
        Code("group:paradox", "Paradox",
             "Paradoxes (paradoxen). A paradox code marks a tension: a passage expressing both of its poles; "
             "its child codes are the poles (polen).", False, None,
             [_label_code(table, "paradox", pid, [_label_code(table, "pole", p) for p in pair])
              for pid, pair in table.paradoxes.items()]),
        Code("group:response", "Response",
             "Response to a tension (omgang met spanning): at most one per passage.", False, None,
             [_label_code(table, "response", r) for r in table.responses]),
    ]


def code_guids() -> dict[str, str]:
    """``"phase:forming" -> guid`` for every code of :func:`codebook`."""
    return {c.key: c.guid for top in codebook() for c in top.walk()}


def _codes_element(codes: list[Code]) -> ET.Element:
    def add(parent: ET.Element, code: Code) -> None:
        attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color
        el = ET.SubElement(parent, "Code", attrs)
        ET.SubElement(el, "Description").text = code.description
        for child in code.children:
            add(el, child)

    root = ET.Element("Codes")
    for code in codes:
        add(root, code)
    return root


def _origin() -> str:

    return f"paradox-tagger {__version__}"


def _to_bytes(root: ET.Element, ns: str) -> bytes:
    root.set("xmlns", ns)  # elements are built unqualified; the default namespace makes them REFI-QDA's
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _atomic_bytes(dest: Path, write) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def codebook_xml() -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (``urn:QDA-XML:codebook:1.0``)."""
    root = ET.Element("CodeBook", {"origin": _origin()})
    root.append(_codes_element(codebook()))
    return _to_bytes(root, NS_CODEBOOK)


def write_qdc(dest: str | os.PathLike) -> Path:
    """Write the codebook alone to ``dest`` (a ``.qdc`` file), atomically. Returns the path."""
    dest = Path(dest)
    data = codebook_xml()
    _atomic_bytes(dest, lambda fh: fh.write(data))
    return dest


# --------------------------------------------------------------------------- the tagged run

@dataclass
class SourceText:
    """A document's text and, per passage, its (start, end) in that text."""

    doc_id: str
    path: str
    text: str
    offsets: list[tuple[int, int]]
    how: str  # "extracted", "joined" (a .jsonl input), "reconstructed"


def _reconstruct(passages: list[TaggedPassage]) -> str:
    """Passage texts at their offsets; the gaps between them filled with blank lines and spaces."""
    end = max(p.end for p in passages)
    buf = [" "] * end
    for p in passages:
        buf[p.start:p.end] = list(p.text)
    text = "".join(buf)
    # turn each gap of two or more spaces that separates passages into a paragraph break
    bounds = sorted({p.end for p in passages})
    for b in bounds:
        if text[b:b + 2] == "  ":
            text = text[:b] + "\n\n" + text[b + 2:]
    return text


def source_text(passages: list[TaggedPassage], roots: list[Path], on_missing: str = "error",
                tagged_hash: str | None = None) -> SourceText | None:
    """Re-extract the document the passages came from and check it against what was tagged.

    ``roots`` are the folders the tagged paths are relative to (the inputs of
    ``paradox tag``). Passages of a ``.jsonl`` input are joined by blank lines.
    ``tagged_hash`` is the file's content hash when it was tagged: a file whose
    bytes changed since (even text appended after the last passage) counts as
    changed; without it, every passage's offsets are checked.
    When the file is missing or changed, ``on_missing`` decides: ``error``
    raises, ``reconstruct`` rebuilds a text from the passages at their
    offsets, ``skip`` returns ``None``.
    """

    first = passages[0]
    if first.path.lower().endswith(".jsonl") or first.path == "":
        text, offsets, pos = [], [], 0
        for p in passages:
            text.append(p.text)
            offsets.append((pos, pos + len(p.text)))
            pos += len(p.text) + 2
        return SourceText(first.doc_id, first.path, "\n\n".join(text), offsets, "joined")
    tried = [Path(first.path)] if Path(first.path).is_absolute() else [Path(r) / first.path for r in roots]
    problem = None
    found = next((c for c in tried if c.is_file()), None)
    if found is None:
        problem = (f"source of document {first.doc_id!r} not found; tried {', '.join(map(str, tried))}. "
                   f"Pass the folders given to `paradox tag` with --input-root")
    elif tagged_hash and (now := content_hash(str(found))) != tagged_hash:
        problem = (f"{found} changed since it was tagged (content hash {now}, tagged {tagged_hash}); retag it "
                   f"with `paradox tag`, or pass --missing skip or reconstruct")
    else:
        try:
            doc = read_document(found, doc_id=first.doc_id)
        except errors.IngestError as e:
            problem = f"cannot re-extract {found}: {e}"
        else:
            bad = next((p for p in passages if doc.text[p.start:p.end] != p.text), None)
            if bad is None:
                return SourceText(first.doc_id, first.path, doc.text, [(p.start, p.end) for p in passages],
                                  "extracted")
            problem = (f"{found} changed since it was tagged: passage {bad.id!r} is no longer at "
                       f"[{bad.start}:{bad.end}]; retag it with `paradox tag --force`")
    if on_missing == "skip":
        return None
    if on_missing == "reconstruct":
        return SourceText(first.doc_id, first.path, _reconstruct(passages), [(p.start, p.end) for p in passages],
                          "reconstructed")
    raise errors.IngestError(first.path, "missing", problem)


def coded_labels(p: TaggedPassage, skip_none: bool = False) -> list[tuple[str, float | None]]:
    """``(code key, score)`` of every label of a tagged passage: phase, poles, tensions, response."""
    out: list[tuple[str, float | None]] = []
    if not (skip_none and p.phase == "none"):
        out.append((f"phase:{p.phase}", p.phase_scores.get(p.phase)))
    out += [(f"pole:{x}", p.pole_scores.get(x)) for x in p.poles]
    out += [(f"paradox:{t}", None) for t in p.tensions]
    if p.response:
        out.append((f"response:{p.response}", p.response_scores.get(p.response)))
    return out


@dataclass
class ExportReport:
    dest: str
    documents: int = 0
    passages: int = 0
    selections: int = 0
    reconstructed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def project_xml(sources: list[SourceText], by_doc: dict[str, list[TaggedPassage]], model: str,
                skip_none: bool = False, created: str | None = None, name: str = "paradox") -> tuple[bytes, int]:
    """The ``project.qde`` document for the sources and their passages; returns (bytes, selections)."""
    ns = NS_PROJECT
    created = created or _now()
    user = guid("user", model)
    codes = code_guids()
    root = ET.Element("Project", {"name": name, "origin": _origin(), "creatingUserGUID": user,
                                           "creationDateTime": created})
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", {"guid": user, "name": f"paradox tagger ({model})", "id": "paradox"})
    book = ET.SubElement(root, "CodeBook")
    book.append(_codes_element(codebook()))
    src_root = ET.SubElement(root, "Sources")
    n_sel = 0
    for src in sources:
        sguid = guid("source", src.doc_id)
        ts = ET.SubElement(src_root, "TextSource", {
            "guid": sguid, "name": src.path or src.doc_id, "plainTextPath": f"internal://{sguid}.txt",
            "creatingUser": user, "creationDateTime": created})
        ET.SubElement(ts, "Description").text = (
            f"document {src.doc_id} ({src.path}); text {src.how}; passages tagged by {model}")
        for p, (start, end) in zip(by_doc[src.doc_id], src.offsets):
            for key, score in coded_labels(p, skip_none):
                sel = ET.SubElement(ts, "PlainTextSelection", {
                    "guid": guid("selection", p.id, key), "name": f"{p.id} {key}",
                    "startPosition": str(start), "endPosition": str(end),
                    "creatingUser": user, "creationDateTime": created})
                desc = f"{key} for passage {p.id}" + (f", score {score:.2f}" if score is not None else "")
                ET.SubElement(sel, "Description").text = desc + f" (model {model}, lang {p.lang})"
                coding = ET.SubElement(sel, "Coding", {"guid": guid("coding", p.id, key),
                                                                "creatingUser": user, "creationDateTime": created})
                ET.SubElement(coding, "CodeRef", {"targetGUID": codes[key]})
                n_sel += 1
    ET.SubElement(root, "Description").text = (
        f"Passages of {len(sources)} documents tagged with lifecycle phases, paradox poles, tensions and "
        f"responses by {model}.")
    return _to_bytes(root, ns), n_sel


def write_qdpx(out_dir: str | os.PathLike, dest: str | os.PathLike,
               input_roots: Iterable[str | os.PathLike] | None = None, on_missing: str = "error",
               skip_none: bool = False, name: str | None = None, created: str | None = None) -> ExportReport:
    """Write the passages of a ``paradox tag`` output folder as a REFI-QDA project ``dest`` (``.qdpx``).

    Each document is re-extracted from ``input_roots`` (the files and folders
    given to ``paradox tag``; default: the absolute input roots the run recorded in ``summary.json``, else
    the current folder) with
    :func:`pipeline.ingest.read_document`; ``on_missing`` (``error``,
    ``reconstruct``, ``skip``) says what to do with one that is gone or
    changed (its content hash differs from the one recorded at tagging time, in ``summary.json`` or its
    part file). ``skip_none`` leaves the phase ``none`` uncoded. The archive is
    written atomically.
    """
    if on_missing not in MISSING_POLICIES:
        raise ValueError(errors.unknown_label("missing-source policy", on_missing, MISSING_POLICIES))
    run = read_run(out_dir)
    passages = read_tagged(out_dir)
    roots = [Path(r) for r in (input_roots or run.get("input_roots") or [])]
    roots = [r.parent if r.is_file() else r for r in roots] or [Path.cwd()]
    by_doc: dict[str, list[TaggedPassage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    report = ExportReport(dest=str(dest))
    sources = []
    hashes = run.get("source_hashes") or {}
    for doc_id, ps in by_doc.items():
        tagged_hash = hashes.get(ps[0].path)
        if tagged_hash is None:  # an output folder written before summary.json recorded them
            part = read_part(Path(out_dir), ps[0].path) if Path(out_dir).is_dir() else None
            tagged_hash = part.header.get("hash") if part else None
        src = source_text(ps, roots, on_missing, tagged_hash)
        if src is None:
            report.skipped.append(ps[0].path)
            continue
        if src.how == "reconstructed":
            report.reconstructed.append(ps[0].path)
        sources.append(src)
        report.passages += len(ps)
    model = run.get("model") or (passages[0].model if passages else "paradox")
    xml, report.selections = project_xml(sources, by_doc, model, skip_none, created,
                                         name or f"paradox: {Path(out_dir).resolve().name}")
    report.documents = len(sources)

    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", xml)
            for src in sources:
                zf.writestr(f"sources/{guid('source', src.doc_id)}.txt", src.text.encode("utf-8"))

    _atomic_bytes(Path(dest), write)
    return report


export = write_qdpx


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The coded spans of a ``.qdpx`` project: one record per span that carries a phase code."""

    try:
        zf = zipfile.ZipFile(path)
        root = ET.fromstring(zf.read("project.qde"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
        raise errors.CorpusError(str(path), None, f"not a REFI-QDA project (.qdpx: a zip with project.qde): "
                                 f"{e}") from None
    with zf:
        q = f"{{{NS_PROJECT}}}"
        names = {c.get("guid"): c.get("name") for c in root.iter(f"{q}Code")}
        users = {u.get("guid"): u.get("name") or u.get("id") or u.get("guid") for u in root.iter(f"{q}User")}
        tagger = {g for g, n in users.items() if str(n).startswith("paradox tagger")}  # our export's codings
        for ts in root.iter(f"{q}TextSource"):
            src_path = (ts.get("plainTextPath") or "").replace("internal://", "sources/")
            try:
                text = zf.read(src_path).decode("utf-8")
            except KeyError:
                raise errors.CorpusError(str(path), None, f"source {ts.get('name')!r}: {src_path} is missing "
                                         f"from the archive") from None
            spans: dict[tuple[int, int], dict] = {}
            for sel in ts.iter(f"{q}PlainTextSelection"):
                start, end = int(sel.get("startPosition", 0)), int(sel.get("endPosition", 0))
                span = spans.setdefault((start, end), {"labels": [], "model": [], "people": [],
                                                       "id": (sel.get("name") or "").split(" ")[0]})
                for coding in sel.iter(f"{q}Coding"):
                    who = coding.get("creatingUser") or sel.get("creatingUser")
                    for ref in coding.iter(f"{q}CodeRef"):
                        kind, label = split_label(names.get(ref.get("targetGUID"), ""))
                        if kind:
                            span["labels"].append(f"{kind}:{label}")
                            if who in tagger:
                                span["model"].append(f"{kind}:{label}")
                            else:
                                span["people"].append(users.get(who) or who or "unknown")
            source = ts.get("name") or ts.get("guid")
            for (start, end), span in sorted(spans.items()):
                report.records += 1
                if not any(x.startswith("phase:") for x in span["labels"]):
                    report.unlabelled += 1
                    continue
                rec = {"id": span["id"] or f"{source}#{start}", "text": text[start:end],
                       "meta": {"source_file": source, "start": start, "end": end}}
                if span["model"]:  # the codings our export made: the pre-labels
                    ml = labels_to_fields(span["model"])
                    rec["meta"]["model_labels"] = {"phase": ml.get("phase"), "poles": ml["poles"],
                                                   "response": ml.get("response")}
                if span["people"]:  # a person coded this span in the QDA program
                    rec["meta"].update(reviewed=True, reviewer=str(span["people"][0]))
                yield Raw(f"span {start}-{end} of {source}", None, {**rec, **labels_to_fields(span["labels"])})
