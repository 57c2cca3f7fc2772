"""Pydantic models for everything that crosses a boundary; `schemas/*.json` is generated from them."""

from v2m_core.schemas.analysis import EMOTIONS, EmotionName, VideoAnalysis, VideoProbe
from v2m_core.schemas.base import PersistedModel, V2MModel
from v2m_core.schemas.chords import ChordSegment, ChordTimeline
from v2m_core.schemas.composition import Composition, LoudnessReport
from v2m_core.schemas.config import ComposeConfig, PluginsConfig, V2MConfig
from v2m_core.schemas.manifest import DatasetManifest, DatasetVideo, FeatureSpec, StepManifest, StepRecord
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import Beat, CompositionPlan, Key, PlannedChord, Section

PERSISTED_MODELS: tuple[type[PersistedModel], ...] = (
    ChordTimeline,
    VideoAnalysis,
    CompositionPlan,
    Composition,
    StepManifest,
    DatasetManifest,
    V2MConfig,
)
"""Models with a file format of their own; each gets `schemas/<name>.json`."""

__all__ = [
    "EMOTIONS", "PERSISTED_MODELS", "Beat", "ChordSegment", "ChordTimeline", "ComposeConfig", "Composition",
    "CompositionPlan", "DatasetManifest", "DatasetVideo", "EmotionName", "FeatureSpec", "Key", "LoudnessReport",
    "MidiTrack", "Note", "PersistedModel", "PlannedChord", "PluginsConfig", "Section", "StepManifest", "StepRecord",
    "V2MConfig", "V2MModel", "VideoAnalysis", "VideoProbe",
]
