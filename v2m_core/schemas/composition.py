"""The result of `v2m compose`: the plan, where the files went, and what was measured."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field

from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.base import PersistedModel, V2MModel
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan


class LoudnessReport(V2MModel):
    """What mastering measured. Audio too short or too quiet for BS.1770's gate has no integrated loudness, and
    silence no peak: those are None (strict JSON has no -inf, and a file must read back as it was written)."""

    integrated_lufs: float | None = Field(description="BS.1770 integrated loudness; None below the -70 LUFS gate.")
    true_peak_dbtp: float | None = Field(description="True peak in dBTP; None for silence.")

    @classmethod
    def measured(cls, integrated_lufs: float, true_peak_dbtp: float) -> "LoudnessReport":
        """The report of two measurements, a non-finite one (-inf: below the gate, or silence) as None."""
        def finite(value: float) -> float | None:
            return float(value) if math.isfinite(value) else None
        return cls(integrated_lufs=finite(integrated_lufs), true_peak_dbtp=finite(true_peak_dbtp))

    def describe(self) -> str:
        """In words: "-14.0 LUFS, true peak -1.0 dBTP"."""
        lufs = "too quiet to measure" if self.integrated_lufs is None else f"{self.integrated_lufs:.1f} LUFS"
        peak = "silent" if self.true_peak_dbtp is None else f"true peak {self.true_peak_dbtp:.1f} dBTP"
        return f"{lufs}, {peak}"


class OriginalAudioDecision(V2MModel):
    """What became of the video's own soundtrack (`--original-audio`), and why."""

    action: Literal["replaced", "mixed", "kept", "ducked"]
    summary: str = Field(description="The decision in words, e.g. 'ducked under speech (12.4 s of speech)'.")
    speech_seconds: float | None = Field(default=None, description="Speech found in the soundtrack, when `auto` listened.")
    music_under_speech_db: float | None = Field(
        default=None, description="Speech loudness minus ducked music loudness while speech plays (duration-weighted mean).")
    mix_loudness: LoudnessReport | None = Field(default=None, description="The final mix of speech and music, when ducked.")


class Composition(PersistedModel):
    """Returned by `v2m_core.compose()`; written as `composition.json` by `--keep`."""

    video: str
    output: str | None = Field(description="The muxed video, or None when only audio was asked for.")
    analysis: VideoAnalysis
    plan: CompositionPlan
    renderers: list[str]
    synthesizer: str
    midi: str | None = Field(default=None, description="The MIDI file written (`midi`, else music.mid in the `keep` "
                                                    "folder); None when no MIDI file was kept.")
    audio: str | None = Field(default=None, description="The music WAV written (the output when it is .wav, else "
                                                     "music.wav in the `keep` folder); None when none was kept.")
    stems: dict[str, str] = Field(default_factory=dict)
    tracks: list[MidiTrack] = Field(default_factory=list, description=(
        "The performed note tracks (what the MIDI file holds), there without --keep or --midi: "
        "write them with v2m_core.music.midi_file.write_midi(tracks, path, plan)."))
    loudness: LoudnessReport
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
    original_audio: OriginalAudioDecision | None = Field(
        default=None, description="What became of the video's own audio; None when only audio was written.")
    video_stream: str | None = Field(
        default=None, description="How the picture got into the output, e.g. 'copied (h264)' or 're-encoded as "
                                  "H.264 (CRF 18): .mp4 cannot hold msmpeg4v3'; None when only audio was written.")
