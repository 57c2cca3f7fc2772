"""Chord recognition scores with mir_eval, per file and duration-weighted over a set of files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mir_eval
import numpy as np

from v2m_core.chords.files import CHORD_SUFFIXES, read_chord_file
from v2m_core.chords.labels import NO_CHORD
from v2m_core.errors import UsageError
from v2m_core.schemas.chords import ChordSegment

METRICS = ("root", "majmin", "mirex", "thirds", "triads", "sevenths", "tetrads")


@dataclass(frozen=True)
class FileScore:
    name: str
    duration: float
    scores: dict[str, float]


@dataclass(frozen=True)
class Evaluation:
    files: list[FileScore]
    missing: list[str] = field(default_factory=list)
    """Reference files with no estimate beside them (left out of the totals)."""

    @property
    def total(self) -> dict[str, float]:
        """Each metric weighted by the reference duration of each file."""
        weights = np.array([f.duration for f in self.files])
        if not len(weights) or weights.sum() <= 0:
            return {metric: float("nan") for metric in METRICS}
        return {metric: float(np.average([f.scores[metric] for f in self.files], weights=weights)) for metric in METRICS}


def _arrays(segments: Sequence[ChordSegment]) -> tuple[np.ndarray, list[str]]:
    kept = [s for s in segments if s.end > s.start]
    return np.array([[s.start, s.end] for s in kept]).reshape(-1, 2), [s.label for s in kept]


def score(reference: Sequence[ChordSegment], estimate: Sequence[ChordSegment]) -> dict[str, float]:
    """mir_eval's duration-weighted comparisons over the reference's time span; estimate gaps count as N.

    This is mir_eval.chord.evaluate's recipe without its segmentation scores, which reject
    estimates that have a sliver of a segment after clipping to the reference.
    """
    ref_intervals, ref_labels = _arrays(reference)
    if not ref_labels:
        raise UsageError("the reference has no segments to score against")
    est_intervals, est_labels = _arrays(estimate)
    if not est_labels:
        est_intervals, est_labels = ref_intervals[:1].copy(), [NO_CHORD]
    est_intervals, est_labels = mir_eval.util.adjust_intervals(est_intervals, est_labels, ref_intervals.min(),
                                                               ref_intervals.max(), NO_CHORD, NO_CHORD)
    intervals, ref_merged, est_merged = mir_eval.util.merge_labeled_intervals(ref_intervals, ref_labels,
                                                                             est_intervals, est_labels)
    durations = mir_eval.util.intervals_to_durations(intervals)
    return {metric: float(mir_eval.chord.weighted_accuracy(getattr(mir_eval.chord, metric)(ref_merged, est_merged),
                                                           durations))
            for metric in METRICS}


def evaluate_folders(reference_dir: Path, estimate_dir: Path) -> Evaluation:
    """Pair files by stem (`song.lab` with `song.lab` or Omnizart's `song.csv`) and score each pair."""
    for folder in (reference_dir, estimate_dir):
        if not Path(folder).is_dir():
            raise UsageError(f"{folder}: not a folder")
    references = sorted(p for p in Path(reference_dir).iterdir() if p.suffix.lower() in CHORD_SUFFIXES)
    if not references:
        raise UsageError(f"{reference_dir}: no .lab or .csv chord files")
    estimates = {p.stem: p for p in sorted(Path(estimate_dir).iterdir()) if p.suffix.lower() in CHORD_SUFFIXES}
    files, missing = [], []
    for path in references:
        if path.stem not in estimates:
            missing.append(path.name)
            continue
        reference = read_chord_file(path)
        duration = reference[-1].end - reference[0].start if reference else 0.0
        files.append(FileScore(path.stem, duration, score(reference, read_chord_file(estimates[path.stem]))))
    if not files:
        raise UsageError(f"{estimate_dir}: no estimate matches a reference file by name")
    return Evaluation(files, missing)
