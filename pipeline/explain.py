"""Why the tagger said what it said: one passage's labels, their probabilities and the words behind them.

:func:`explain_text` returns one flat, JSON-ready shape (``paradox explain --json`` prints it)::

    {"text": "...", "phase": "forming", "poles": ["trust"], "tensions": [], "response": null,
     "uncertain": false, "model": "default@2.0.0",
     "labels": [{"kind": "phase", "label": "forming", "probability": 0.61}, ...],
     "reasons": [{"kind": "phase", "label": "forming", "probability": 0.61, "word": "ontmoeting",
                  "weight": 0.35}, ...]}

``labels`` lists every predicted label; ``reasons`` has one row per word (or word pair) that pushed a
predicted label up, heaviest first per label; function words of Dutch and English are never reasons.
"""

from __future__ import annotations

import os

from .tagger import load_tagger


def explain_text(text: str, model: str | os.PathLike | None = None, k: int = 6) -> dict:
    tagger = load_tagger(model)
    tp = tagger.tag_texts([text])[0]
    words = tagger.explain(text, k)
    labels = [{"kind": "phase", "label": tp.phase, "probability": tp.phase_scores[tp.phase]}]
    labels += [{"kind": "pole", "label": p, "probability": tp.pole_scores[p]} for p in tp.poles]
    if tp.response:
        labels.append({"kind": "response", "label": tp.response, "probability": tp.response_scores[tp.response]})
    reasons = [{**lab, "word": w, "weight": round(float(v), 4)} for lab in labels for w, v in words.get(lab["label"], [])]
    return {"text": text, "phase": tp.phase, "poles": tp.poles, "tensions": tp.tensions, "response": tp.response,
            "uncertain": tp.uncertain, "model": tp.model, "labels": labels, "reasons": reasons}
