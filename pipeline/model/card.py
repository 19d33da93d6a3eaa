"""The model card: a README.md in the model folder, written from the scores the training measured."""

from __future__ import annotations

from pathlib import Path

from ..labels import POLES
from ..evaluate import format_table


def render_card(config: dict, test_scores: dict, notes: str = "") -> str:

    tr = config.get("training", {})
    m = config.get("model", {})
    n = tr.get("n", {})
    lines = [f"# Model card: {config.get('name')}@{config.get('version')}", "",
             f"Backend `{tr.get('backend', config.get('backend'))}` ({config.get('backend')} heads over "
             f"`{m.get('features', {}).get('name', '?')}` features). Tags the lifecycle phase (one of five), the "
             "paradox poles (eight independent yes/no) and the response to a tension of a passage of an alliance "
             "document, in Dutch or English.", "",
             "## Training data", "",
             f"- annotations: {', '.join(tr.get('annotations', []))}; data hash `{tr.get('data_hash')}` "
             f"(train split `{tr.get('train_hash')}`)",
             f"- passages: {n.get('train', 0)} train, {n.get('dev', 0)} dev (thresholds, calibration checks), "
             f"{n.get('test', 0)} test (the scores below); split by alliance, so no test passage shares a "
             "document or an alliance with training",
             f"- parent model: {tr.get('parent') or 'none (trained from scratch)'}",
             f"- training time: {tr.get('seconds')} s on the machine that trained it", "",
             "## Decision rules", "",
             "- phase: the most probable of the five (probabilities calibrated by temperature scaling on "
             "out-of-fold scores)",
             "- poles: calibrated probability (Platt scaling on out-of-fold scores) at or over the pole's "
             "threshold, tuned for F1 on dev and shrunk half-way towards 0.5: " +
             ", ".join(f"{p} {m.get('thresholds', {}).get(p, 0.5):.2f}" for p in POLES),
             f"- response: predicted when P(some response) ≥ {m.get('response_threshold', 0.5):.2f}",
             f"- uncertain: top phase probability below {m.get('abstain_threshold', 0.0):.2f} (below it, "
             "dev-split predictions were right at most half of the time)", ""]
    if notes:
        lines += ["## Why this model", "", notes.strip(), ""]
    if test_scores:
        lines += ["## Scores on the test split", "",
                  "Per label, overall and per language (F1 columns by language). Tension = both poles of a "
                  "paradox predicted where both were annotated.", "", format_table(test_scores), "",
                  f"Expected calibration error of the phase probability: {test_scores['all']['phase'].get('ece')}; "
                  f"of the pole probabilities: {test_scores['all']['poles'].get('ece')}.", ""]
    lines += ["## Limits", "",
              "- Trained on an invented corpus written for this project (annotations/DATASHEET.md); real "
              "documents differ in style, length and topic, so expect lower scores on them.",
              "- Dutch and English only; other languages are tagged (lang `other`) but the scores mean little.",
              "- A passage is judged on its own words; the document around it is not seen.", ""]
    return "\n".join(lines)


def write_card(path: str | Path, config: dict, test_scores: dict, notes: str = "") -> Path:
    path = Path(path) / "README.md"
    path.write_text(render_card(config, test_scores, notes), encoding="utf-8")
    return path
