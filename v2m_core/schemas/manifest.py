"""Records that make pipeline runs cacheable and resumable (the manifest is the commit marker)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from v2m_core.schemas.base import PersistedModel, Seed, V2MModel

SPLITS: tuple[str, ...] = ("train", "val", "test")

SplitName = Literal["train", "val", "test"]


class StepManifest(PersistedModel):
    """Written last by a step run: its key and the hashes of what it wrote.

    A step is skipped only when the recorded key equals the new key and every output still
    has its recorded hash; existence alone would reuse stale outputs.
    """

    step: str
    plugin: str
    plugin_version: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    dependencies: dict[str, str] = Field(
        default_factory=dict,
        description="What else the result depends on: a recognizer's version, a weight file's hash.")
    input_hashes: dict[str, str] = Field(default_factory=dict)
    output_hashes: dict[str, str] = Field(default_factory=dict)
    key: str = Field(description="sha256 of step, plugin, version, parameters, dependencies and input hashes.")
    seconds: float = Field(ge=0, description="Wall time of the run.")


class StepRecord(V2MModel):
    """One step as a dataset build ran it: enough to run it again the same way on a new video."""

    name: str
    package: str = Field(default="", description="Distribution that registered the step plugin.")
    version: str = Field(default="", description="Plugin version.")
    settings: dict[str, Any] = Field(default_factory=dict, description="Its validated settings, every key.")


class FeatureSpec(V2MModel):
    """Name and width of one per-second feature stream, so models adapt to the dataset, and the steps that
    made it, so compose can make it again from a video exactly as the build did."""

    name: str
    dim: int = Field(ge=1)
    source: str = Field(default="", description="Plugin that produced it.")
    file: str = Field(default="", description="File in each video folder holding it.")
    columns: list[int] = Field(default_factory=list, description="Columns of `file` it occupies; empty: all of them.")
    description: str = Field(default="", description="Model or method behind it, e.g. the embedding network.")
    steps: list[StepRecord] = Field(
        default_factory=list, description="`source` and every step it reads from, in run order; empty when "
                                          "unknown (an imported dataset).")


class DatasetVideo(V2MModel):
    id: str
    seconds: int = Field(ge=1)
    split: SplitName
    source: str = Field(default="", description="File name of the video the features came from.")
    files: dict[str, str] = Field(default_factory=dict, description="File in the video's folder -> sha256.")


class SplitRatios(V2MModel):
    """Shares of a fresh split; they need not sum to one (they are normalised)."""

    train: float = Field(default=0.8, ge=0, le=1e6)
    val: float = Field(default=0.1, ge=0, le=1e6)
    test: float = Field(default=0.1, ge=0, le=1e6)

    @model_validator(mode="after")
    def _positive(self) -> "SplitRatios":
        if self.train + self.val + self.test <= 0:
            raise ValueError("split ratios must not all be zero")
        return self


class DatasetManifest(PersistedModel):
    """`dataset.json` at a dataset's root: videos, splits, chord vocabulary, feature spec."""

    videos: list[DatasetVideo] = Field(default_factory=list)
    chord_vocabulary: list[str] = Field(default_factory=list, description="Chord ID i is entry i; only appended to.")
    features: list[FeatureSpec] = Field(default_factory=list)
    emotion_source: str = ""
    recognizer: str = Field(default="", description="Chord recognizer plugin that labelled the soundtracks.")
    split_seed: Seed = 0
    split_ratios: SplitRatios = Field(default_factory=SplitRatios)
    steps: dict[str, str] = Field(default_factory=dict, description="Step name -> plugin version used.")


class BuildFailure(V2MModel):
    """One row of `failures.json`: which video failed, in which step, and why."""

    video: str
    step: str
    error: str


class DatasetBuildConfig(V2MModel):
    """What `v2m dataset build` runs: step plugins by name, recognizer, splits."""

    steps: list[str] = Field(
        default_factory=lambda: ["frames", "scenes", "affect", "keyframes", "audio", "loudness", "chords",
                                 "transcription", "note-density"],
        description="Per-video step plugins; the engine orders them by their inputs and outputs.")
    semantic: str = Field(default="semantic-efficientnet", description="Step plugin writing semantic.npy.")
    emotion: str = Field(default="auto", description="Step writing emotion.npy; auto: emotion-clip when its "
                                                     "weights are set, else emotion-affect.")
    extra_steps: list[str] = Field(default_factory=list, description="Third-party step plugins to add.")
    recognizer: str = Field(default="chroma-template", description="Chord recognizer plugin for the chords step.")
    split_seed: Seed = 0
    split_ratios: SplitRatios = Field(default_factory=SplitRatios)
    preserve_splits: bool = Field(default=True, description="Keep val and test of an existing dataset; new "
                                                            "videos go to train.")
    min_seconds: float = Field(default=2.0, ge=0, description="Shorter videos are recorded as failures.")
    workers: int = Field(default=1, ge=1, le=1024, description="Worker processes (one video each at a time).")
    executor: str = Field(default="", description="Executor plugin running the videos; empty: serial, or "
                                                  "processes when workers > 1 (`ray`: the v2m-ray package).")
