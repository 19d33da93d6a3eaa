"""🤗 datasets and pandas: tag a Dataset column with map(batched=True), tagged passages to tables."""

import datasets
import pandas as pd
import pytest

from pipeline.integrations.hf import SCORE_COLUMNS, tag_dataset, to_dataframe, to_dataset
from pipeline.tagger import load_tagger

from .conftest import TINY

TEXTS = [t[-1] for t in TINY[:7]] + [""]


def test_tag_dataset_adds_the_tagger_labels(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    ds = datasets.Dataset.from_dict({"body": TEXTS, "n": list(range(len(TEXTS)))})
    out = tag_dataset(ds, tagger, text_column="body", batch_size=3)
    expected = tagger.tag_texts(TEXTS)
    assert out.num_rows == len(TEXTS) and out["n"] == ds["n"] and out["body"] == TEXTS
    assert out["paradox_phase"] == [t.phase for t in expected]
    assert out["paradox_poles"] == [t.poles for t in expected]
    assert out["paradox_tensions"] == [t.tensions for t in expected]
    assert out["paradox_response"] == [t.response for t in expected]
    assert out["paradox_phase_score"] == pytest.approx([t.phase_scores[t.phase] for t in expected], abs=1e-6)
    assert out["paradox_phase"][:4] == ["forming", "forming", "founding", "founding"]  # overfitted
    assert out.features["paradox_poles"].feature.dtype == "string"


def test_tag_dataset_guards(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    ds = datasets.Dataset.from_dict({"text": TEXTS[:2]})
    with pytest.raises(KeyError, match="no column 'body'.*columns: text"):
        tag_dataset(ds, tagger, text_column="body")
    with pytest.raises(TypeError, match=r"got a DatasetDict with splits \['train'\]"):
        tag_dataset(datasets.DatasetDict({"train": ds}), tagger)
    tagged = tag_dataset(ds, tagger)
    with pytest.raises(ValueError, match="already has the column"):
        tag_dataset(tagged, tagger)
    assert "pred_phase" in tag_dataset(tagged, tagger, prefix="pred_").column_names


def test_dataframe_and_dataset_of_tagged_passages(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    tagged = tagger.tag_text("\n\n".join(TEXTS[:3]), doc_id="d")
    df = to_dataframe(tagged)
    assert isinstance(df, pd.DataFrame) and len(df) == 3
    assert list(df["phase"]) == [t.phase for t in tagged] and list(df["poles"]) == [t.poles for t in tagged]
    assert list(df["start"]) == [t.start for t in tagged] and set(SCORE_COLUMNS) <= set(df.columns)
    assert df.loc[1, "phase_forming"] == tagged[1].phase_scores["forming"]
    ds = to_dataset(tagged)
    assert ds.num_rows == 3 and ds["poles"] == [t.poles for t in tagged] and ds["id"] == ["d#1", "d#2", "d#3"]
    assert to_dataset([]).num_rows == 0 and list(to_dataframe([]).columns) == list(ds.column_names)


def test_tagging_a_pandas_column(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    df = pd.DataFrame({"text": TEXTS[:4]}, index=[10, 11, 12, 13])
    pred = to_dataframe(tagger.tag_texts(df["text"])).set_index(df.index)
    df = df.join(pred[["phase", "poles"]])
    assert list(df["phase"]) == ["forming", "forming", "founding", "founding"]
    assert df.loc[11, "poles"] == ["trust", "analysis"]
