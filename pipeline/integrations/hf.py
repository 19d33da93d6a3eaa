"""Tagged passages in 🤗 ``datasets`` and pandas.

>>> from pipeline import load_tagger
>>> from pipeline.integrations.hf import tag_dataset, to_dataframe
>>> tagger = load_tagger()                                        # doctest: +SKIP
>>> ds = tag_dataset(datasets.Dataset.from_dict({"text": texts}), tagger)  # doctest: +SKIP
>>> df = to_dataframe(tagger.tag_texts(texts))                    # doctest: +SKIP

:func:`tag_dataset` tags one text column with ``Dataset.map(batched=True)``,
each row as one passage, and adds the ``paradox_*`` columns;
:func:`to_dataframe` and :func:`to_dataset` turn a list of
:class:`~pipeline.types.TaggedPassage` into a table, one row per passage, list
columns for poles and tensions and one score column per label.
"""

from __future__ import annotations

from typing import Iterable

from ..labels import PHASES, POLES, RESPONSES
from ..types import TaggedPassage
from .. import errors
from ..tagger import load_tagger

BASE_COLUMNS = ("id", "doc_id", "path", "start", "end", "text", "lang", "phase", "poles", "tensions", "response",
                "uncertain", "model")
SCORE_COLUMNS = ([f"phase_{k}" for k in PHASES] + [f"pole_{k}" for k in POLES]
                 + [f"response_{k}" for k in RESPONSES])
ADDED = ("phase", "poles", "tensions", "response", "phase_score", "uncertain")


def _features(prefix: str = ""):
    import datasets

    return {f"{prefix}phase": datasets.Value("string"),
            f"{prefix}poles": datasets.Sequence(datasets.Value("string")),
            f"{prefix}tensions": datasets.Sequence(datasets.Value("string")),
            f"{prefix}response": datasets.Value("string"),
            f"{prefix}phase_score": datasets.Value("float32"),
            f"{prefix}uncertain": datasets.Value("bool")}


def _records(tagged: Iterable[TaggedPassage]) -> dict[str, list]:
    cols: dict[str, list] = {c: [] for c in (*BASE_COLUMNS, *SCORE_COLUMNS)}
    for t in tagged:
        for c in BASE_COLUMNS:
            v = getattr(t, c)
            cols[c].append(list(v) if c in ("poles", "tensions") else v)
        for k in PHASES:
            cols[f"phase_{k}"].append(float(t.phase_scores.get(k, 0.0)))
        for k in POLES:
            cols[f"pole_{k}"].append(float(t.pole_scores.get(k, 0.0)))
        for k in RESPONSES:
            cols[f"response_{k}"].append(float(t.response_scores.get(k, 0.0)))
    return cols


def to_dataframe(tagged: Iterable[TaggedPassage]):
    """A pandas ``DataFrame``: one row per passage, ``poles``/``tensions`` as lists, one column per score."""
    import pandas as pd

    return pd.DataFrame(_records(tagged), columns=[*BASE_COLUMNS, *SCORE_COLUMNS])


def to_dataset(tagged: Iterable[TaggedPassage]):
    """A 🤗 ``Dataset`` with the columns of :func:`to_dataframe` and typed features."""
    import datasets

    feats = {c: datasets.Value("string") for c in ("id", "doc_id", "path", "text", "lang", "phase", "response",
                                                    "model")}
    feats.update({"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                  "poles": datasets.Sequence(datasets.Value("string")),
                  "tensions": datasets.Sequence(datasets.Value("string")), "uncertain": datasets.Value("bool")})
    feats.update({c: datasets.Value("float32") for c in SCORE_COLUMNS})
    features = datasets.Features({c: feats[c] for c in (*BASE_COLUMNS, *SCORE_COLUMNS)})
    return datasets.Dataset.from_dict(_records(tagged), features=features)


def tag_dataset(dataset, tagger=None, text_column: str = "text", prefix: str = "paradox_", batch_size: int = 256,
                **map_kwargs):
    """Tag ``dataset[text_column]`` (each row one passage) with ``Dataset.map(batched=True)``.

    Adds ``{prefix}phase``, ``{prefix}poles``, ``{prefix}tensions``,
    ``{prefix}response``, ``{prefix}phase_score`` (the probability of the
    phase) and ``{prefix}uncertain``. ``tagger`` defaults to the shipped
    model; ``map_kwargs`` go to ``Dataset.map`` (e.g. ``num_proc``).
    """
    import datasets


    if isinstance(dataset, datasets.DatasetDict):
        raise TypeError(f"expected a Dataset, got a DatasetDict with splits {list(dataset)}; "
                        f"tag one split, e.g. tag_dataset(ds['{next(iter(dataset), 'train')}'], tagger), "
                        f"or all with ds.map")
    if text_column not in dataset.column_names:
        raise KeyError(f"no column {text_column!r} in the dataset; its columns: {', '.join(dataset.column_names)}. "
                       f"Pass text_column=...")
    clash = [f"{prefix}{c}" for c in ADDED if f"{prefix}{c}" in dataset.column_names]
    if clash:
        raise ValueError(f"the dataset already has the column(s) {', '.join(clash)}; pass another prefix=")
    if tagger is None:

        tagger = load_tagger()
    elif not hasattr(tagger, "tag_texts"):
        raise errors.ModelError(f"expected a Tagger (pipeline.load_tagger()), got {type(tagger).__name__}")

    def tag_batch(batch: dict) -> dict:
        tagged = tagger.tag_texts([t or "" for t in batch[text_column]])
        return {f"{prefix}phase": [t.phase for t in tagged], f"{prefix}poles": [list(t.poles) for t in tagged],
                f"{prefix}tensions": [list(t.tensions) for t in tagged],
                f"{prefix}response": [t.response for t in tagged],
                f"{prefix}phase_score": [float(t.phase_scores[t.phase]) for t in tagged],
                f"{prefix}uncertain": [bool(t.uncertain) for t in tagged]}

    features = dataset.features.copy()
    features.update(_features(prefix))
    return dataset.map(tag_batch, batched=True, batch_size=batch_size, features=features, **map_kwargs)
