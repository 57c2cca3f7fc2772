"""Evaluation on a split with teacher forcing: Video2Music's metrics plus chord loss and perplexity.

Accuracy and Hits@k rank only chords (END excluded) at seconds that have a chord; emotion
correspondence is the share of confident seconds (top emotion >= 0.8, neutral aside: it allows no
quality) whose predicted chord has a quality that emotion allows.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import torch

from v2m_core.learn import checkpoint
from v2m_core.learn.batches import collate, prepare, tiled_windows
from v2m_core.learn.data import read_manifest, read_videos
from v2m_core.learn.losses import CONFIDENT_EMOTION, emotion_mask
from v2m_core.learn.train import batch_losses
from v2m_core.plugins import PluginManager
from v2m_core.schemas.analysis import EMOTIONS

HITS = (1, 3, 5)


@torch.no_grad()
def evaluate(path: Path, dataset: Path, split: str = "test", device: str = "cpu",
             plugins: PluginManager | None = None) -> dict[str, Any]:
    """One row of metrics for checkpoint `path` on `split` of `dataset`."""
    trained, _ = checkpoint.load(path, device, plugins)
    manifest = read_manifest(dataset)
    records = read_videos(dataset, manifest, split, trained.specs)
    stats = (trained.dynamics.mean, trained.dynamics.scale) if trained.dynamics else None
    videos = prepare(records, trained.tokens, trained.normaliser, stats)
    mask = emotion_mask(trained.tokens).to(device)
    windows = tiled_windows(videos, trained.config.window)
    neutral = EMOTIONS.index("neutral")
    totals: Counter[str] = Counter()
    loss_sum = 0.0
    for first in range(0, len(windows), trained.config.batch_size):
        batch = collate(videos, windows[first: first + trained.config.batch_size], trained.tokens, 0.0, None,
                        torch.device(device))
        losses = batch_losses(trained, batch, mask)
        scored = int((batch.targets != trained.tokens.pad).sum())
        loss_sum += float(losses["chord"]) * scored
        totals["scored"] += scored
        chords = batch.chord_positions
        logits = losses["logits"].clone()
        logits[..., trained.tokens.end] = -math.inf
        ranked = logits.topk(max(HITS), dim=-1).indices
        hit = ranked == batch.targets.unsqueeze(-1)
        for k in HITS:
            totals[f"hits@{k}"] += int((hit[..., :k].any(dim=-1) & chords).sum())
        totals["seconds"] += int(chords.sum())
        top, emotion = batch.emotion.max(dim=-1)
        confident = chords & (top >= CONFIDENT_EMOTION) & (emotion != neutral)
        suits = mask[emotion, ranked[..., 0]].bool()
        totals["confident"] += int(confident.sum())
        totals["corresponding"] += int((suits & confident).sum())
    loss = loss_sum / max(1, totals["scored"])
    row: dict[str, Any] = {"checkpoint": str(path), "split": split, "videos": len(videos), "seconds": totals["seconds"],
                           "accuracy": totals["hits@1"] / max(1, totals["seconds"])}
    row.update({f"hits@{k}": totals[f"hits@{k}"] / max(1, totals["seconds"]) for k in HITS})
    row["emotion_correspondence"] = (totals["corresponding"] / totals["confident"]) if totals["confident"] else None
    row.update({"chord_loss": loss, "perplexity": math.exp(loss)})
    return row


def majority_hits(dataset: Path, split: str = "test") -> float:
    """Hits@1 of always answering the training split's most common chord (a baseline to beat)."""
    manifest = read_manifest(dataset)
    train = Counter(label for record in read_videos(dataset, manifest, "train", []) for label in record.chords)
    labels = [label for record in read_videos(dataset, manifest, split, []) for label in record.chords]
    return sum(label == train.most_common(1)[0][0] for label in labels) / max(1, len(labels))
