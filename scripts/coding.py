#!/usr/bin/env python3
"""Blind coding of written documents: packets for coders, and the corpus lines from their codings.

Corpus v2 is written first and coded afterwards, by coders who see only the codebook
(``annotations/GUIDELINES.md``) and the texts. This script does the bookkeeping on both sides
and writes no text or label of its own:

``packets``
    cuts each document of a manifest into paragraphs (blank-line separated, the same split as
    ``scripts/sheet_to_jsonl.py``) and writes one numbered packet per document for a coder.
``build``
    reads the coders' codings (``annotations/coding-v2/<coder>/<doc_id>.tsv``, one line per
    paragraph: ``number<TAB>phase<TAB>poles<TAB>response``, ``-`` for empty; ``none:hard`` marks a
    hard negative) and writes the primary coder's labels as corpus JSONL
    (``annotations/corpus/<alliance>.jsonl``) with the document's metadata and exact offsets.
    Every paragraph of a document must be coded; a coding that misses or repeats a number, or
    uses an unknown label, is an error naming the file and line.

The manifest (``annotations/manifest-v2.jsonl``) holds one document per line: ``doc_id``,
``file``, ``alliance``, ``slug``, ``year``, ``lang``, ``form``, ``genre``, ``writer``, ``round``.
The assignment (``annotations/coding-v2/assignment.json``) maps each ``doc_id`` to its coders,
primary first.

Usage::

    python scripts/coding.py packets --out DIR [DOC_ID ...]
    python scripts/coding.py build [--check]
    python scripts/coding.py agreement [--model MODEL_DIR]

``agreement``
    Cohen's kappa between the first and the second coder of every double-coded document, per split, per
    split and language, and per pair of coders (phase; each pole as yes/no; any tension; response), and the second coder's phase macro-F1 and poles micro-F1
    against the first; with ``--model``, the model's kappa and F1 against each coder on the same
    passages. Writes ``annotations/coding-v2/agreement.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.labels import PHASES, POLES, RESPONSES, sort_poles  # noqa: E402
from pipeline.segment import paragraph_spans  # noqa: E402

MANIFEST = ROOT / "annotations" / "manifest-v2.jsonl"
CODINGS = ROOT / "annotations" / "coding-v2"
CORPUS = ROOT / "annotations" / "corpus"


def read_manifest(path: Path = MANIFEST) -> dict[str, dict]:
    docs = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            docs[d["doc_id"]] = d
    return docs


def paragraphs(doc: dict) -> tuple[str, list[tuple[int, int]]]:
    text = (ROOT / doc["file"]).read_text(encoding="utf-8")
    return text, paragraph_spans(text)


def write_packets(docs: dict[str, dict], out: Path, only: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for doc_id in only or sorted(docs):
        doc = docs[doc_id]
        if not (ROOT / doc["file"]).exists():
            continue
        text, spans = paragraphs(doc)
        lang = {"nl": "Dutch", "en": "English"}[doc["lang"]]
        lines = [f"# Document {doc_id} ({lang}, {len(spans)} passages)", ""]
        for i, (s, e) in enumerate(spans, 1):
            lines += [f"[{i}] {text[s:e]}", ""]
        (out / f"{doc_id}.txt").write_text("\n".join(lines), encoding="utf-8")
        n += 1
    return n


class CodingError(Exception):
    pass


def parse_labels(phase: str, poles: str, response: str) -> tuple[str, list[str], str | None, bool]:
    """One coded row's columns (sheet or TSV notation: ``-`` for empty, ``none:hard`` for a hard negative)
    as ``(phase, poles, response, hard)``; ValueError names what is wrong and what is allowed."""
    hard = phase == "none:hard"
    phase = "none" if hard else phase
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; allowed: {', '.join(PHASES)}, none:hard")
    pole_list = [] if poles in ("-", "") else poles.replace(",", " ").split()
    bad = [p for p in pole_list if p not in POLES]
    if bad:
        raise ValueError(f"unknown pole {bad[0]!r}; allowed: {', '.join(POLES)}")
    if hard and pole_list:
        raise ValueError(f"none:hard means no poles, got {poles!r}")
    resp = None if response in ("-", "") else response
    if resp is not None and resp not in RESPONSES:
        raise ValueError(f"unknown response {resp!r}; allowed: {', '.join(RESPONSES)}")
    return phase, sort_poles(pole_list), resp, hard


def read_coding(path: Path, n_paragraphs: int) -> dict[int, tuple[str, list[str], str | None, bool]]:
    rows: dict[int, tuple[str, list[str], str | None, bool]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 4:
            raise CodingError(f"{path}:{lineno}: expected 4 tab-separated columns, got {len(cols)}: {line!r}")
        num, phase, poles, response = cols[:4]
        if not num.isdigit() or not 1 <= int(num) <= n_paragraphs:
            raise CodingError(f"{path}:{lineno}: passage number {num!r} is not in 1..{n_paragraphs}")
        try:
            phase, pole_list, resp, hard = parse_labels(phase, poles, response)
        except ValueError as e:
            raise CodingError(f"{path}:{lineno}: {e}") from None
        if int(num) in rows:
            raise CodingError(f"{path}:{lineno}: passage {num} coded twice")
        rows[int(num)] = (phase, sort_poles(pole_list), resp, hard)
    missing = [i for i in range(1, n_paragraphs + 1) if i not in rows]
    if missing:
        raise CodingError(f"{path}: passages not coded: {missing[:10]}{' …' if len(missing) > 10 else ''}")
    return rows


def records(doc: dict, coder: str) -> list[dict]:
    text, spans = paragraphs(doc)
    coding = read_coding(CODINGS / coder / f"{doc['doc_id']}.tsv", len(spans))
    out = []
    for i, (s, e) in enumerate(spans, 1):
        phase, poles, resp, hard = coding[i]
        meta = {"alliance": doc["alliance"], "date": doc["year"], "annotator": coder, "writer": doc["writer"],
                "form": doc["form"], "round": doc["round"], "start": s, "end": e, "file": doc["file"]}
        if hard:
            meta["hard_negative"] = True
        out.append({"id": f"{doc['doc_id']}#{i}", "doc_id": doc["doc_id"], "text": text[s:e], "lang": doc["lang"],
                    "genre": doc["genre"], "phase": phase, "poles": poles, "response": resp, "meta": meta})
    return out


def build(check: bool) -> int:
    docs = read_manifest()
    assignment = json.loads((CODINGS / "assignment.json").read_text(encoding="utf-8"))
    by_slug: dict[str, list[dict]] = {}
    problems = []
    for doc_id, doc in sorted(docs.items()):
        coders = assignment.get(doc_id, [])
        if not coders or not (CODINGS / coders[0] / f"{doc_id}.tsv").exists():
            continue
        try:
            by_slug.setdefault(doc["slug"], []).extend(records(doc, coders[0]))
        except CodingError as e:
            problems.append(str(e))
    for p in problems:
        print(p, file=sys.stderr)
    if check:
        return 1 if problems else 0
    for slug, recs in sorted(by_slug.items()):
        path = CORPUS / f"{slug}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    print(f"{sum(map(len, by_slug.values()))} passages of {len(by_slug)} alliances written", file=sys.stderr)
    return 1 if problems else 0


def _labels(doc: dict, coder: str) -> list[tuple[str, list[str], str | None]]:
    _, spans = paragraphs(doc)
    coding = read_coding(CODINGS / coder / f"{doc['doc_id']}.tsv", len(spans))
    return [coding[i][:3] for i in range(1, len(spans) + 1)]


def _compare(a: list, b: list) -> dict:
    """Agreement of two label lists of ``(phase, poles, response)``: kappa per dimension, and b's F1 against a."""
    from sklearn.metrics import cohen_kappa_score, f1_score

    from pipeline.labels import tensions

    def kappa(x, y):
        return 1.0 if len(set(x) | set(y)) < 2 else round(float(cohen_kappa_score(x, y)), 3)

    out = {"n": len(a), "phase": kappa([x[0] for x in a], [x[0] for x in b]),
           "tension": kappa([bool(tensions(x[1])) for x in a], [bool(tensions(x[1])) for x in b]),
           "response": kappa([x[2] or "-" for x in a], [x[2] or "-" for x in b])}
    for pole in POLES:
        out[f"pole:{pole}"] = kappa([pole in x[1] for x in a], [pole in x[1] for x in b])
    present = [pole for pole in POLES if any(pole in x[1] for x in a + b)]
    out["poles_mean_kappa"] = round(sum(out[f"pole:{p}"] for p in present) / max(1, len(present)), 3)
    out["phase_macro_f1"] = round(float(f1_score([x[0] for x in a], [x[0] for x in b], labels=list(PHASES),
                                                 average="macro", zero_division=0)), 3)
    ya = [[int(p in x[1]) for p in POLES] for x in a]
    yb = [[int(p in x[1]) for p in POLES] for x in b]
    out["poles_micro_f1"] = round(float(f1_score(ya, yb, average="micro", zero_division=0)), 3)
    return out


def agreement(model: str | None) -> dict:
    docs = read_manifest()
    assignment = json.loads((CODINGS / "assignment.json").read_text(encoding="utf-8"))
    split_of = json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))["documents"]
    pairs: dict[str, dict] = {}
    for doc_id, coders in sorted(assignment.items()):
        if len(coders) < 2:
            continue
        doc = docs[doc_id]
        first, second = _labels(doc, coders[0]), _labels(doc, coders[1])
        text, spans = paragraphs(doc)
        split = split_of.get(doc_id, "unsplit")
        # per split (transfer-test's double coding is the headline; other splits' are batch checks)
        for key in (split, f"{split} {doc['lang']}", f"{coders[0]} vs {coders[1]}"):
            grp = pairs.setdefault(key, {"a": [], "b": [], "texts": [], "docs": []})
            grp["a"] += first
            grp["b"] += second
            grp["texts"] += [text[s:e] for s, e in spans]
            grp["docs"] += [doc_id] * len(spans)
    result = {}
    tagger = None
    if model:
        from pipeline.tagger import load_tagger
        from pipeline.types import Passage

        tagger = load_tagger(model)
    for key, grp in pairs.items():
        row = {"coders": _compare(grp["a"], grp["b"])}
        if tagger is not None:
            # tagged as the batch tags them: the passages of a document together (its phase context)
            passages = [Passage(id=f"{d}#{i}", doc_id=d, text=t, start=0, end=len(t))
                        for i, (d, t) in enumerate(zip(grp["docs"], grp["texts"]))]
            pred = [(t.phase, t.poles, t.response) for t in tagger.tag_passages(passages)]
            row["model_vs_first"] = _compare(grp["a"], pred)
            row["model_vs_second"] = _compare(grp["b"], pred)
            row["model"] = tagger.name
        result[key] = row
    (CODINGS / "agreement.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    pk = sub.add_parser("packets", help="numbered passages of each document, for a blind coder")
    pk.add_argument("--out", type=Path, required=True)
    pk.add_argument("docs", nargs="*")
    bd = sub.add_parser("build", help="the primary codings as corpus JSONL")
    bd.add_argument("--check", action="store_true", help="only check the codings")
    ag = sub.add_parser("agreement", help="kappa of the double-coded documents (and the model's, with --model)")
    ag.add_argument("--model", help="a model folder to compare with the coders")
    args = ap.parse_args(argv)
    if args.cmd == "agreement":
        res = agreement(args.model)
        cols = ["n", "phase", "poles_mean_kappa", "tension", "response", "phase_macro_f1", "poles_micro_f1"]
        print("| pair | group | " + " | ".join(cols) + " |")
        print("|" + "---|" * (len(cols) + 2))
        for key, row in res.items():
            for who, r in row.items():
                if isinstance(r, dict):
                    print(f"| {who} | {key} | " + " | ".join(str(r[c]) for c in cols) + " |")
        return 0
    if args.cmd == "packets":
        n = write_packets(read_manifest(), args.out, args.docs)
        print(f"{n} packets in {args.out}", file=sys.stderr)
        return 0
    return build(args.check)


if __name__ == "__main__":
    raise SystemExit(main())
