"""`v2m train amt` and `v2m eval model`: the learned planner's model (torch is imported inside the commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from v2m_cli.output import OutputFormat, emit, emit_record
from v2m_cli.progress import stage_progress
from v2m_cli.state import state
from v2m_core.errors import UsageError
from v2m_core.output_paths import check_output_folder

METRIC_COLUMNS = ("checkpoint", "split", "seconds", "accuracy", "hits@1", "hits@3", "hits@5",
                  "emotion_correspondence", "chord_loss", "perplexity")


def train_command(
    ctx: typer.Context,
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (with dataset.json).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Run folder: best.pt, last.pt, metrics.json, learning_curve.png.")],
    fusion: Annotated[str, typer.Option(help="Fusion plugin (settings from plugins.settings.<name>).")] = "concat",
    epochs: Annotated[int, typer.Option(min=1, help="Most epochs; early stopping may end sooner.")] = 50,
    device: Annotated[Literal["cpu", "cuda"], typer.Option(help="cpu or cuda.")] = "cpu",
    precision: Annotated[Literal["auto", "fp32", "bf16"], typer.Option(
        help="bf16 autocast or float32; auto: bf16 on a CUDA device that supports it, float32 on CPU.")] = "auto",
    nproc: Annotated[int, typer.Option(min=1, help="Train in N processes with DistributedDataParallel: this command "
                                                   "run by `torchrun --nproc-per-node N` (--batch-size stays global).")] = 1,
    resume: Annotated[Path | None, typer.Option(help="Continue from this last.pt (its configuration wins).")] = None,
    features: Annotated[str | None, typer.Option(metavar="NAME[,NAME...]", help="Input streams, comma-separated (default: all but loudness and note density).")] = None,
    window: Annotated[int, typer.Option(min=2, help="Longest training window in seconds.")] = 300,
    min_window: Annotated[int, typer.Option(min=1, help="Shortest random time crop in seconds.")] = 32,
    batch_size: Annotated[int, typer.Option(min=1)] = 8,
    learning_rate: Annotated[float, typer.Option("--lr", min=0.0, help="Peak learning rate (AdamW).")] = 3e-4,
    weight_decay: Annotated[float, typer.Option(min=0.0)] = 0.01,
    patience: Annotated[int, typer.Option(min=1, help="Epochs without validation improvement before stopping.")] = 5,
    emotion_weight: Annotated[float, typer.Option(min=0.0, max=1.0, help="Weight of the emotion term.")] = 0.6,
    weighting: Annotated[Literal["fixed", "uncertainty"], typer.Option(help="fixed, or learned uncertainty weighting.")] = "fixed",
    transpose: Annotated[bool, typer.Option(metavar="", help="Key-transposition augmentation.")] = True,
    noise: Annotated[float, typer.Option(min=0.0, help="Feature noise std (on normalised features).")] = 0.05,
    d_model: Annotated[int, typer.Option(min=8)] = 512,
    layers: Annotated[int, typer.Option(min=1, help="Encoder and decoder layers each.")] = 6,
    heads: Annotated[int, typer.Option(min=1)] = 8,
    feed_forward: Annotated[int, typer.Option(min=8)] = 1024,
    dropout: Annotated[float, typer.Option(min=0.0, max=0.99)] = 0.1,
    relative: Annotated[bool, typer.Option(metavar="", help="Relative self-attention in the decoder.")] = True,
    seed: Annotated[int, typer.Option()] = 0,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = OutputFormat.table,
) -> None:
    """Train the affective multimodal transformer on DATASET (resumable; early stopping keeps the best)."""
    check_output_folder(output, [dataset], "training run")
    from pydantic import ValidationError

    from v2m_core.interfaces.base import PluginKind
    from v2m_core.learn import require_torch

    require_torch()
    from v2m_core.learn.distributed import launched_ranks
    from v2m_core.learn.model import ModelConfig
    from v2m_core.learn.train import BEST, train
    from v2m_core.learn.training_config import TrainConfig
    from v2m_core.plugins.settings import settings_for

    cli = state(ctx)
    settings = settings_for(cli.config().config.plugins.settings, PluginKind.FUSION, fusion)
    try:
        config = TrainConfig(
            model=ModelConfig(fusion=fusion, fusion_settings=settings, d_model=d_model, layers=layers, heads=heads,
                              feed_forward=feed_forward, dropout=dropout, relative=relative),
            features=[name.strip() for name in features.split(",") if name.strip()] if features else None,
            window=window, min_window=min(min_window, window), batch_size=batch_size, epochs=epochs,
            learning_rate=learning_rate, weight_decay=weight_decay, patience=patience, emotion_weight=emotion_weight,
            weighting=weighting, transpose=transpose, noise=noise, seed=seed, device=device, precision=precision)
    except ValidationError as error:
        first = error.errors()[0]
        raise UsageError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    if nproc > 1:
        from v2m_cli.train_cmd import launch_ranks

        launch_ranks(ctx, nproc)
        return
    with stage_progress(cli.console) as progress:
        _, metrics = train(dataset, output, config, plugins=cli.plugins, resume=resume, progress=progress)
    if not launched_ranks().main:
        return  # rank 0 reports for all
    summary = {"run": str(output), "model": str(output / BEST), "epochs": len(metrics["history"]),
               "best_epoch": metrics["best_epoch"], "best_val_loss": round(metrics["best_val_loss"], 4),
               "best_val_chord_ce": round(metrics["best_val_chord"], 4),
               "uniform_chord_ce": round(metrics["uniform_chord_loss"], 4), "stopped_early": metrics["stopped_early"]}
    emit_record(summary, fmt, title="v2m train")


def evaluate_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="One or more checkpoints, then the dataset folder.")],
    split: Annotated[Literal["train", "val", "test"], typer.Option(help="Split to score.")] = "test",
    device: Annotated[Literal["cpu", "cuda"], typer.Option(help="cpu or cuda.")] = "cpu",
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Table or json.")] = OutputFormat.table,
) -> None:
    """Score checkpoints on a split: accuracy, Hits@1/3/5, emotion correspondence, chord loss, perplexity."""
    if len(paths) < 2:
        raise UsageError("give at least one checkpoint and then the dataset folder")
    from v2m_core.learn import require_torch

    require_torch()
    from v2m_core.learn.evaluate import evaluate

    cli = state(ctx)
    *checkpoints, dataset = paths
    rows = [evaluate(path, dataset, split, device, cli.plugins) for path in checkpoints]
    if fmt is OutputFormat.table:
        rows = [{k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in row.items()} for row in rows]
    emit(rows, METRIC_COLUMNS, fmt, title=f"v2m eval model ({split})")
