"""paradox: tag paradox language and lifecycle phases in documents of value-driven alliances.

>>> from pipeline import load_tagger
>>> tagger = load_tagger()                                   # doctest: +SKIP
>>> [p.phase for p in tagger.tag_text("De leden kwamen voor het eerst samen.")]  # doctest: +SKIP
['forming']
"""

from __future__ import annotations

__version__ = "0.1.0"

from .tagger import Tagger, load_tagger
from .types import AnnotatedPassage, Document, Passage, TaggedPassage

__all__ = ["AnnotatedPassage", "Document", "Passage", "TaggedPassage", "Tagger", "load_tagger", "__version__"]
