"""Bridges to the tools researchers use: spaCy, 🤗 datasets and pandas, annotation tools.

Each bridge lives in its own module and imports its tool lazily, so that
``import pipeline.integrations`` costs nothing:

- :mod:`.spacy_component`: the ``paradox/tagger`` pipeline component;
- :mod:`.hf`: tag a 🤗 ``Dataset`` column, tagged passages to a DataFrame or Dataset;
- :mod:`.annotation_tools`: Label Studio, Prodigy, doccano and CSV, both ways.
"""

from __future__ import annotations
