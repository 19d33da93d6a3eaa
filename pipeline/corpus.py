"""The annotated corpus (docs/formats.md): read, validate, split, count, and bridge to 🤗 datasets."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from . import errors
from .labels import GENRES, LANGS, PHASES, POLES, RESPONSES, sort_poles, tensions
from .types import AnnotatedPassage

SPLITS = ("train", "dev", "test", "transfer-dev", "transfer-test")
# rounds of the corpus (meta.round): 1 written to carry its labels, 2 written first and coded afterwards
ROUNDS = (1, 2)
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "annotations"


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.jsonl`` files named or found (recursively) under folders, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.jsonl") if q.is_file()))
        elif p.exists():
            out.append(p)
        else:
            raise errors.CorpusError(str(p), None, "no such file or folder")
    return out


def _parse_line(path: str, lineno: int, line: str) -> AnnotatedPassage:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise errors.CorpusError(path, lineno, f"malformed JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(rec, dict):
        raise errors.CorpusError(path, lineno, f"expected a JSON object, got {type(rec).__name__}")
    for key in ("id", "text", "phase"):
        if key not in rec:
            raise errors.CorpusError(path, lineno, "required field is missing", key)
    if not isinstance(rec["id"], str):
        raise errors.CorpusError(path, lineno, f"must be a string, got {errors.json_type(rec['id'])}", "id")
    if not rec["id"]:
        raise errors.CorpusError(path, lineno, "must be a non-empty string, got ''", "id")
    if not isinstance(rec["text"], str):
        raise errors.CorpusError(path, lineno, f"must be a string, got {errors.json_type(rec['text'])}", "text")
    if not rec["text"].strip():
        raise errors.CorpusError(path, lineno, "empty text; every passage needs its text", "text")
    if not isinstance(rec["phase"], str):
        raise errors.CorpusError(path, lineno, f"must be a string (a phase id), got {errors.json_type(rec['phase'])}",
                                 "phase")
    if rec["phase"] not in PHASES:
        raise errors.CorpusError(path, lineno, errors.unknown_label("phase", rec["phase"], PHASES), "phase")
    poles = rec.get("poles", [])
    if poles is None:
        poles = []
    if not isinstance(poles, list):
        raise errors.CorpusError(path, lineno, f"must be a list of pole ids, got {errors.json_type(poles)} "
                                 f"{poles!r}", "poles")
    not_str = [p for p in poles if not isinstance(p, str)]
    if not_str:
        raise errors.CorpusError(path, lineno, f"must be a list of pole ids (strings), got an item that is "
                                 f"{errors.json_type(not_str[0])}", "poles")
    bad = [p for p in poles if p not in POLES]
    if bad:
        raise errors.CorpusError(path, lineno, errors.unknown_label("pole", bad[0], POLES), "poles")
    response = rec.get("response")
    if response is not None and response not in RESPONSES:
        raise errors.CorpusError(path, lineno, errors.unknown_label("response", response, RESPONSES), "response")
    lang = rec.get("lang", "")
    if lang and lang not in LANGS:
        raise errors.CorpusError(path, lineno, errors.unknown_label("lang", lang, LANGS), "lang")
    genre = rec.get("genre", "other") or "other"
    if genre not in GENRES:
        raise errors.CorpusError(path, lineno, errors.unknown_label("genre", genre, GENRES), "genre")
    meta = rec.get("meta") or {}
    if not isinstance(meta, dict):
        raise errors.CorpusError(path, lineno, f"must be an object, got {meta!r}", "meta")
    for key in ("start", "end"):
        if key in meta and (isinstance(meta[key], bool) or not isinstance(meta[key], int) or meta[key] < 0):
            raise errors.CorpusError(path, lineno, f"must be a character offset (a whole number >= 0), got "
                                     f"{errors.json_type(meta[key])} {meta[key]!r}", f"meta.{key}")
    if "round" in meta and meta["round"] not in ROUNDS:
        raise errors.CorpusError(path, lineno, f"must be one of {', '.join(map(str, ROUNDS))}, got "
                                 f"{meta['round']!r}", "meta.round")
    for key in ("form", "writer", "annotator"):
        if key in meta and not (isinstance(meta[key], str) and meta[key].strip()):
            raise errors.CorpusError(path, lineno, f"must be a non-empty string, got {meta[key]!r}", f"meta.{key}")
    doc_id = rec.get("doc_id") or rec["id"].split("#")[0]
    return AnnotatedPassage(id=rec["id"], text=rec["text"], phase=rec["phase"], poles=sort_poles(poles),
                            response=response, doc_id=doc_id, lang=lang, genre=genre, meta=meta)


def iter_file(path: str | Path) -> Iterator[AnnotatedPassage]:
    """Passages of one JSONL file, validated line by line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    yield _parse_line(str(path), lineno, line)
    except UnicodeDecodeError as e:
        raise errors.CorpusError(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start})") from None


def read_corpus(paths: Iterable[str | Path] | str | Path | None = None) -> list[AnnotatedPassage]:
    """Read and validate annotated passages from files or folders (default: ``annotations/corpus``).

    Raises :class:`~pipeline.errors.CorpusError` naming file, line and field on
    the first problem, including duplicate ids across files.
    """
    if paths is None:
        paths = [DEFAULT_ROOT / "corpus"]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, str] = {}
    out: list[AnnotatedPassage] = []
    for f in corpus_files(paths):
        for lineno, p in enumerate(iter_file(f), 1):
            if p.id in seen:
                raise errors.CorpusError(str(f), None, f"duplicate id {p.id!r} (first seen in {seen[p.id]})", "id")
            seen[p.id] = f"{f}"
            out.append(p)
    return out


def validate(paths: Iterable[str | Path]) -> list[str]:
    """All problems in the files, one message each (empty when the corpus is valid)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for f in corpus_files(paths):
        try:
            with f.open(encoding="utf-8") as fh:
                lines = list(fh)
        except UnicodeDecodeError as e:
            problems.append(f"{f}: not UTF-8 ({e.reason} at byte {e.start})")
            continue
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                p = _parse_line(str(f), lineno, line)
            except errors.CorpusError as e:
                problems.append(str(e))
                continue
            if p.id in seen:
                problems.append(f"{f}:{lineno}: field 'id': duplicate id {p.id!r} (first at {seen[p.id]})")
            else:
                seen[p.id] = f"{f}:{lineno}"
    return problems


def data_hash(passages: Iterable[AnnotatedPassage]) -> str:
    """A SHA-256 over ids, texts and labels: the training data's fingerprint."""
    h = hashlib.sha256()
    for p in sorted(passages, key=lambda p: p.id):
        h.update(json.dumps([p.id, p.text, p.phase, p.poles, p.response], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- splits

def load_splits(path: str | Path | None = None) -> dict[str, str]:
    """``doc_id -> split`` from ``annotations/splits.json`` (empty when the file is missing)."""
    path = Path(path) if path else DEFAULT_ROOT / "splits.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("documents", {}))


def _hash_split(key: str) -> str:
    v = int(hashlib.md5(key.encode()).hexdigest(), 16) % 100
    return "train" if v < 70 else "dev" if v < 85 else "test"


def split_of(p: AnnotatedPassage, splits: dict[str, str]) -> str:
    """The split of a passage: from ``splits`` by document; else ``train`` for a passage a person reviewed in
    the report (a correction is there to be learnt from), else a stable hash of its alliance."""
    return splits.get(p.doc_id) or ("train" if p.reviewed else _hash_split(p.alliance))


def split_corpus(passages: list[AnnotatedPassage], splits: dict[str, str] | None = None
                 ) -> dict[str, list[AnnotatedPassage]]:
    """Group passages into train/dev/test (by document, alliances never straddle splits)."""
    splits = load_splits() if splits is None else splits
    out: dict[str, list[AnnotatedPassage]] = {s: [] for s in SPLITS}
    for p in passages:
        out[split_of(p, splits)].append(p)
    return out


# --------------------------------------------------------------------------- stats

def stats(passages: list[AnnotatedPassage], splits: dict[str, str] | None = None) -> dict:
    """Coverage counts: per label x language x genre x split, tensions, responses."""
    splits = load_splits() if splits is None else splits
    out: dict = {"passages": len(passages), "documents": len({p.doc_id for p in passages}),
                 "alliances": len({p.alliance for p in passages})}
    tab: dict[str, Counter] = {}

    def add(label: str, p: AnnotatedPassage) -> None:
        c = tab.setdefault(label, Counter())
        c["all"] += 1
        c[f"lang:{p.lang or '?'}"] += 1
        c[f"genre:{p.genre}"] += 1
        c[f"split:{split_of(p, splits)}"] += 1
        c[f"round:{p.meta.get('round', '?')}"] += 1
        c[f"form:{p.meta.get('form', '?')}"] += 1

    for p in passages:
        add(f"phase:{p.phase}", p)
        for pole in p.poles:
            add(f"pole:{pole}", p)
        for t in tensions(p.poles):
            add(f"tension:{t}", p)
        if tensions(p.poles):
            add("tension:any", p)
        if p.response:
            add(f"response:{p.response}", p)
        if p.meta.get("hard_negative"):
            add("none:hard", p)
        add("all", p)
    out["table"] = {k: dict(v) for k, v in sorted(tab.items())}
    docs: dict[str, AnnotatedPassage] = {}
    for p in passages:
        docs.setdefault(p.doc_id, p)
    out["documents_by"] = {
        "lang": dict(Counter(p.lang for p in docs.values())),
        "genre": dict(Counter(p.genre for p in docs.values())),
        "split": dict(Counter(split_of(p, splits) for p in docs.values())),
        "round": dict(Counter(str(p.meta.get("round", "?")) for p in docs.values())),
        "form": dict(Counter(str(p.meta.get("form", "?")) for p in docs.values())),
    }
    out["rounds"] = {str(r): _round_summary([p for p in passages if p.meta.get("round") == r], splits)
                     for r in sorted({p.meta.get("round") for p in passages if p.meta.get("round") is not None})}
    return out


def _round_summary(passages: list[AnnotatedPassage], splits: dict[str, str]) -> dict:
    """Size and label proportions of one round: what share of its passages carries each label."""
    n = len(passages) or 1
    share = lambda k: round(k / n, 4)  # noqa: E731
    return {"passages": len(passages), "documents": len({p.doc_id for p in passages}),
            "alliances": len({p.alliance for p in passages}), "forms": len({p.meta.get("form") for p in passages}),
            "writers": sorted({str(p.meta.get("writer")) for p in passages}),
            "annotators": sorted({str(p.meta.get("annotator")) for p in passages}),
            "no_pole": share(sum(not p.poles for p in passages)),
            "tension": share(sum(bool(tensions(p.poles)) for p in passages)),
            "phase": {k: share(sum(p.phase == k for p in passages)) for k in PHASES},
            "poles": {k: share(sum(k in p.poles for p in passages)) for k in POLES},
            "response": share(sum(p.response is not None for p in passages)),
            "split": dict(Counter(split_of(p, splits) for p in passages))}


# --------------------------------------------------------------------------- datasets

def to_dataset(passages: list[AnnotatedPassage]):
    """A 🤗 ``Dataset`` with typed features (ClassLabel phase/response, Sequence(ClassLabel) poles)."""
    try:
        import datasets
    except ImportError:  # pragma: no cover - datasets is a core dependency
        raise errors.MissingDependency("datasets", "hf", "The datasets bridge") from None
    features = datasets.Features({
        "id": datasets.Value("string"),
        "doc_id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "lang": datasets.Value("string"),
        "genre": datasets.Value("string"),
        "alliance": datasets.Value("string"),
        "phase": datasets.ClassLabel(names=list(PHASES)),
        "poles": datasets.Sequence(datasets.ClassLabel(names=list(POLES))),
        "response": datasets.ClassLabel(names=["no_response", *RESPONSES]),
    })
    rows = {k: [] for k in features}
    for p in passages:
        rows["id"].append(p.id)
        rows["doc_id"].append(p.doc_id)
        rows["text"].append(p.text)
        rows["lang"].append(p.lang)
        rows["genre"].append(p.genre)
        rows["alliance"].append(p.alliance)
        rows["phase"].append(PHASES.index(p.phase))
        rows["poles"].append([POLES.index(x) for x in p.poles])
        rows["response"].append(0 if p.response is None else 1 + RESPONSES.index(p.response))
    return datasets.Dataset.from_dict(rows, features=features)


def load_dataset(paths=None, splits: dict[str, str] | None = None):
    """The corpus as a ``DatasetDict`` with ``train``/``dev``/``test`` split by document and alliance."""
    import datasets

    parts = split_corpus(read_corpus(paths), splits)
    return datasets.DatasetDict({name: to_dataset(ps) for name, ps in parts.items()})
