"""Records that make pipeline runs cacheable and resumable (the manifest is the commit marker)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from v2m_core.schemas.base import PersistedModel, V2MModel


class StepManifest(PersistedModel):
    """Written last by a step run: its key and the hashes of what it wrote.

    A step is skipped only when the recorded key equals the new key and every output still
    has its recorded hash; existence alone would reuse stale outputs.
    """

    step: str
    plugin: str
    plugin_version: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    input_hashes: dict[str, str] = Field(default_factory=dict)
    output_hashes: dict[str, str] = Field(default_factory=dict)
    key: str = Field(description="sha256 of step, plugin, version, parameters and input hashes.")
    seconds: float = Field(ge=0, description="Wall time of the run.")


class FeatureSpec(V2MModel):
    """Name and width of one per-second feature stream, so models adapt to the dataset."""

    name: str
    dim: int = Field(ge=1)
    source: str = Field(default="", description="Plugin that produced it.")


class DatasetVideo(V2MModel):
    id: str
    seconds: int = Field(ge=1)
    split: str


class DatasetManifest(PersistedModel):
    """`dataset.json` at a dataset's root: videos, splits, chord vocabulary, feature spec."""

    videos: list[DatasetVideo] = Field(default_factory=list)
    chord_vocabulary: list[str] = Field(default_factory=list, description="Chord ID i is entry i; only appended to.")
    features: list[FeatureSpec] = Field(default_factory=list)
    emotion_source: str = ""
    split_seed: int = 0
