"""Language of a passage: ``nl``, ``en`` or ``other`` (lingua, offline, rule- and n-gram based)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .types import Passage

MIN_WORDS = 4


@lru_cache(maxsize=1)
def _detector():
    """The detector; its language models load on first use (the same models and answers as preloading
    them, without loading the ones a run never needs)."""
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.DUTCH, Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH,
             Language.ITALIAN, Language.PORTUGUESE, Language.DANISH, Language.SWEDISH, Language.POLISH]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def _code(lang) -> str:
    if lang is None:
        return "other"
    name = lang.name
    return "nl" if name == "DUTCH" else "en" if name == "ENGLISH" else "other"


def detect(text: str) -> str:
    """``nl``, ``en`` or ``other`` for one text."""
    return _code(_detector().detect_language_of(text))


# lingua's parallel detector runs a thread per core; batch workers (processes that already fill the cores)
# turn it off, so that their threads do not compete for the cores. The answers are the same either way.
PARALLEL = True


def detect_many(texts: list[str]) -> list[str]:
    """Like :func:`detect` for many texts (lingua's parallel detector, unless :data:`PARALLEL` is off)."""
    if not texts:
        return []
    detector = _detector()
    if PARALLEL and len(texts) > 1:
        return [_code(x) for x in detector.detect_languages_in_parallel_of(texts)]
    return [_code(detector.detect_language_of(x)) for x in texts]


def set_languages(passages: list[Passage], doc_text: str | None = None) -> list[Passage]:
    """The passages with ``lang`` filled in where it is empty (new passages; the given ones are frozen).

    Passages of at least :data:`MIN_WORDS` words are detected one by one; shorter ones take the majority
    language of the long ones, else that of ``doc_text`` (the document's start) or of their joined text.
    """
    missing = [i for i, p in enumerate(passages) if not p.lang]
    if not missing:
        return list(passages)
    langs = [p.lang for p in passages]
    long_idx = [i for i in missing if len(passages[i].text.split()) >= MIN_WORDS]
    for i, lang in zip(long_idx, detect_many([passages[i].text for i in long_idx])):
        langs[i] = lang
    known = [langs[i] for i in long_idx if langs[i] in ("nl", "en")]
    if known:
        default = max(("nl", "en"), key=known.count)
    else:
        sample = [passages[i].text for i in missing]
        default = detect(doc_text[:5000]) if doc_text else detect(" ".join(sample)[:5000])
    return [p if p.lang else replace(p, lang=langs[i] or default) for i, p in enumerate(passages)]
