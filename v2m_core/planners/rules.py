"""The rule-based planner: a click track fitted to the cuts, sections on structural cuts, harmony by emotion."""

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
from v2m_core.music.form import BarSpan, plan_phrases
from v2m_core.music.hit_points import cut_strengths, mark, require_coverage, structural_rewards
from v2m_core.music.progressions import CADENCE, PROGRESSIONS, SUBSTITUTES, Mode
from v2m_core.music.tempo_map import SLOWEST_FACTOR, fit_tempo_map
from v2m_core.music.theory import chord_from_numeral, chord_pitch_classes, parse_key, parse_numeral
from v2m_core.schemas.analysis import EMOTIONS, EmotionName, VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import Beat, CompositionPlan, Hit, Key, Phrase, PlannedChord, Section

TWO_CHORDS_PER_BAR_FROM = 0.7
"""Section energy from which harmony moves twice as fast."""
CHORD_SECONDS = 2.0
"""Shortest usual chord: under a fast click, harmony changes every other bar."""
FINAL_HOLD = 1.5
"""The final chord starts on the last downbeat at least this many seconds before the end, and rings out."""
TEMPO_WINDOW = 15
MIN_SECTION_BEATS = 8
"""Two bars: structural cuts are at least this many beats of the slowest tempo allowed apart."""
"""Seconds of energy averaged for the style's tempo: the click follows long stretches, not single shots."""


class RulePlannerConfig(PluginConfig):
    min_lead: float = Field(default=0.5, gt=0, description="A first cut earlier than this (s) is ignored.")
    motion_scale: float = Field(default=0.04, gt=0,
                                description="Motion at which the motion term reaches 1 - 1/e; fixed (not relative to "
                                            "the video) so calm videos stay calm.")
    arousal_weight: float = Field(default=0.6, ge=0, le=1,
                                  description="Share of arousal in energy; motion has the rest.")


@dataclass(frozen=True)
class Timeline:
    """The musical time of a plan, shared by every planner: style, click track, sections, hits, phrases."""

    preset: styles.StylePreset
    dominant: EmotionName
    sections: list[Section]
    beats: list[Beat]
    cuts: list[float]
    hits: list[Hit]
    phrases: list[Phrase]
    final_start: float
    """Where the final chord starts (a downbeat), held to the end."""

    def plan(self, key: Key, chords: list[PlannedChord], energy: np.ndarray, analysis: VideoAnalysis,
             request: ComposeConfig, planner: str) -> CompositionPlan:
        """The plan around a planner's chords and per-second energy."""
        duration = self.sections[-1].end
        return CompositionPlan(
            duration=duration, key=key, style=self.preset.name, seed=request.seed, planner=planner,
            sections=self.sections, beats=self.beats, chords=chords, cuts=self.cuts, hits=self.hits,
            phrases=self.phrases, energy=[round(float(e), 4) for e in energy],
            emotion=[[round(float(p), 4) for p in row] for row in analysis.emotion],
            instruments=styles.instruments(self.preset, self.dominant, request.instruments),
            fade_out=round(min(1.0, 0.5 * (duration - self.final_start)), 4),
        )


@dataclass(frozen=True)
class Slot:
    """A harmonic-rhythm slot: where a chord starts, and whether that is a section start."""

    start: float
    section: int
    at_section_start: bool


class RulePlanner(Planner):
    name = "rules"
    version = "2.0.0"
    description = "A click track fitted to the cuts (structural cuts on downbeats), phrases and form, chords by emotion."
    Config = RulePlannerConfig

    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        config: RulePlannerConfig = self.config  # type: ignore[assignment]
        rng = np.random.default_rng(request.seed)
        tonic = int(rng.integers(12))
        duration = analysis.probe.duration
        energy = second_energy(analysis.arousal, analysis.motion, config.motion_scale, config.arousal_weight)
        timeline = fit_timeline(analysis, request, energy, config.min_lead)
        key = parse_key(request.key) if request.key else Key(tonic=tonic, mode=_mode(timeline.dominant, analysis.valence))
        chords = harmonise(timeline, key, duration, rng)
        return timeline.plan(key, chords, energy, analysis, request, self.name)


def fit_timeline(analysis: VideoAnalysis, request: ComposeConfig, energy: np.ndarray, min_lead: float) -> Timeline:
    """Style, the click track fitted to the cuts, sections from its structural cuts, hits and phrases."""
    duration = analysis.probe.duration
    emotions = np.asarray(analysis.emotion, dtype=float)
    dominant = cast(EmotionName, EMOTIONS[int(np.argmax(emotions.mean(axis=0)))])
    preset = styles.resolve_style(request.style, dominant, float(energy.mean()))
    cuts = np.array([c for c in analysis.cuts if min_lead <= c < duration - 0.05], dtype=float)
    strength = cut_strengths(analysis, cuts, duration)
    target = 60.0 / np.array([preset.tempo_for(e) for e in _moving_average(energy, TEMPO_WINDOW)])
    fixed = 60.0 / request.tempo if request.tempo else None
    slowest = fixed * 1.02 if fixed else float(target.max()) / SLOWEST_FACTOR
    rewards: np.ndarray | None = structural_rewards(cuts, strength, duration, MIN_SECTION_BEATS * slowest)
    while rewards is not None:  # raise a candidate in each stretch left too long without a section start
        tempo_map = fit_tempo_map(cuts, rewards, duration, target, fixed_period=fixed)
        rewards = require_coverage(rewards, cuts, tempo_map.structural, duration)
    times, positions = tempo_map.beats, tempo_map.positions
    bounds = [0.0, *(float(cuts[i]) for i in tempo_map.structural), duration]
    section_of = np.searchsorted(np.array(bounds[1:-1]), times + 1e-6, side="right")
    durations = np.diff(np.append(times, duration))
    bar_of = np.cumsum(positions == 0) - 1
    beats = [Beat(time=float(t), bar=int(b), position=int(p), section=int(s), duration=float(d))
             for t, b, p, s, d in zip(times, bar_of, positions, section_of, durations)]
    sections = []
    for index, (start, end) in enumerate(zip(bounds, bounds[1:])):
        span = _span(start, end, energy, emotions)
        mean_period = float(durations[section_of == index].mean())
        sections.append(Section(start=start, end=end, tempo=round(60.0 / mean_period, 3), emotion=span[0],
                                energy=round(span[1], 4), starts_at_cut=index > 0))
    structural = set(tempo_map.structural)
    hits = [Hit(time=float(c), strength=round(float(s), 4), structural=i in structural,
                mark=mark(i in structural, float(s), float(np.min(np.abs(times - c)))))  # type: ignore[arg-type]
            for i, (c, s) in enumerate(zip(cuts, strength))]
    final_start = final_downbeat(beats, duration)
    downbeats = [b for b in beats if b.position == 0]
    ends = [d.time for d in downbeats[1:]] + [duration]
    bars = [BarSpan(d.time, end, d.section) for d, end in zip(downbeats, ends)]
    phrases = plan_phrases(bars, energy, preset, final_start)
    return Timeline(preset, dominant, sections, beats, [float(c) for c in cuts], hits, phrases, final_start)


def _moving_average(values: np.ndarray, width: int) -> np.ndarray:
    if values.size <= 1:
        return values
    kernel = np.ones(min(width, values.size)) / min(width, values.size)
    padded = np.pad(values, (len(kernel) // 2, len(kernel) - 1 - len(kernel) // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def final_downbeat(beats: list[Beat], duration: float) -> float:
    """The last downbeat at least FINAL_HOLD seconds before the end (the first downbeat if none is)."""
    downbeats = [b.time for b in beats if b.position == 0]
    early = [t for t in downbeats if duration - t >= min(FINAL_HOLD, 0.5 * duration)]
    return early[-1] if early else downbeats[0]


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


def _span(start: float, end: float, energy: np.ndarray, emotions: np.ndarray) -> tuple[EmotionName, float]:
    """Mean energy and the argmax of mean emotion over the seconds a section covers."""
    first = min(int(math.floor(start)), energy.size - 1)
    last = max(first + 1, min(int(math.ceil(end)), energy.size))
    rows = slice(first, last)
    emotion = cast(EmotionName, EMOTIONS[int(np.argmax(emotions[rows].mean(axis=0)))])
    return emotion, float(np.clip(energy[rows].mean(), 0.0, 1.0))


def chord_slots(timeline: Timeline) -> list[Slot]:
    """Chord-change points up to the final downbeat: every downbeat, every other one when bars are short
    (a chord lasts CHORD_SECONDS or more), or two a bar when bars are long and the section is energetic.
    Counting restarts at each section, whose first downbeat always changes chord."""
    slots: list[Slot] = []
    bar_in_section, section_index = 0, -1
    for beat in timeline.beats:
        if beat.time > timeline.final_start + 1e-9:
            break
        section = timeline.sections[beat.section]
        if beat.section != section_index:
            bar_in_section, section_index = 0, beat.section
        bar_seconds = beat.duration * 4
        wanted = CHORD_SECONDS / (2 if section.energy >= TWO_CHORDS_PER_BAR_FROM else 1)
        if beat.position == 0:
            every = 2 if bar_seconds < wanted else 1
            if bar_in_section % every == 0:
                slots.append(Slot(beat.time, beat.section, beat.time == section.start))
            bar_in_section += 1
        elif beat.position == 2 and bar_seconds >= 2 * wanted and beat.time + beat.duration * 2 < timeline.final_start:
            slots.append(Slot(beat.time, beat.section, False))
    return slots


def harmonise(timeline: Timeline, key: Key, duration: float, rng: np.random.Generator) -> list[PlannedChord]:
    """Chords for every slot: the section's progression from its first chord at the structural cut, a
    cadence at the end, and a substitute wherever a chord would repeat across a section start."""
    sections = timeline.sections
    slots = chord_slots(timeline)
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
