"""The tagger: passages in, :class:`~pipeline.types.TaggedPassage` out.

``predict`` is pure (texts -> :class:`~pipeline.model.Scores`); ``decide``
turns scores into labels with the model's thresholds; the ``tag_*`` methods
glue ingestion, segmentation and language detection in front of it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .labels import PHASES, POLES, RESPONSES, tensions
from .language import set_languages
from .segment import iter_segments
from .types import Document, DocumentStream, Passage, TaggedPassage, made
from .ingest import read_document
from .model import load_model
from .model.calibrate import document_context
from .model.io import DEFAULT_MODEL


CHUNK = 2000  # passages tagged at a time in a stream
HEAD = 5000  # characters of a document's start that decide the language of its short passages, if need be


class Tagger:
    """A loaded model with its decision rules. Build it with :func:`load_tagger`."""

    def __init__(self, model, config: dict):
        self.model, self.config = model, config
        self.name = f"{config.get('name', 'model')}@{config.get('version', '0')}"
        self.thresholds = {p: float(model.thresholds_.get(p, 0.5)) for p in POLES}
        self.response_threshold = float(model.response_threshold_)
        self.abstain_threshold = float(model.abstain_threshold_)
        self.context_weight = float(getattr(model, "context_weight_", 0.0))  # baselines have no context

    # ------------------------------------------------------------------ pure steps
    def predict(self, texts: list[str]):
        """Calibrated scores for ``texts`` (phase, poles, response)."""
        return self.model.predict_scores(list(texts))

    def decide(self, passages: list[Passage], scores) -> list[TaggedPassage]:
        """Labels from scores: argmax phase (read with the passage's document where the model says so:
        ``context_weight``, over the passages given together that share a ``doc_id``); poles over their
        thresholds; a response when likely enough."""
        out = []
        pole_hits = scores.poles >= np.array([self.thresholds[p] for p in POLES])
        phase = scores.phase
        if self.context_weight > 0 and len(passages) > 1:
            phase = document_context(phase, [p.doc_id for p in passages], self.context_weight, PHASES.index("none"))
        # labels and rounded scores for the whole batch at once; the loop only builds the records
        phase_of = phase.argmax(axis=1).tolist()
        uncertain = (phase.max(axis=1) < self.abstain_threshold).tolist()
        resp = scores.response
        response_of = np.where(1 - resp[:, 0] >= self.response_threshold, resp[:, 1:].argmax(axis=1), -1).tolist()
        ph_r, po_r, re_r = (np.round(np.asarray(x, dtype=np.float64), 4).tolist()
                            for x in (phase, scores.poles, resp[:, 1:]))
        hits = [[POLES[j] for j in np.flatnonzero(row)] for row in pole_hits]
        for i, p in enumerate(passages):
            poles = hits[i]
            out.append(made(TaggedPassage, dict(
                id=p.id, doc_id=p.doc_id, path=p.path, start=p.start, end=p.end, text=p.text, lang=p.lang,
                phase=PHASES[phase_of[i]], phase_scores=dict(zip(PHASES, ph_r[i])),
                poles=poles, pole_scores=dict(zip(POLES, po_r[i])), tensions=tensions(poles),
                response=RESPONSES[response_of[i]] if response_of[i] >= 0 else None,
                response_scores=dict(zip(RESPONSES, re_r[i])),
                model=self.name, uncertain=uncertain[i])))
        return out

    def warm(self) -> None:
        """Load now what a first batch of passages would load (the language detector, the sparse product, the
        lookup tables of the features), so that a worker's first document costs what the others do."""
        texts = ["De leden van het netwerk spraken af om elk jaar samen de resultaten te bespreken.",
                 "The members of the network agreed to review their results together every year.",
                 "Partnerschap, governance en evaluatie: resultaten 2024 in beeld"]  # no function word: detected
        self.tag_passages([Passage(f"warm#{i}", "warm", texts[i % 3]) for i in range(9)])

    # ------------------------------------------------------------------ conveniences
    def tag_passages(self, passages: list[Passage]) -> list[TaggedPassage]:
        """Tag already segmented passages (their ``lang`` is detected when empty), all in one chunk."""
        return self._tag_chunk(passages, "")

    def tag_stream(self, passages: Iterable[Passage], head: str = "",
                   chunk: int = CHUNK) -> Iterator[list[TaggedPassage]]:
        """Tag passages that arrive one by one, ``chunk`` at a time, yielding each chunk tagged: memory
        stays bounded however many there are. Languages are filled in as :meth:`_tag_chunk` says."""
        for run in _runs(passages, chunk):
            yield self._tag_chunk(run, head)

    def tag_document(self, doc: Document | DocumentStream) -> list[TaggedPassage]:
        """Segment and tag a document (a large one is better tagged with :meth:`tag_document_stream`)."""
        return [t for run in self.tag_document_stream(doc) for t in run]

    def tag_document_stream(self, doc: Document | DocumentStream,
                            chunk: int = CHUNK) -> Iterator[list[TaggedPassage]]:
        """Segment and tag a document, yielding its tagged passages in runs of at most ``chunk``. A
        :class:`~pipeline.types.DocumentStream` is read piece by piece and never held whole."""
        head = _Head([doc.text] if isinstance(doc, Document) else doc.chunks)
        passages = (p for run in iter_segments(head, doc.doc_id, doc.path) for p in run)
        for run in _runs(passages, chunk):
            yield self._tag_chunk(run, head.text)

    def _tag_chunk(self, passages: list[Passage], head: str) -> list[TaggedPassage]:
        """Tag one chunk. Passages without a language get one: detected when they are long enough, else
        the majority language of the chunk's long passages (for nearly every document the chunk is the
        whole document), else that of ``head`` (the start of the document) or of the chunk's text."""
        passages = set_languages(passages, head or None)
        return self.decide(passages, self.predict([p.text for p in passages]))

    def tag_text(self, text: str, doc_id: str = "text") -> list[TaggedPassage]:
        """Segment ``text`` into passages and tag each."""
        return self.tag_document(Document(doc_id=doc_id, text=text))

    def tag_file(self, path: str | os.PathLike) -> list[TaggedPassage]:
        """Read a file (txt, md, docx, pdf, html, odt), segment and tag it."""

        return self.tag_document(read_document(path))

    def tag_texts(self, texts: Iterable[str], batch_size: int = 512) -> list[TaggedPassage]:
        """Tag many texts, each as one passage (ids ``text-<n>``), in batches."""
        texts = list(texts)
        out: list[TaggedPassage] = []
        for b in range(0, len(texts), batch_size):
            chunk = [Passage(id=f"text-{b + i}", doc_id=f"text-{b + i}", text=t, start=0, end=len(t))
                     for i, t in enumerate(texts[b:b + batch_size])]
            out.extend(self.tag_passages(chunk))
        return out

    def explain_passages(self, passages: list[TaggedPassage], k: int = 5) -> dict[str, dict]:
        """``id -> {label: [(feature, weight), ...]}`` for the labels already predicted for each passage."""
        labels = [[p.phase, *p.poles] + ([p.response] if p.response else []) for p in passages]
        if hasattr(self.model, "explain_many"):
            found = self.model.explain_many([p.text for p in passages], labels, k)
        else:
            found = [self.model.explain(p.text, labs, k) for p, labs in zip(passages, labels)]
        return {p.id: e for p, e in zip(passages, found)}

    def explain(self, text: str, k: int = 6) -> dict[str, list[tuple[str, float]]]:
        """For each label predicted for ``text`` (as one passage), the words that pushed it most."""
        tp = self.tag_texts([text])[0]
        labels = [tp.phase, *tp.poles] + ([tp.response] if tp.response else [])
        return self.model.explain(text, labels, k)


class _Head:
    """The pieces of a text, passed through; the first ``HEAD`` characters are kept in ``text``."""

    def __init__(self, pieces: Iterable[str]):
        self.pieces, self.text = pieces, ""

    def __iter__(self) -> Iterator[str]:
        for piece in self.pieces:
            if len(self.text) < HEAD:
                self.text += piece[:HEAD - len(self.text)]
            yield piece


def _runs(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while run := list(islice(it, size)):
        yield run


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Tagger:

    model, config = load_model(path)
    return Tagger(model, config)


def load_tagger(path: str | os.PathLike | None = None) -> Tagger:
    """Load a tagger from a model folder; with no path, the default shipped in ``models/default``.

    Loading is cached per folder, costs no network and no training.
    """

    return _load_cached(str(Path(path).resolve() if path else DEFAULT_MODEL))
