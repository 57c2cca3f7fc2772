"""What the learned renderers share: a model file and a sampling temperature in their settings, and
one clear error, naming the compose flag and the training command, when no model is set."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from pydantic import Field

from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer


class LearnedRendererConfig(PluginConfig):
    model: str = Field(default="", description="Model file written by `v2m train drums|melody` (or the compose flag "
                                               "--drum-model / --melody-model).")
    temperature: float = Field(default=1.0, gt=0, le=5, description="Above 1 more surprising choices, below 1 safer.")


LearnedConfigT = TypeVar("LearnedConfigT", bound=LearnedRendererConfig)


class LearnedRenderer(MusicRenderer[LearnedConfigT]):
    """A renderer that samples from a model trained with `v2m train ...`; torch is needed only when it renders."""

    compose_flag: ClassVar[str]
    """The `v2m compose` option that sets the model, e.g. "--drum-model"."""
    trainer: ClassVar[str]
    """The command that makes a model, e.g. "v2m train drums MIDI_DIR"."""

    def model_path(self) -> Path:
        """The configured model file, after checking one is set and torch is there to run it."""
        if not self.config.model:
            raise UsageError(f"the {self.name} renderer needs a model: {self.compose_flag} PATH or --set "
                             f"plugins.settings.{self.name}.model=PATH (train one with {self.trainer})")
        from v2m_core.learn import require_torch

        require_torch()
        return Path(self.config.model)
