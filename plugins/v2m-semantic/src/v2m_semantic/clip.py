"""CLIP image embeddings and zero-shot emotion, from weights the user points at (open_clip).

No package ships CLIP weights, so these steps run only when `weights` names a local checkpoint.
`ViT-L-14-336` with OpenAI's weights gives Video2Music's 768-d features and its emotion
probabilities: the softmax of CLIP's logits between each frame and the six bare emotion words.
`model_config` may name an open_clip JSON architecture file (its stem becomes the model name).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import Field

from v2m_core.step_engine.cache import file_hash
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.steps.files import write_array, write_json
from v2m_semantic.frames import batches, read_keyframes

if TYPE_CHECKING:
    import torch


class ClipConfig(PluginConfig):
    model: str = Field(default="ViT-L-14-336", description="open_clip architecture (ViT-L-14-336: Video2Music's).")
    weights: str = Field(default="", description="Local checkpoint file (e.g. OpenAI's ViT-L-14-336 weights).")
    model_config_file: str = Field(default="", description="Optional open_clip JSON architecture file.")
    batch_size: int = Field(default=8, ge=1, le=256, description="Frames per forward pass (bounds memory).")


@lru_cache(maxsize=2)
def load_clip(model: str, weights: str, model_config_file: str) -> tuple[Any, Any, int]:
    """(model, tokenizer, image side), cached per process so both CLIP steps share one load."""
    import open_clip

    if model_config_file:
        open_clip.add_model_config(model_config_file)
    network = open_clip.create_model(model, pretrained=weights, device="cpu")
    size = network.visual.image_size
    return network.eval(), open_clip.get_tokenizer(model), int(size[0] if isinstance(size, tuple | list) else size)


class _ClipStep(ExtractorStep[ClipConfig]):
    inputs: ClassVar[tuple[str, ...]] = ("keyframes.npy",)
    licence_note: ClassVar[str | None] = "open_clip (MIT); the weights' own licence applies (OpenAI CLIP: MIT)."

    def _settings(self) -> ClipConfig:
        if not self.config.weights or not Path(self.config.weights).is_file():
            raise UsageError(f"step '{self.name}' needs CLIP weights: set plugins.settings.{self.name}.weights "
                             "to a local checkpoint file")
        return self.config

    def dependencies(self) -> dict[str, str]:
        """The checkpoint's content, not its path, decides whether results are still valid."""
        config = self._settings()
        hashes = {"weights": file_hash(Path(config.weights))}
        if config.model_config_file:
            hashes["model_config_file"] = file_hash(Path(config.model_config_file))
        return hashes

    def _image_features(self, context: StepContext, network: Any, side: int) -> torch.Tensor:
        import open_clip
        import torch

        mean = torch.tensor(open_clip.OPENAI_DATASET_MEAN).view(1, 3, 1, 1)
        std = torch.tensor(open_clip.OPENAI_DATASET_STD).view(1, 3, 1, 1)
        frames = read_keyframes(context.path("keyframes.npy"))
        rows = []
        with torch.inference_mode():
            for count, batch in batches(frames, self._settings().batch_size, side):
                rows.append(network.encode_image((batch - mean) / std)[:count])
                context.progress(0.9 * min(1.0, len(rows) * self._settings().batch_size / len(frames)))
        return torch.cat(rows)


class ClipSemanticStep(_ClipStep):
    name: ClassVar[str] = "semantic-clip"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "CLIP image embedding per second (768-d with ViT-L-14-336, as Video2Music)."
    outputs: ClassVar[tuple[str, ...]] = ("semantic.npy", "semantic.json")

    def run(self, context: StepContext) -> None:
        config = self._settings()
        network, _, side = load_clip(config.model, config.weights, config.model_config_file)
        embedding = self._image_features(context, network, side).numpy()
        write_array(context.path("semantic.npy"), embedding)
        write_json(context.path("semantic.json"), {"model": f"CLIP {config.model}", "dim": int(embedding.shape[1])})
        context.progress(1.0)


class ClipEmotionStep(_ClipStep):
    name: ClassVar[str] = "emotion-clip"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Zero-shot CLIP probabilities of the six emotion words per second (Video2Music's)."
    outputs: ClassVar[tuple[str, ...]] = ("emotion.npy",)

    def run(self, context: StepContext) -> None:
        import torch

        config = self._settings()
        network, tokenizer, side = load_clip(config.model, config.weights, config.model_config_file)
        images = self._image_features(context, network, side)
        with torch.inference_mode():
            texts = network.encode_text(tokenizer(list(EMOTIONS)))
            images = images / images.norm(dim=-1, keepdim=True)
            texts = texts / texts.norm(dim=-1, keepdim=True)
            probabilities = (network.logit_scale.exp() * images @ texts.T).softmax(dim=-1)
        write_array(context.path("emotion.npy"), probabilities.numpy().astype(np.float32))
        context.progress(1.0)
