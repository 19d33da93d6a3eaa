"""Bridges to the libraries researchers program with: spaCy, 🤗 datasets and pandas.

Each bridge lives in its own module and imports its tool lazily, so that
``import pipeline.integrations`` costs nothing:

- :mod:`.spacy_component`: the ``paradox/tagger`` pipeline component;
- :mod:`.hf`: tag a 🤗 ``Dataset`` column, tagged passages to a DataFrame or Dataset.

Files for other research tools (QDA software, annotation tools) are :mod:`pipeline.exchange`'s.
"""

from __future__ import annotations
