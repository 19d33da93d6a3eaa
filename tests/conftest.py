"""Shared fixtures: a tiny hand-written annotated corpus and a model overfitted on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (alliance, lang, phase, poles, response, text) -- small, hand-written, every label present
TINY = [
    ("a1", "nl", "forming", ["trust"], None, "Bij de eerste ontmoeting klikte het meteen tussen de twee directeuren."),
    ("a1", "nl", "forming", ["trust", "analysis"], "balance",
     "We gingen samen eten, maar vroegen ook drie jaar cijfers op voordat we verder praatten."),
    ("a1", "nl", "founding", ["content"], None, "De statuten regelen de stemverhouding en het secretariaat."),
    ("a1", "nl", "founding", ["stability"], None, "Onze grondbeginselen blijven het anker van de coöperatie."),
    ("a1", "nl", "evolution", ["process"], None, "De werkgroep voerde lange gesprekken om de leden bij elkaar te houden."),
    ("a1", "nl", "evolution", ["process", "content"], "unravel",
     "Zonder goede gesprekken halen we de doelen niet, en zonder doelen worden de gesprekken leeg."),
    ("a1", "nl", "transformation", ["agility"], None, "Toen de subsidie wegviel, schakelden we binnen een maand om."),
    ("a1", "nl", "transformation", ["stability", "agility"], "transcend",
     "We probeerden een nieuw model uit waarin de kern bleef en de uitvoering snel kon wisselen."),
    ("a1", "nl", "none", [], None, "Aanwezig: Jan, Piet en Klaas."),
    ("a1", "nl", "none", [], None, "De balans per 31 december sluit op 1,2 miljoen euro."),
    ("a2", "nl", "evolution", ["consolidation"], None, "Dit jaar kijken we eerst wat werkt voordat we iets nieuws beginnen."),
    ("a2", "nl", "forming", ["cocreation"], None, "Samen droomden we van een regio waar iedereen mee kan doen."),
    ("a2", "nl", "evolution", ["consolidation", "cocreation"], "accept",
     "We houden vast aan wat we kunnen waarmaken en blijven toch nieuwe plannen smeden; dat schuurt, maar hoort erbij."),
    ("a2", "nl", "none", [], None, "Het proces-verbaal is opgemaakt door de deurwaarder."),
    ("a3", "en", "forming", ["trust"], None, "Over a long dinner the founders discovered how much they had in common."),
    ("a3", "en", "forming", ["analysis"], None, "Before signing, each bank shared three years of audited accounts."),
    ("a3", "en", "founding", ["content"], None, "The charter sets out voting rules, fees and the admission criteria."),
    ("a3", "en", "founding", ["stability"], None, "Our founding principles will guide every decision we take."),
    ("a3", "en", "evolution", ["process"], None, "The coordinator visited every member to talk through the frictions."),
    ("a3", "en", "evolution", ["content"], None, "We met four of our five targets and published the indicators online."),
    ("a3", "en", "transformation", ["agility"], None, "When the market shifted we rebuilt the network within weeks."),
    ("a3", "en", "transformation", ["stability", "agility"], "balance",
     "We kept our core identity while reacting quickly to the new regulation."),
    ("a3", "en", "none", [], None, "Apologies were received from Sarah and Tom."),
    ("a3", "en", "none", [], None, "The trust fund's consolidated accounts are attached."),
    ("a4", "en", "evolution", ["consolidation"], None, "We paused new projects to check what our members can realistically carry."),
    ("a4", "en", "transformation", ["cocreation"], None, "Together we imagined a bold new programme with the city."),
    ("a4", "en", "evolution", ["consolidation", "cocreation"], "transcend",
     "Instead of choosing between quality and new ideas, we piloted one idea and learnt from it together."),
    ("a4", "en", "none", [], None, "The next meeting will be held on 3 May at 10 am."),
]


def tiny_passages():
    from pipeline.types import AnnotatedPassage

    out = []
    for i, (alliance, lang, phase, poles, resp, text) in enumerate(TINY):
        out.append(AnnotatedPassage(id=f"{alliance}-doc#{i}", doc_id=f"{alliance}-doc", text=text, phase=phase,
                                    poles=poles, response=resp, lang=lang, genre="other",
                                    meta={"alliance": alliance}))
    return out


@pytest.fixture(scope="session")
def tiny_corpus_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "tiny.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for p in tiny_passages():
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def tiny_model():
    """A tfidf model overfitted on the tiny corpus."""
    from pipeline.model import make_model

    return make_model("tfidf", C=1000.0, folds=2, min_df=1).fit(tiny_passages())


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model, tmp_path_factory) -> Path:
    from pipeline.model import save_model

    return save_model(tiny_model, tmp_path_factory.mktemp("model") / "tiny", name="tiny", version="0.0.1")
