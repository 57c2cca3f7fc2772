"""The rule-based planner: sections at cuts, tempo fitted so downbeats land on cuts, harmony by emotion."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from pydantic import Field

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.planner import Planner
from v2m_core.music import styles
from v2m_core.music.progressions import CADENCE, PROGRESSIONS, SUBSTITUTES, Mode
from v2m_core.music.theory import chord_from_numeral, chord_pitch_classes, parse_key, parse_numeral
from v2m_core.schemas.analysis import EMOTIONS, EmotionName, VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import Beat, CompositionPlan, Key, PlannedChord, Section

BEATS_PER_BAR = 4
TWO_CHORDS_PER_BAR_FROM = 0.7
"""Section energy from which harmony changes every half bar."""


class RulePlannerConfig(PluginConfig):
    min_scene: float = Field(default=1.5, gt=0,
                             description="Scenes shorter than this (s) merge into the previous section.")
    min_lead: float = Field(default=0.5, gt=0, description="A first cut earlier than this (s) is ignored.")
    motion_scale: float = Field(default=0.04, gt=0,
                                description="Motion at which the motion term reaches 1 - 1/e; fixed (not relative to "
                                            "the video) so calm videos stay calm.")
    arousal_weight: float = Field(default=0.6, ge=0, le=1,
                                  description="Share of arousal in energy; motion has the rest.")


@dataclass(frozen=True)
class _Span:
    """A section before its tempo is fitted."""

    start: float
    end: float
    at_cut: bool
    emotion: EmotionName
    energy: float


@dataclass(frozen=True)
class Grid:
    """Sections at cuts with their fitted beats: the part of a plan any planner can share."""

    preset: styles.StylePreset
    dominant: EmotionName
    sections: list[Section]
    beats: list[Beat]

    def plan(self, key: Key, chords: list[PlannedChord], energy: np.ndarray, analysis: VideoAnalysis,
             request: ComposeConfig, planner: str) -> CompositionPlan:
        """The plan around a planner's chords and per-second energy (tempo, beats and sections from the
        grid, per-second emotion from the analysis)."""
        duration = self.sections[-1].end
        return CompositionPlan(
            duration=duration, key=key, style=self.preset.name, seed=request.seed, planner=planner,
            sections=self.sections, beats=self.beats, chords=chords,
            cuts=[s.start for s in self.sections if s.starts_at_cut], energy=[round(float(e), 4) for e in energy],
            emotion=[[round(float(p), 4) for p in row] for row in analysis.emotion],
            instruments=styles.instruments(self.preset, self.dominant, request.instruments),
            fade_out=min(2.0, 0.25 * duration),
        )


@dataclass(frozen=True)
class Slot:
    """A harmonic-rhythm slot: where a chord starts, and whether that is a section start."""

    start: float
    section: int
    at_section_start: bool


class RulePlanner(Planner):
    name = "rules"
    version = "1.0.0"
    description = "Sections at cuts, tempo from motion and arousal fitted to land downbeats on cuts, chords by emotion."
    Config = RulePlannerConfig

    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        config: RulePlannerConfig = self.config  # type: ignore[assignment]
        rng = np.random.default_rng(request.seed)
        tonic = int(rng.integers(12))
        duration = analysis.probe.duration
        energy = second_energy(analysis.arousal, analysis.motion, config.motion_scale, config.arousal_weight)
        grid = fit_grid(analysis, request, energy, config.min_scene, config.min_lead)
        key = parse_key(request.key) if request.key else Key(tonic=tonic, mode=_mode(grid.dominant, analysis.valence))
        chords = harmonise(grid.sections, grid.beats, key, duration, rng)
        return grid.plan(key, chords, energy, analysis, request, self.name)


def fit_grid(analysis: VideoAnalysis, request: ComposeConfig, energy: np.ndarray, min_scene: float,
             min_lead: float) -> Grid:
    """Style, sections at the kept cuts and a beat grid whose downbeats land on them, from per-second energy."""
    duration = analysis.probe.duration
    emotions = np.asarray(analysis.emotion, dtype=float)
    dominant = cast(EmotionName, EMOTIONS[int(np.argmax(emotions.mean(axis=0)))])
    preset = styles.resolve_style(request.style, dominant, float(energy.mean()))
    bounds = section_bounds(analysis.cuts, duration, min_scene, min_lead)
    spans = [_span(start, end, i > 0, energy, emotions) for i, (start, end) in enumerate(zip(bounds, bounds[1:]))]
    targets = [request.tempo or preset.tempo_for(s.energy) for s in spans]
    counts = fit_beat_counts([s.end - s.start for s in spans], smooth(targets))
    sections = [Section(start=s.start, end=s.end, tempo=k * 60.0 / (s.end - s.start), beats_per_bar=BEATS_PER_BAR,
                        emotion=s.emotion, energy=round(s.energy, 4), starts_at_cut=s.at_cut)
                for s, k in zip(spans, counts)]
    return Grid(preset, dominant, sections, beat_grid(sections, counts, duration))


def _mode(dominant: str, valence: list[float]) -> Mode:
    """Minor for dark-dominant videos, otherwise the sign of mean valence decides."""
    if dominant in styles.DARK_EMOTIONS:
        return "minor"
    return "major" if float(np.mean(valence)) >= 0 else "minor"


def second_energy(arousal: Sequence[float], motion: Sequence[float], motion_scale: float, arousal_weight: float
                  ) -> np.ndarray:
    """Per-second energy 0..1 from arousal (-1..1) and motion, lightly smoothed so dynamics do not flicker.

    Also what the learned drums are trained against, from a dataset's affect and motion features.
    """
    arousal = (np.asarray(arousal, dtype=float) + 1.0) / 2.0
    motion = 1.0 - np.exp(-np.clip(np.asarray(motion, dtype=float), 0.0, None) / motion_scale)
    raw = arousal_weight * arousal + (1.0 - arousal_weight) * motion
    if raw.size >= 3:
        raw = np.convolve(np.pad(raw, 1, mode="edge"), [0.25, 0.5, 0.25], mode="valid")
    return np.clip(raw, 0.0, 1.0)


def section_bounds(cuts: list[float], duration: float, min_scene: float, min_lead: float) -> list[float]:
    """Section boundaries from 0 to `duration`: a cut is kept when the scene it starts, extended by
    any short scenes merged into it, lasts `min_scene`; a first cut before `min_lead` is dropped.

    Scanning from the end lets a short scene merge into the previous one before that one is judged,
    so a spurious cut inside a scene costs only itself, not the real cut before it.
    """
    kept: list[float] = []
    scene_end = duration
    for cut in reversed([c for c in cuts if min_lead <= c < duration]):
        if scene_end - cut >= min_scene:
            kept.append(cut)
            scene_end = cut
    return [0.0, *reversed(kept), duration]


def _span(start: float, end: float, at_cut: bool, energy: np.ndarray, emotions: np.ndarray) -> _Span:
    """Mean energy and the argmax of mean emotion over the seconds a section covers."""
    first = min(int(math.floor(start)), energy.size - 1)
    last = max(first + 1, min(int(math.ceil(end)), energy.size))
    rows = slice(first, last)
    emotion = cast(EmotionName, EMOTIONS[int(np.argmax(emotions[rows].mean(axis=0)))])
    return _Span(start, end, at_cut, emotion, float(np.clip(energy[rows].mean(), 0.0, 1.0)))


def smooth(values: list[float]) -> list[float]:
    """One pass of a [1, 2, 1] filter, so neighbouring sections' tempi stay close."""
    if len(values) < 3:
        return list(values)
    padded = [values[0], *values, values[-1]]
    return [(a + 2 * b + c) / 4 for a, b, c in zip(padded, padded[1:], padded[2:])]


def fit_beat_counts(lengths: list[float], targets: list[float]) -> list[int]:
    """Whole numbers of beats per section, each near its target tempo and near the previous tempo.

    A section of length L with k beats plays at k*60/L bpm, so its grid starts on the cut and ends
    exactly on the next one. Near-equal candidates prefer whole bars and even counts.
    """
    counts: list[int] = []
    previous: float | None = None
    for length, target in zip(lengths, targets):
        ideal = length * target / 60.0
        low, high = max(1, math.floor(ideal * 0.88)), max(1, math.ceil(ideal * 1.12))

        def cost(k: int) -> float:
            tempo = k * 60.0 / length
            drift = abs(math.log(tempo / target))
            jump = abs(math.log(tempo / previous)) if previous else 0.0
            return drift + 0.5 * jump + 0.02 * (k % 2) + 0.01 * (k % BEATS_PER_BAR != 0)

        best = min(range(low, high + 1), key=lambda k: (cost(k), k))
        counts.append(best)
        previous = best * 60.0 / length
    return counts


def beat_grid(sections: list[Section], counts: list[int], duration: float) -> list[Beat]:
    """Evenly spaced beats per section; bar numbers are global and a section's last bar may be short."""
    beats: list[Beat] = []
    bar = -1
    for index, (section, count) in enumerate(zip(sections, counts)):
        step = (section.end - section.start) / count
        for j in range(count):
            position = j % section.beats_per_bar
            if position == 0:
                bar += 1
            time = section.start + j * step
            beats.append(Beat(time=time, bar=bar, position=position, section=index,
                              duration=min(step, duration - time)))
    return beats


def chord_slots(sections: list[Section], beats: list[Beat]) -> list[Slot]:
    """Chord-change points: every downbeat, plus beat 2 of full bars in high-energy sections (not in
    the last bar, so the final chord starts on a downbeat)."""
    slots: list[Slot] = []
    last_bar = beats[-1].bar
    for beat in beats:
        section = sections[beat.section]
        two_per_bar = (section.energy >= TWO_CHORDS_PER_BAR_FROM and section.beats_per_bar >= 4
                       and beat.bar != last_bar)
        if beat.position == 0 or (two_per_bar and beat.position == section.beats_per_bar // 2):
            slots.append(Slot(beat.time, beat.section, beat.time == section.start))
    return slots


def harmonise(sections: list[Section], beats: list[Beat], key: Key, duration: float,
              rng: np.random.Generator) -> list[PlannedChord]:
    """Chords for every slot: the section's progression from its first chord at the cut, a cadence
    at the end, and a substitute wherever a chord would repeat across a cut."""
    slots = chord_slots(sections, beats)
    choices = [PROGRESSIONS[s.emotion][key.mode] for s in sections]
    variants = [c[int(rng.integers(len(c)))] for c in choices]
    numerals: list[str] = []
    position = 0
    for slot in slots:
        position = 0 if slot.at_section_start else position + 1
        progression = variants[slot.section]
        numerals.append(progression[position % len(progression)])
    if len(numerals) >= 2:
        numerals[-2:] = CADENCE[key.mode]
    elif numerals:
        numerals[-1] = CADENCE[key.mode][1]
    for j, slot in enumerate(slots):
        if j > 0 and slot.at_section_start and parse_numeral(numerals[j]) == parse_numeral(numerals[j - 1]):
            neighbours = [numerals[j]] + ([numerals[j - 2]] if j >= 2 else [])
            avoid = {parse_numeral(n) for n in neighbours}
            numerals[j - 1] = next(n for n in SUBSTITUTES[key.mode] if parse_numeral(n) not in avoid)
    ends = [s.start for s in slots[1:]] + [duration]
    chords: list[PlannedChord] = []
    for j, (slot, numeral, end) in enumerate(zip(slots, numerals, ends)):
        invertible = bool(chords) and not slot.at_section_start and j < len(slots) - 2
        bass = _smooth_bass(numeral, key, chords[-1].bass) if invertible else None
        chords.append(chord_from_numeral(numeral, key, slot.start, end, bass))
    return chords


def _smooth_bass(numeral: str, key: Key, previous_bass: int) -> int:
    """The root, or for a major/minor triad the third when the root would leap and the third moves by step
    (away from cuts and the cadence, whose roots must sound)."""
    offset, quality = parse_numeral(numeral)
    root = (key.tonic + offset) % 12
    third = chord_pitch_classes(root, quality)[1]

    def step(pc: int) -> int:
        d = (pc - previous_bass) % 12
        return min(d, 12 - d)

    if quality in ("maj", "min") and step(root) >= 5 and step(third) <= 2:
        return third
    return root
