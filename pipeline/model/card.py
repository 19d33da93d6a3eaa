"""The model card: a README.md in the model folder, written from the scores the training measured."""

from __future__ import annotations

from pathlib import Path

from ..labels import POLES
from ..evaluate import format_table


def render_card(config: dict, scores: dict, notes: str = "") -> str:
    """The card of a model folder: training data, decision rules, the scores on transfer-test (by writers
    it never saw) beside the in-corpus test split, limits. ``scores`` maps split names to evaluations."""
    tr = config.get("training", {})
    m = config.get("model", {})
    n = tr.get("n", {})
    tuned = tr.get("tuned_on", "dev")
    feats = m.get("features", {}).get("name", "?")
    lines = [f"# Model card: {config.get('name')}@{config.get('version')}", "",
             f"Backend `{config.get('backend')}`: logistic heads over `{feats}` features. Tags the lifecycle phase "
             "(one of five), the paradox poles (eight independent yes/no) and the response to a tension of a "
             "passage of an alliance document, in Dutch or English.", "",
             "## Training data", "",
             f"- annotations: {', '.join(tr.get('annotations', []))}; data hash `{tr.get('data_hash')}` "
             f"(train split `{tr.get('train_hash')}`)",
             f"- passages: {n.get('train', 0)} train; {n.get(tuned, 0)} {tuned} (calibration, phase priors, "
             f"thresholds, abstention); {n.get('transfer-test', 0)} transfer-test and {n.get('test', 0)} test "
             "(the scores below). Splits are by alliance; transfer-dev and transfer-test are written by writers "
             "who wrote nothing in train",
             f"- parent model: {tr.get('parent') or 'none (trained from scratch)'}",
             f"- reviewed in a report: {tr.get('reviewed_passages', 0)} passages ({tr.get('reviewed_in_train', 0)} "
             f"in train) by {', '.join(tr.get('reviewers', [])) or 'nobody'}",
             f"- training time: {tr.get('seconds')} s on the machine that trained it", "",
             "## Decision rules", "",
             f"- phase: the most probable of the five (probabilities calibrated by temperature scaling"
             + (f" and per-phase offsets fitted on {tuned}: " + ", ".join(
                 f"{p} {b:+.2f}" for p, b in zip(("forming", "founding", "evolution", "transformation", "none"),
                                                  m["phase_bias"])) if m.get("phase_bias") else "") + ")"
             + (f"; read in its document's light: which of the four phases a passage is, given that it is one, is "
                f"mixed with its document's by weight {m['context_weight']:.2f} (tuned on {tuned}), its `none` "
                f"score kept" if m.get("context_weight") else ""),
             f"- poles: calibrated probability (Platt scaling) at or over the pole's threshold, tuned for F1 on "
             f"{tuned} and shrunk half-way towards 0.5: " +
             ", ".join(f"{p} {m.get('thresholds', {}).get(p, 0.5):.2f}" for p in POLES),
             f"- response: predicted when P(some response) ≥ {m.get('response_threshold', 0.5):.2f}",
             f"- uncertain: top phase probability below {m.get('abstain_threshold', 0.0):.2f} (below it, "
             f"{tuned} predictions were right at most half of the time)", ""]
    if notes:
        lines += ["## Why this model", "", notes.strip(), ""]
    heads = [(k, v) for k, v in scores.items() if k in ("transfer-test", "test") and v]
    if heads:
        lines += ["## Headline: transfer-test beside the in-corpus test split", "",
                  "| | " + " | ".join(f"{k} all | {k} nl | {k} en" for k, _ in heads) + " |",
                  "|---|" + "---|" * (3 * len(heads))]
        for key in ("phase_macro_f1", "poles_micro_f1", "poles_macro_f1", "tension_f1", "response_macro_f1"):
            lines.append(f"| {key} | " + " | ".join(" | ".join(
                f"{v[lang]['headline'][key]:.2f}" if lang in v else "–" for lang in ("all", "nl", "en"))
                for _, v in heads) + " |")
        lines.append("")
    for split, title in (("transfer-test", "Scores on transfer-test (the headline)"),
                         ("test", "Scores on the in-corpus test split")):
        if scores.get(split):
            s = scores[split]
            lines += [f"## {title}", "",
                      "Per label, overall and per language (F1 columns by language). Tension = both poles of a "
                      "paradox predicted where both were annotated.", "", format_table(s), "",
                      f"Expected calibration error of the phase probability: {s['all']['phase'].get('ece')}; "
                      f"of the pole probabilities: {s['all']['poles'].get('ece')}.", ""]
    lines += ["## Limits", "",
              "- Trained and scored on an invented corpus written for this project (annotations/DATASHEET.md); "
              "the transfer split changes the writers, not the kind of text: on real documents expect less.",
              "- Dutch and English only; other languages are tagged (lang `other`) but the scores mean little.",
              "- A passage is judged on its own words; the document around it is not seen.", ""]
    return "\n".join(lines)


def write_card(path: str | Path, config: dict, scores: dict, notes: str = "") -> Path:
    path = Path(path) / "README.md"
    path.write_text(render_card(config, scores, notes), encoding="utf-8")
    return path
