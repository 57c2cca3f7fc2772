"""Measures of musical time as written and heard: cuts on the beat, tempo steadiness, bars, drum marks.

Beats and downbeats come from music.mid's own tempo map and time signatures (pretty_midi), never from
the plan's grid: a plan always agrees with itself, while the file a DAW opens and the mix a listener
hears may not follow it. Only the cuts (every cut the plan considered, the structural ones among its
hits) and the sections come from the plan. Definitions and targets: docs/music-evaluation.md.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from v2m_core.audio_input import as_mono, resample
from v2m_core.evaluation.notes import BEAT_TOLERANCE, CUT_TOLERANCE, share_near
from v2m_core.music.beat_grid import eighths, tempo_changes
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan

TICK = 0.001
"""Times closer than this are the same instant (MIDI tick rounding)."""
CRASHES = (49, 57)
TOMS = (41, 43, 45, 47, 48, 50)
SNARES = (38, 40)
FILL_SNARES = 3
"""Snare hits within a bar's last beat that make a fill even without a tom."""
PATTERN_VOICES = ((35, 36), SNARES, (42, 44, 46), (51,))
"""Kick, snare, hi-hat, ride: the voices whose sixteenth onsets make a bar's drum pattern."""
PATTERN_WINDOW = 8
TRACKER_RATE = 22050
TRACKER_HOP = 512


def pulse_metrics(plan: CompositionPlan, tracks: list[MidiTrack], beats: np.ndarray,
                  downbeats: np.ndarray) -> dict[str, float | None]:
    """Every measure of this module but audio_tempo_error, which needs the mix."""
    drums = sorted((n.start, n.pitch) for t in tracks if t.is_drum for n in t.notes)
    starts, pitches = np.array([s for s, _ in drums]), np.array([p for _, p in drums], dtype=int)
    minutes = plan.duration / 60  # the music lasts as long as the video, rests and fade included
    bars = bar_bounds(beats, downbeats)
    structural = plan.structural_cuts()
    return {
        "cuts_on_beat": share_near(plan.cuts, beats, CUT_TOLERANCE),
        "cuts_on_eighth": share_near(plan.cuts, eighths(beats), CUT_TOLERANCE),
        "structural_on_downbeat": share_near(structural, downbeats, CUT_TOLERANCE),
        "structural_per_30s": 30 * len(structural) / plan.duration,
        "shortest_section_bars": shortest_section_bars(plan, downbeats),
        **tempo_changes(beats, minutes),
        "regular_bars": float(np.mean([len(bar) == 5 for bar in bars])) if bars else None,
        "crashes_per_min": float(np.isin(pitches, CRASHES).sum()) / minutes,
        "fill_bars": float(np.mean([is_fill(bar, starts, pitches) for bar in bars])) if bars else None,
        "drum_patterns_per_8_bars": drum_patterns_per_window(bars, starts, pitches),
    }


def bar_bounds(beats: np.ndarray, downbeats: np.ndarray) -> list[np.ndarray]:
    """Each complete bar (downbeat to next downbeat) as its beats' times followed by the next downbeat."""
    return [np.append(beats[(beats >= start - TICK) & (beats < end - TICK)], end) for start, end in pairwise(downbeats)]


def shortest_section_bars(plan: CompositionPlan, downbeats: np.ndarray) -> float | None:
    """Fewest downbeats in a section's [start, end); a downbeat up to 60 ms early counts for the section."""
    if downbeats.size == 0:
        return None
    return float(min(np.sum((downbeats >= s.start - CUT_TOLERANCE) & (downbeats < s.end - CUT_TOLERANCE))
                     for s in plan.sections))


def is_fill(bar: np.ndarray, starts: np.ndarray, pitches: np.ndarray) -> bool:
    """A tom, or FILL_SNARES snare hits, within the bar's last beat (onsets up to 30 ms early count for the
    beat they anticipate, so a hit on the next downbeat does not)."""
    last = pitches[(starts >= bar[-2] - BEAT_TOLERANCE) & (starts < bar[-1] - BEAT_TOLERANCE)]
    return bool(np.isin(last, TOMS).any() or np.isin(last, SNARES).sum() >= FILL_SNARES)


def drum_patterns_per_window(bars: list[np.ndarray], starts: np.ndarray, pitches: np.ndarray) -> float | None:
    """Mean count of distinct drum patterns over every window of PATTERN_WINDOW consecutive 4-beat bars;
    a pattern is the bar's sixteenth grid of kick, snare, hi-hat and ride onsets within 30 ms."""
    voices = [starts[np.isin(pitches, keys)] for keys in PATTERN_VOICES]
    patterns = []
    for bar in (b for b in bars if len(b) == 5):
        steps = bar_sixteenths(bar)
        patterns.append(tuple(tuple(near_onsets(voice, steps).tolist()) for voice in voices))
    if len(patterns) < PATTERN_WINDOW:
        return None
    return float(np.mean([len(set(patterns[i:i + PATTERN_WINDOW])) for i in range(len(patterns) - PATTERN_WINDOW + 1)]))


def bar_sixteenths(bar: np.ndarray) -> np.ndarray:
    """The times of a bar's sixteenths (each beat split in four), from its beats and the next downbeat."""
    return np.concatenate([np.linspace(a, b, 4, endpoint=False) for a, b in pairwise(bar)])


def near_onsets(onsets: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Per time, whether a sorted onset lies within BEAT_TOLERANCE of it."""
    if onsets.size == 0:
        return np.zeros(len(times), dtype=bool)
    index = np.searchsorted(onsets, times - BEAT_TOLERANCE)
    return (index < len(onsets)) & (onsets[np.minimum(index, len(onsets) - 1)] <= times + BEAT_TOLERANCE)


def audio_tempo_error(audio: np.ndarray, sample_rate: int, plan: CompositionPlan) -> float | None:
    """Relative error of the tempo librosa's beat tracker hears in the mix against the plan's median tempo,
    the best of the heard tempo, its double and its half (trackers often lock to another metrical level).

    librosa is the `learn` extra, imported here: a ModuleNotFoundError names it when it is absent.
    """
    if not plan.beats or audio.size == 0:
        return None
    import librosa

    planned = 60 / float(np.median([b.duration for b in plan.beats]))
    mono = resample(as_mono(audio), sample_rate, TRACKER_RATE)
    tempo, _ = librosa.beat.beat_track(y=mono, sr=TRACKER_RATE, hop_length=TRACKER_HOP)
    heard = float(np.atleast_1d(tempo)[0])
    if heard <= 0:
        return None
    return min(abs(candidate - planned) / planned for candidate in (heard, 2 * heard, heard / 2))
