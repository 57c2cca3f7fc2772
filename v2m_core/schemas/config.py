"""The configuration file (`v2m.toml`) as a model: defaults live here and nowhere else."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from v2m_core.schemas.base import PersistedModel, Seed, V2MModel
from v2m_core.schemas.manifest import DatasetBuildConfig
from v2m_core.schemas.midi import MidiProgram


class ComposeConfig(V2MModel):
    planner: str = Field(default="rules", description="Planner plugin name.")
    renderers: list[str] = Field(default_factory=lambda: ["chords", "bass", "melody", "drums"],
                                 description="Music-renderer plugin names, combined into one arrangement.")
    synthesizer: str = Field(default="fluidsynth", description="Synthesizer plugin name.")
    style: str = Field(default="auto", description="auto, cinematic, pop, ambient or electronic.")
    seed: Seed = 0
    tempo: float | None = Field(default=None, ge=20, le=300,
                                description="Fixed tempo in bpm instead of following motion.")
    key: str | None = Field(default=None, description="Fixed key such as 'D minor' instead of following valence.")
    instruments: dict[str, MidiProgram] = Field(default_factory=dict,
                                                description="GM program (0..127) per role, e.g. {melody = 73}.")
    soundfont: str | None = Field(default=None, description="SF2 file; default: a General MIDI soundfont found on the system.")
    sample_rate: int = Field(default=44100, ge=8000, le=96000, description="Hz (8000..96000, FluidSynth's range).")
    target_lufs: float = Field(default=-14.0, ge=-40, le=0,
                               description="Integrated loudness of the music, LUFS (-40..0; -14 streaming, -23 broadcast).")
    true_peak_dbtp: float = Field(default=-1.0, ge=-20, le=0,
                                  description="Ceiling of the true peak, dBTP (-20..0).")
    original_audio: Literal["auto", "replace", "mix", "keep"] = Field(
        default="auto", description="The video's own audio: auto (kept with the music ducked under it where people "
                                    "talk, else replaced), replace, mix (under the music) or keep (a second stream).")
    mix_gain_db: float = Field(default=-12.0, ge=-60, le=12,
                               description="Gain of the original audio under the music with 'mix' (-60..12 dB).")
    analysis_width: int = Field(default=160, ge=32, le=1920, description="Width in pixels frames are analysed at "
                                                                         "(32..1920).")
    emotion: str = Field(default="", description="Step plugin whose emotion.npy replaces the colour/motion emotion "
                                                 "(e.g. emotion-clip from v2m-semantic); empty: colour and motion.")


class PluginsConfig(V2MModel):
    disabled: list[str] = Field(default_factory=list, description="Plugin names not to load (also V2M_DISABLED_PLUGINS).")
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                                description="Per-plugin settings, validated by each plugin's Config model.")


class V2MConfig(PersistedModel):
    compose: ComposeConfig = Field(default_factory=ComposeConfig)
    dataset: DatasetBuildConfig = Field(default_factory=DatasetBuildConfig)
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)
