"""The spaCy pipeline component ``paradox/tagger``.

>>> import spacy
>>> nlp = spacy.blank("nl")
>>> nlp.add_pipe("paradox/tagger")                          # doctest: +SKIP
>>> doc = nlp("De leden kwamen voor het eerst samen.")      # doctest: +SKIP
>>> [(s.label_, s._.paradox_poles) for s in doc.spans["paradox"]]  # doctest: +SKIP
[('forming', [])]

The component segments ``doc.text`` with the project's segmenter (the same
passages as ``paradox tag``), tags every passage and writes one span per
passage to ``doc.spans["paradox"]``, labelled with its phase. Each span carries
the extensions ``paradox_poles``, ``paradox_pole_scores``,
``paradox_phase_scores``, ``paradox_tensions`` and ``paradox_response``;
``doc._.paradox_summary`` counts phases, poles and tensions over the doc.

Like spaCy's own components it separates ``predict(docs)`` (pure: docs to
tagged passages) from ``set_annotations(docs, tagged)``. ``nlp.to_disk``
copies the model folder into the pipeline folder, so a saved pipeline loads
anywhere with ``spacy.load`` and tags the same.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import PARADOXES, PHASES, POLES
from ..types import Document, TaggedPassage
from ..tagger import load_tagger
from ..language import set_languages
from ..segment import segment
from ..model.io import DEFAULT_MODEL
from .. import errors

FACTORY = "paradox/tagger"
SPANS_KEY = "paradox"
SPAN_EXTENSIONS = ("paradox_poles", "paradox_pole_scores", "paradox_phase_scores", "paradox_tensions",
                   "paradox_response")


def summarize_spans(doc: Doc, spans_key: str | None = None) -> dict:
    """Counts over a doc's paradox spans: passages, phases, poles, tensions and responses."""
    spans_key = spans_key or doc.user_data.get("paradox_spans_key", SPANS_KEY)
    spans = list(doc.spans[spans_key]) if spans_key in doc.spans else []
    phases = Counter(s.label_ for s in spans)
    poles = Counter(p for s in spans for p in (s._.paradox_poles or []))
    tens = Counter(t for s in spans for t in (s._.paradox_tensions or []))
    resp = Counter(s._.paradox_response for s in spans if s._.paradox_response)
    return {"passages": len(spans),
            "phases": {k: phases.get(k, 0) for k in PHASES},
            "poles": {k: poles.get(k, 0) for k in POLES},
            "tensions": {k: tens.get(k, 0) for k in PARADOXES},
            "responses": dict(resp)}


def register_extensions() -> None:
    """Declare the Span and Doc extensions (idempotent)."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("paradox_summary"):
        Doc.set_extension("paradox_summary", getter=summarize_spans)


class ParadoxTagger:
    """Tags the passages of each doc with phase, poles, tensions and response.

    ``model`` is a model folder (a string path); ``None`` is the default model
    shipped in ``models/default``. The model is loaded on first use.
    """

    def __init__(self, nlp: Language, name: str = FACTORY, model: Optional[str] = None,
                 spans_key: str = SPANS_KEY):
        register_extensions()
        self.name, self.model, self.spans_key = name, model, spans_key
        self._tagger = None

    @property
    def tagger(self):
        if self._tagger is None:

            self._tagger = load_tagger(self.model)
        return self._tagger

    # ------------------------------------------------------------------ predict / set_annotations
    def predict(self, docs: Iterable[Doc]) -> list[list[TaggedPassage]]:
        """Tagged passages of each doc, in order; all passages of the batch are scored in one call."""

        per_doc = []
        for i, doc in enumerate(docs):
            per_doc.append(set_languages(segment(Document(doc_id=f"doc{i}", text=doc.text)), doc.text))
        flat = [p for ps in per_doc for p in ps]
        tagged = self.tagger.decide(flat, self.tagger.predict([p.text for p in flat])) if flat else []
        out, k = [], 0
        for ps in per_doc:
            out.append(tagged[k:k + len(ps)])
            k += len(ps)
        return out

    def set_annotations(self, docs: Iterable[Doc], tagged: list[list[TaggedPassage]]) -> None:
        """One span per passage in ``doc.spans[spans_key]``, label = phase, with the paradox extensions."""
        for doc, passages in zip(docs, tagged):
            spans = []
            for t in passages:
                span = doc.char_span(t.start, t.end, label=t.phase, alignment_mode="expand")
                if span is None:  # a passage inside one token cannot happen with the segmenter; guard anyway
                    continue
                span._.paradox_poles = list(t.poles)
                span._.paradox_pole_scores = dict(t.pole_scores)
                span._.paradox_phase_scores = dict(t.phase_scores)
                span._.paradox_tensions = list(t.tensions)
                span._.paradox_response = t.response
                spans.append(span)
            doc.spans[self.spans_key] = spans
            if self.spans_key != SPANS_KEY:
                doc.user_data["paradox_spans_key"] = self.spans_key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
                batch = []
        if batch:
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    # ------------------------------------------------------------------ serialization
    def _model_dir(self) -> Path:

        return Path(self.model) if self.model else DEFAULT_MODEL

    def to_disk(self, path, exclude: Iterable[str] = ()) -> None:
        """Write ``cfg.json`` and a copy of the model folder (config JSON and safetensors, no pickles)."""

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        src = self._model_dir()
        if not (src / "config.json").exists():
            raise errors.ModelError(f"{src} is not a model folder: no config.json; the component "
                                    f"'{self.name}' cannot be saved without its model")
        dest = path / "model"
        if not dest.exists() or src.resolve() != dest.resolve():
            shutil.copytree(src, dest, dirs_exist_ok=True)
        (path / "cfg.json").write_text(json.dumps({"spans_key": self.spans_key, "model": self.tagger.name,
                                                   "source": str(src)}, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, exclude: Iterable[str] = ()) -> "ParadoxTagger":
        """Load the model copied by :meth:`to_disk` (whatever path the config named)."""

        path = Path(path)
        if not (path / "model" / "config.json").exists():
            raise errors.ModelError(f"{path}: no model/config.json; was this pipeline saved with nlp.to_disk?")
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8")) if (path / "cfg.json").exists() else {}
        self.spans_key = cfg.get("spans_key", self.spans_key)
        self.model = str((path / "model").resolve())
        self._tagger = None
        return self


@Language.factory(FACTORY, default_config={"model": None, "spans_key": SPANS_KEY},
                  assigns=["doc.spans", "doc._.paradox_summary", *(f"span._.{n}" for n in SPAN_EXTENSIONS)])
def make_tagger(nlp: Language, name: str, model: Optional[str], spans_key: str) -> ParadoxTagger:
    """The ``paradox/tagger`` factory: ``nlp.add_pipe("paradox/tagger", config={"model": "path/to/model"})``."""
    return ParadoxTagger(nlp, name, model=model, spans_key=spans_key)
