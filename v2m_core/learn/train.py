"""The training loop: random windows, augmentation, AdamW, warm-up + cosine schedule, early stopping.

A run folder holds `last.pt` (resumable state), `best.pt` (the lowest validation loss so far, the
model to use), `metrics.json` and `learning_curve.png`. Each epoch reseeds from (seed, epoch), so a
resumed run continues exactly as an uninterrupted one would.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import Dataset, DistributedSampler

from v2m_core.atomic import atomic_write_bytes, atomic_write_text
from v2m_core.errors import UsageError
from v2m_core.learn import checkpoint
from v2m_core.learn.batches import Batch, Prepared, Window, collate, prepare, random_windows, tiled_windows
from v2m_core.learn.checkpoint import Dynamics, Trained
from v2m_core.learn.curves import plot_learning_curve
from v2m_core.learn.data import read_manifest, read_videos
from v2m_core.learn.distributed import Ranks, all_sum, process_group, wait_for_all
from v2m_core.learn.features import EMOTION_STREAM, Normaliser, input_specs
from v2m_core.learn.losses import TaskWeighting, chord_loss, emotion_loss, emotion_mask, fixed_total
from v2m_core.learn.tokens import ChordTokens, split_label
from v2m_core.learn.training_config import TrainConfig
from v2m_core.plugins import PluginManager
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.schemas.manifest import FeatureSpec

BEST, LAST, METRICS, CURVE = "best.pt", "last.pt", "metrics.json", "learning_curve.png"
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Splits:
    train: list[Prepared]
    val: list[Prepared]


def batch_losses(trained: Trained, batch: Batch, mask: torch.Tensor) -> dict[str, torch.Tensor]:
    """Logits and the three losses of one batch (dynamics is zero without a regressor or targets)."""
    logits = trained.model(batch.features, batch.inputs, batch.padding)
    losses = {"logits": logits, "chord": chord_loss(logits, batch.targets, trained.tokens.pad),
              "emotion": emotion_loss(logits, batch.emotion, batch.chord_positions, mask)}
    if trained.regressor is not None and batch.dynamics is not None:
        predicted = trained.regressor(batch.features)
        valid = batch.chord_positions.unsqueeze(-1).float()
        losses["dynamics"] = (((predicted - batch.dynamics) ** 2) * valid).sum() / (valid.sum() * 2).clamp(min=1.0)
    else:
        losses["dynamics"] = torch.zeros((), device=logits.device)
    return losses


def load_splits(dataset: Path, config: TrainConfig, tokens: ChordTokens | None = None,
                normaliser: Normaliser | None = None, dynamics: Dynamics | None = None) -> tuple[
        Splits, ChordTokens, Normaliser, Dynamics | None, list[FeatureSpec]]:
    """Read train and val; fit tokens, feature statistics and dynamics statistics on train unless given."""
    manifest = read_manifest(dataset)
    specs = input_specs(manifest.features, config.features)
    if config.emotion_weight > 0 and not any(s.name == EMOTION_STREAM and s.dim == len(EMOTIONS) for s in specs):
        raise UsageError(f"the emotion term needs a {len(EMOTIONS)}-value '{EMOTION_STREAM}' input stream; "
                         "add it to --features or train with --emotion-weight 0")
    train = read_videos(dataset, manifest, "train", specs)
    val = read_videos(dataset, manifest, "val", specs)
    if not train or not val:
        raise UsageError(f"{dataset}: training needs videos in both the train and val splits "
                         f"(found {len(train)} and {len(val)}); `v2m dataset build --no-preserve-splits` draws a fresh "
                         "split, which gives train and val a video each from 2 videos on")
    if not any(split_label(label) for record in train for label in set(record.chords)):
        raise UsageError(f"{dataset}: every second of the train split is N or X (no chord was recognised), so a "
                         "model would learn no chord to play; check the soundtracks or the dataset's recognizer")
    tokens = tokens or ChordTokens.from_vocabulary(manifest.chord_vocabulary)
    normaliser = normaliser or Normaliser.fit([record.streams for record in train])
    if dynamics is None and all(record.targets is not None for record in train):
        values = np.concatenate([record.targets for record in train if record.targets is not None])
        mean, scale = values.mean(axis=0), np.where(values.std(axis=0) > 1e-6, values.std(axis=0), 1.0)
        z = (values - mean) / scale
        dynamics = Dynamics(mean, scale, np.percentile(z, 5, axis=0), np.percentile(z, 95, axis=0))
    stats = (dynamics.mean, dynamics.scale) if dynamics else None
    return (Splits(prepare(train, tokens, normaliser, stats), prepare(val, tokens, normaliser, stats)),
            tokens, normaliser, dynamics, specs)


def train(dataset: Path, output: Path, config: TrainConfig, plugins: PluginManager | None = None,
          resume: Path | None = None, progress: Progress | None = None) -> tuple[Trained, dict[str, Any]]:
    """Train (or continue `resume`, a `last.pt`); return the model with the best validation weights
    restored (as in `output/best.pt`) and the metrics written to `output/metrics.json`.

    Launched by torchrun, each process trains on its share of every batch (`distributed.py`);
    `config.batch_size` stays the global batch, so any number of processes follows one curve."""
    if config.device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is available to torch")
    with process_group(config.device) as ranks:
        if config.batch_size % ranks.world:
            raise UsageError(f"--batch-size {config.batch_size} is the global batch: it must be a multiple of the "
                             f"{ranks.world} training processes")
        return _train(dataset, output, config, plugins, resume, progress if ranks.main else None, ranks)


def _train(dataset: Path, output: Path, config: TrainConfig, plugins: PluginManager | None, resume: Path | None,
           progress: Progress | None, ranks: Ranks) -> tuple[Trained, dict[str, Any]]:
    device = ranks.device(config.device)
    state: dict[str, Any] = {}
    if resume is not None:
        previous, state = checkpoint.load(resume, str(device), plugins)
        config = previous.config.model_copy(update={"epochs": config.epochs, "device": config.device,
                                                    "precision": config.precision})
        splits, tokens, normaliser, dynamics, specs = load_splits(dataset, config, previous.tokens,
                                                                  previous.normaliser, previous.dynamics)
        trained = previous
    else:
        splits, tokens, normaliser, dynamics, specs = load_splits(dataset, config)
        torch.manual_seed(config.seed)
        trained = checkpoint.build(config, tokens, specs, normaliser, dynamics, plugins)
    trained.model.to(device).train()
    if trained.regressor is not None:
        trained.regressor.to(device).train()
    weighting = TaskWeighting(config.emotion_weight, config.weighting == "uncertainty").to(device)
    parameters = [*trained.model.parameters(), *weighting.parameters(),
                  *(trained.regressor.parameters() if trained.regressor else [])]
    # fused: one kernel for all parameters instead of ~10 small ones each (~3x faster on CPU, and far
    # less exposed to a busy machine); the same update up to float rounding
    optimiser = torch.optim.AdamW(parameters, lr=config.learning_rate, weight_decay=config.weight_decay, fused=True)
    steps_per_epoch = math.ceil(len(random_windows(splits.train, config.window, config.min_window, False,
                                                   np.random.default_rng(0))) / config.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, _schedule(config, steps_per_epoch * config.epochs))
    if state:
        optimiser.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        weighting.load_state_dict(state["weighting"])
    objective = Objective(trained, weighting)
    stepper: nn.Module = objective
    if ranks.distributed:
        stepper = DistributedDataParallel(objective, device_ids=[ranks.local] if device.type == "cuda" else None)
    history: list[dict[str, Any]] = json.loads(state.get("history", "[]"))
    best = float(state.get("best", math.inf))
    stale = int(state.get("stale", 0))
    mask = emotion_mask(tokens).to(device)
    uniform = math.log(tokens.outputs)
    if ranks.main:
        output.mkdir(parents=True, exist_ok=True)
        if resume is not None and not (output / BEST).is_file() and (resume.parent / BEST).is_file():
            atomic_write_bytes(output / BEST, (resume.parent / BEST).read_bytes())  # resumed into a new folder
    for epoch in range(len(history) + 1, config.epochs + 1):
        if stale >= config.patience:
            break
        started = time.perf_counter()
        train_row = _train_epoch(stepper, objective, splits.train, config, epoch, optimiser, scheduler, mask,
                                 device, ranks, progress)
        val_row = {f"val_{k}": v for k, v in evaluate_losses(trained, splits.val, config, mask, device, ranks).items()}
        row: dict[str, Any] = {"epoch": epoch, **train_row, **val_row, "lr": scheduler.get_last_lr()[0],
               "seconds": round(time.perf_counter() - started, 3)}
        if weighting.log_variance is not None:
            row["log_variance"] = [round(float(v), 4) for v in weighting.log_variance.detach().cpu()]
        history.append(row)
        improved = row["val_loss"] < best - 1e-4
        best, stale = (row["val_loss"], 0) if improved else (best, stale + 1)
        if ranks.main:
            training = {"optimizer": optimiser.state_dict(), "scheduler": scheduler.state_dict(),
                        "weighting": weighting.state_dict(), "history": json.dumps(history), "best": best,
                        "stale": stale}
            if improved:
                checkpoint.save(output / BEST, trained, training)
            checkpoint.save(output / LAST, trained, training)
            _write_metrics(output, _metrics(history, uniform, stale >= config.patience))
    wait_for_all(ranks)  # rank 0 has written best.pt
    best_model, _ = checkpoint.load(output / BEST, str(device), plugins)
    return best_model, _metrics(history, uniform, stale >= config.patience)


class Objective(nn.Module):
    """What one optimiser step minimises, over the model, the dynamics regressor and the task weighting:
    one module, so DistributedDataParallel averages the gradients of all three."""

    def __init__(self, trained: Trained, weighting: TaskWeighting) -> None:
        super().__init__()
        self.trained = trained
        self.model, self.weighting, self.regressor = trained.model, weighting, trained.regressor

    def forward(self, batch: Batch, mask: torch.Tensor, shares: tuple[float, float]) -> dict[str, torch.Tensor]:
        """The weighted total and its parts, each scaled by this process's `shares` (see `batch_shares`)."""
        losses = batch_losses(self.trained, batch, mask)
        tokens, seconds = shares
        parts = {"chord": losses["chord"] * tokens, "emotion": losses["emotion"] * seconds,
                 "dynamics": losses["dynamics"] * seconds}
        return {"loss": self.weighting(parts["chord"], parts["emotion"]) + parts["dynamics"], **parts}


def batch_shares(batch: Batch, pad: int, ranks: Ranks, device: torch.device) -> tuple[float, float]:
    """World size times this process's share of the global batch's chord targets and of its seconds.

    Each loss is a mean over this process's targets (chord) or seconds (emotion, dynamics); scaled by
    these, the mean over processes that DistributedDataParallel takes of the gradients is the gradient
    of the whole batch's loss, as one process would compute it. (1, 1) for one process."""
    if not ranks.distributed:
        return 1.0, 1.0
    local = [float((batch.targets != pad).sum()), float((~batch.padding).sum())]
    total = all_sum(local, ranks, device)
    return ranks.world * local[0] / total[0], ranks.world * local[1] / max(1.0, total[1])


def _schedule(config: TrainConfig, total: int) -> Callable[[int], float]:
    """Linear warm-up over `warmup` of the steps, then cosine decay to a tenth of the rate."""
    warm = max(1, int(config.warmup * total))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        progress = min(1.0, (step - warm) / max(1, total - warm))
        return 0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * progress))

    return factor


def _train_epoch(stepper: nn.Module, objective: Objective, videos: list[Prepared], config: TrainConfig, epoch: int,
                 optimiser: torch.optim.Optimizer, scheduler: torch.optim.lr_scheduler.LRScheduler,
                 mask: torch.Tensor, device: torch.device, ranks: Ranks, progress: Progress | None) -> dict[str, float]:
    """One pass over the epoch's random windows in global batches of `config.batch_size`; this process
    takes its share of each (DistributedSampler: every rank draws the same windows and shuffles them
    alike, then takes every world-th)."""
    rng = np.random.default_rng([config.seed, epoch])
    torch.manual_seed(config.seed * 100_003 + epoch + 1_000_003 * ranks.rank)
    objective.train()
    windows = random_windows(videos, config.window, config.min_window, config.transpose, rng)
    sampler: DistributedSampler[int] = DistributedSampler(  # it yields indices and needs only len() of the windows
        cast("Dataset[Window]", windows), num_replicas=ranks.world, rank=ranks.rank, shuffle=True, seed=config.seed)
    sampler.set_epoch(epoch)
    mine = [windows[index] for index in sampler]
    size = config.batch_size // ranks.world
    batches = range(0, len(mine), size)
    sums = {"loss": 0.0, "chord": 0.0, "emotion": 0.0, "dynamics": 0.0}
    tokens = objective.trained.tokens
    for number, first in enumerate(batches, start=1):
        batch = collate(videos, mine[first: first + size], tokens, config.noise, rng, device)
        shares = batch_shares(batch, tokens.pad, ranks, device)
        with autocast(config, device):
            losses = stepper(batch, mask, shares)
        optimiser.zero_grad(set_to_none=True)
        losses["loss"].backward()
        torch.nn.utils.clip_grad_norm_([p for group in optimiser.param_groups for p in group["params"]],
                                       config.grad_clip)
        optimiser.step()
        scheduler.step()
        for name in sums:
            sums[name] += float(losses[name].detach())
        if progress is not None:
            progress(f"epoch {epoch}", number / len(batches))
    means = all_sum(list(sums.values()), ranks, device)
    return {f"train_{name}": value / (ranks.world * len(batches)) for name, value in zip(sums, means)}


@torch.no_grad()
def evaluate_losses(trained: Trained, videos: list[Prepared], config: TrainConfig, mask: torch.Tensor,
                    device: torch.device, ranks: Ranks = Ranks()) -> dict[str, float]:
    """Position-weighted chord CE, emotion BCE and dynamics MSE over tiled windows, and their fixed mix
    (each process scores every world-th window; the sums are added up over the processes)."""
    trained.model.eval()
    if trained.regressor is not None:
        trained.regressor.eval()
    windows = tiled_windows(videos, config.window)[ranks.rank::ranks.world]
    sums, weight = {"chord": 0.0, "emotion": 0.0, "dynamics": 0.0}, 0.0
    for first in range(0, len(windows), config.batch_size):
        batch = collate(videos, windows[first: first + config.batch_size], trained.tokens, 0.0, None, device)
        with autocast(config, device):
            losses = batch_losses(trained, batch, mask)
        count = int((batch.targets != trained.tokens.pad).sum())
        for name in sums:
            sums[name] += float(losses[name]) * count
        weight += count
    *totals, weight = all_sum([*sums.values(), weight], ranks, device)
    means = {name: value / max(1, weight) for name, value in zip(sums, totals)}
    return {"loss": fixed_total(means["chord"], means["emotion"], config.emotion_weight), **means}


def uses_bf16(config: TrainConfig, device: torch.device) -> bool:
    """Whether forward passes run in bf16: asked for, or "auto" on a CUDA device that supports it."""
    return config.precision == "bf16" or (config.precision == "auto" and device.type == "cuda"
                                          and torch.cuda.is_bf16_supported())


def autocast(config: TrainConfig, device: torch.device) -> torch.autocast:
    """bf16 autocast where `uses_bf16`, float32 otherwise. bf16 keeps float32's range, so unlike fp16
    it needs no loss scaling."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=uses_bf16(config, device))


def _metrics(history: list[dict[str, Any]], uniform: float, stopped: bool) -> dict[str, Any]:
    best = min(history, key=lambda row: row["val_loss"])
    return {"best_epoch": best["epoch"], "best_val_loss": best["val_loss"], "best_val_chord": best["val_chord"],
            "uniform_chord_loss": uniform, "stopped_early": stopped, "history": history}


def _write_metrics(output: Path, metrics: dict[str, Any]) -> None:
    atomic_write_text(output / METRICS, json.dumps(metrics, indent=2) + "\n")
    plot_learning_curve(metrics["history"], output / CURVE, metrics["uniform_chord_loss"])
