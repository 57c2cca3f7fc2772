"""Benchmark the affective multimodal transformer: training speed, model FLOPs utilisation, peak memory,
generation time.

Uses random inputs shaped like Video2Music's (768-d semantic embedding, motion, scene offset, six
emotion probabilities; its 157 chords), so no dataset is needed. Prints a Markdown table, one row per
device and precision: training steps and samples (windows) per second and peak memory for the model
size given (default: Video2Music's AMT, d_model 512, 6 layers, window 300, batch 8) on CPU and, when
available, CUDA (`--precision auto`: bf16 autocast there, as `v2m train`); and the time to generate 5
minutes of chords (one per second, sliding window).

Model FLOPs utilisation (MFU) is the training step's achieved FLOP/s over the matmul peak measured in
the same run: FLOPs of one forward and backward pass counted by torch's FlopCounterMode (matmuls and
attention; the optimiser's few elementwise FLOPs are left out), divided by the mean step time; the peak
is the best of a few 2048x2048 `torch.mm` in the row's precision, with the same threads, timed just
before and just after the steps (the better one counts, so a busy machine lowers MFU, never raises it).

    .venv/bin/python bench/train.py [--devices cpu cuda] [--steps 3] [--batch-size 8] [--window 300]
        [--d-model 512] [--layers 6] [--precision auto|fp32|bf16 ...] [--generate-seconds 300]
        [--threads N] [--generate-threads N] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from v2m_core.chords.vocabularies import V2M
from v2m_core.learn import checkpoint
from v2m_core.learn.batches import Prepared, collate, random_windows
from v2m_core.learn.features import Normaliser
from v2m_core.learn.generate import generate_chords
from v2m_core.learn.losses import TaskWeighting, emotion_mask
from v2m_core.learn.model import ModelConfig
from v2m_core.learn.tokens import ChordTokens
from v2m_core.learn.train import autocast, batch_losses, uses_bf16
from v2m_core.learn.training_config import TrainConfig
from v2m_core.schemas.manifest import FeatureSpec

STREAMS = {"semantic": 768, "motion": 1, "scene_offset": 1, "emotion": 6}
PEAK_SIZE = 2048


def _video(seconds: int, tokens_count: int, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    streams = {name: rng.standard_normal((seconds, dim)).astype(np.float32) for name, dim in STREAMS.items()}
    streams["emotion"] = rng.dirichlet(np.ones(6), seconds).astype(np.float32)
    return streams, rng.integers(1, tokens_count, seconds)


def _peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _synchronise(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def matmul_peak(device: str, dtype: torch.dtype, repeats: int = 5) -> float:
    """FLOP/s of the fastest of `repeats` square `torch.mm`s: what this machine's matmul reaches now."""
    a, b = (torch.randn(PEAK_SIZE, PEAK_SIZE, device=device, dtype=dtype) for _ in range(2))
    out = torch.mm(a, b)
    best = float("inf")
    for _ in range(repeats):
        _synchronise(device)
        started = time.perf_counter()
        torch.mm(a, b, out=out)
        _synchronise(device)
        best = min(best, time.perf_counter() - started)
    return 2 * PEAK_SIZE**3 / best


def bench(device: str, precision: str, args: argparse.Namespace) -> dict[str, object]:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    config = TrainConfig(model=ModelConfig(d_model=args.d_model, layers=args.layers), window=args.window,
                         min_window=args.window, batch_size=args.batch_size, device=device,  # type: ignore[arg-type]
                         precision=precision)  # type: ignore[arg-type]
    specs = [FeatureSpec(name=name, dim=dim) for name, dim in STREAMS.items()]
    identity = Normaliser({n: [0.0] * d for n, d in STREAMS.items()}, {n: [1.0] * d for n, d in STREAMS.items()})
    tokens = ChordTokens.from_vocabulary(list(V2M.labels))
    trained = checkpoint.build(config, tokens, specs, identity, None, None)
    trained.model.to(device).train()
    videos = []
    for _ in range(args.batch_size):
        streams, chords = _video(args.window, len(tokens.chord_ids), rng)
        videos.append(Prepared("v", streams, chords, streams["emotion"], None))
    weighting = TaskWeighting(config.emotion_weight, False)
    optimiser = torch.optim.AdamW(trained.model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay,
                                  fused=True)  # as `v2m train`
    mask = emotion_mask(tokens).to(device)
    bf16 = uses_bf16(config, torch.device(device))
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()

    def step() -> float:
        windows = random_windows(videos, args.window, args.window, True, rng)
        batch = collate(videos, windows, tokens, config.noise, rng, torch.device(device))
        started = time.perf_counter()
        with autocast(config, torch.device(device)):
            losses = batch_losses(trained, batch, mask)
        optimiser.zero_grad(set_to_none=True)
        weighting(losses["chord"], losses["emotion"]).backward()
        optimiser.step()
        _synchronise(device)
        return time.perf_counter() - started

    step()  # warms up allocators and kernels
    with FlopCounterMode(display=False) as counter:
        step()
    flops = counter.get_total_flops()
    peak_flops = matmul_peak(device, torch.bfloat16 if bf16 else torch.float32)
    times = [step() for _ in range(args.steps)]
    peak_flops = max(peak_flops, matmul_peak(device, torch.bfloat16 if bf16 else torch.float32))
    achieved = flops * len(times) / sum(times)
    peak = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else _peak_rss_mib()
    streams, _ = _video(args.generate_seconds, len(tokens.chord_ids), rng)
    training_threads = torch.get_num_threads()
    if args.generate_threads:
        torch.set_num_threads(args.generate_threads)
    started = time.perf_counter()
    chords = generate_chords(trained, streams, seed=0, device=device)
    generation = time.perf_counter() - started
    torch.set_num_threads(training_threads)
    parameters = sum(p.numel() for p in trained.model.parameters())
    return {"device": device, "precision": "bf16" if bf16 else "fp32", "parameters_m": round(parameters / 1e6, 2),
            "batch": args.batch_size, "window_s": args.window, "steps_per_s": round(len(times) / sum(times), 3),
            "samples_per_s": round(args.batch_size * len(times) / sum(times), 3),
            "seconds_per_step": round(float(np.mean(times)), 3),
            "gflop_per_step": round(flops / 1e9, 1), "achieved_gflop_s": round(achieved / 1e9, 1),
            "matmul_peak_gflop_s": round(peak_flops / 1e9, 1), "mfu": round(achieved / peak_flops, 3),
            "peak_memory_mib": round(peak, 1), "peak_memory_kind": "CUDA allocated" if device == "cuda" else "process RSS",
            "generated_chords": len(chords), "generate_s": round(generation, 2),
            "threads": f"{training_threads}/{args.generate_threads or training_threads}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", nargs="+", default=["cpu", "cuda"])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--window", type=int, default=300)
    parser.add_argument("--d-model", type=int, default=512)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--precision", nargs="+", choices=["auto", "fp32", "bf16"], default=["auto"],
                        help="bf16 autocast or float32 (auto: bf16 on a CUDA device that supports it); "
                             "one row per device and precision.")
    parser.add_argument("--generate-seconds", type=int, default=300)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice).")
    parser.add_argument("--generate-threads", type=int, default=None,
                        help="torch CPU threads while generating (one step is small: on a busy machine 1 is fastest).")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = [bench(device, precision, args) for device in args.devices if device == "cpu" or torch.cuda.is_available()
            for precision in args.precision]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
