"""Measures on the plan and its notes: cut alignment, timing, key, pitch variety, groove, drums vs motion.

Definitions (docs/music-evaluation.md):
- cut_downbeat_chord: share of structural cuts with a downbeat of the plan's beat grid and a chord change
  both within 60 ms;
- cut_onset: share of cuts with a note onset in the MIDI within 60 ms (the music audibly marks it);
- beat_hit_rate: share of note onsets within 30 ms of the grid's sixteenth subdivisions;
- key_consistency: share of pitched notes whose pitch class is in the key's scale or the sounding chord;
- pitch_class_entropy: Shannon entropy in bits of the pitched notes' pitch-class histogram (0..log2 12);
- groove_consistency: 1 - mean Hamming distance (as a fraction of the steps) between consecutive
  equally long bars' sixteenth onset grids of the drums (all notes when there is no drum track),
  as in Wu & Yang (2020), "The Jazz Transformer on the front line";
- drum_density_motion_corr: Pearson correlation of drum onsets per second with the video's motion.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from v2m_core.evaluation.correlation import pearson
from v2m_core.music.theory import scale_pitch_classes
from v2m_core.music.timing import Grid
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

CUT_TOLERANCE = 0.060
BEAT_TOLERANCE = 0.030


def note_metrics(plan: CompositionPlan, tracks: list[MidiTrack], motion: list[float] | None) -> dict[str, float | None]:
    pitched = [n for t in tracks if not t.is_drum for n in t.notes]
    drums = [n for t in tracks if t.is_drum for n in t.notes]
    onsets = np.array(sorted(n.start for t in tracks for n in t.notes))
    return {
        "cut_downbeat_chord": cut_downbeat_chord(plan),
        "cut_onset": share_near(plan.cuts, onsets, CUT_TOLERANCE),
        "beat_hit_rate": beat_hit_rate(plan, onsets),
        "key_consistency": key_consistency(plan, pitched),
        "pitch_class_entropy": pitch_class_entropy(pitched),
        "groove_consistency": groove_consistency(plan, drums or [n for t in tracks for n in t.notes]),
        "drum_density_motion_corr": pearson(onsets_per_second(drums, plan.duration), motion) if motion and drums else None,
    }


def share_near(times: list[float], reference: np.ndarray, tolerance: float) -> float | None:
    """Share of `times` within `tolerance` of a reference time; None when there are no times to judge."""
    if not times:
        return None
    if reference.size == 0:
        return 0.0
    return float(np.mean([np.min(np.abs(reference - t)) <= tolerance for t in times]))


def cut_downbeat_chord(plan: CompositionPlan) -> float | None:
    """Over the structural cuts (every cut, for a plan without hits): the ones that start a section."""
    cuts = plan.structural_cuts() if plan.hits else plan.cuts
    downbeats = np.array(plan.downbeats())
    changes = np.array([c.start for c in plan.chords[1:]])
    if not cuts:
        return None
    if downbeats.size == 0 or changes.size == 0:
        return 0.0
    return float(np.mean([np.min(np.abs(downbeats - cut)) <= CUT_TOLERANCE and np.min(np.abs(changes - cut)) <= CUT_TOLERANCE
                          for cut in cuts]))


def sixteenths(plan: CompositionPlan) -> np.ndarray:
    """Times of every sixteenth of the beat grid."""
    return np.array([b.time + k * b.duration / 4 for b in plan.beats for k in range(4)])


def beat_hit_rate(plan: CompositionPlan, onsets: np.ndarray) -> float | None:
    grid = sixteenths(plan)
    if onsets.size == 0 or grid.size == 0:
        return None
    index = np.clip(np.searchsorted(grid, onsets), 1, len(grid) - 1)
    distance = np.minimum(np.abs(onsets - grid[index - 1]), np.abs(onsets - grid[index]))
    return float(np.mean(distance <= BEAT_TOLERANCE))


def key_consistency(plan: CompositionPlan, notes: list[Note]) -> float | None:
    if not notes:
        return None
    grid = Grid(plan)
    scale = set(scale_pitch_classes(plan.key))
    fits = [n.pitch % 12 in scale or n.pitch % 12 in grid.chord_at(n.start).pitch_classes for n in notes]
    return float(np.mean(fits))


def pitch_class_entropy(notes: list[Note]) -> float | None:
    if not notes:
        return None
    counts = np.bincount([n.pitch % 12 for n in notes], minlength=12).astype(float)
    share = counts[counts > 0] / counts.sum()
    return float(-(share * np.log2(share)).sum()) + 0.0


def bar_onset_grids(plan: CompositionPlan, notes: list[Note]) -> list[np.ndarray]:
    """Per bar, a boolean grid of its sixteenths (4 per beat) that hold a note onset within 30 ms."""
    grids = []
    starts = np.array(sorted(n.start for n in notes))
    for bar in Grid(plan).bars:
        steps = np.array([bar.time_at(i / 4) for i in range(bar.length * 4)])
        near = np.zeros(len(steps), dtype=bool)
        for step, time in enumerate(steps):
            index = np.searchsorted(starts, time - BEAT_TOLERANCE)
            near[step] = index < len(starts) and starts[index] <= time + BEAT_TOLERANCE
        grids.append(near)
    return grids


def groove_consistency(plan: CompositionPlan, notes: list[Note]) -> float | None:
    grids = bar_onset_grids(plan, notes)
    distances = [float(np.mean(a != b)) for a, b in pairwise(grids) if len(a) == len(b)]
    return 1.0 - float(np.mean(distances)) if distances else None


def onsets_per_second(notes: list[Note], duration: float) -> np.ndarray:
    counts = np.zeros(max(1, math.ceil(duration)))
    for note in notes:
        counts[min(int(note.start), len(counts) - 1)] += 1
    return counts
