"""Measures of musicianship: a tune, harmony that goes somewhere and fits the mood, a mix where the tune is heard.

The tune is what music.mid's Melody track plays and the harmony what its Chords track plays; bars and
beats come from the file's own tempo map (as in pulse.py), the balance from the rendered stems. The plan
gives only what notes cannot say: where its chords change (the spans in which the Chords track's notes
are read as one chord), its phrases and its key; the analysis gives the picture's valence.
Definitions and targets: docs/music-evaluation.md.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from collections.abc import Sequence
from functools import reduce
from pathlib import Path

import numpy as np

from v2m_core.media.loudness import integrated_lufs
from v2m_core.evaluation.audio import silent_share
from v2m_core.evaluation.notes import BEAT_TOLERANCE
from v2m_core.evaluation.pulse import TICK, bar_bounds, bar_sixteenths, near_onsets
from v2m_core.media.audio import read_wav
from v2m_core.music.theory import QUALITIES, chord_pitch_classes
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan, Key

MELODY, CHORDS = "melody", "chords"
"""Track roles: music.mid's track names lower-cased (target.read_midi), the stems' file names."""
STEP = 2
"""Semitones: an interval this small is a step (a repeated note is one too)."""
PATTERN = 3
"""Intervals in a melodic pattern."""
CHORD_WINDOW = 60.0
"""Seconds of music over which distinct chords are counted."""
NEUTRAL_VALENCE = 0.15
"""Mean valence closer to 0 than this does not decide the mode."""
COLOURED_TRIADS = ("maj", "min", "maj7", "min7", "maj(9)", "min(9)")
"""Qualities read as a major or minor triad (a seventh or an added ninth is colour): tonic and subdominant."""
DOMINANTS = ("maj", "7")
"""Qualities of a dominant that leads home: the major third is the key's leading tone."""

Chord = tuple[int, str]
"""(root pitch class, quality of theory.QUALITIES)."""


def melody_metrics(tracks: list[MidiTrack], beats: np.ndarray, downbeats: np.ndarray) -> dict[str, float | None]:
    """The tune's measures; None where the piece has too few melody notes (or bars) to judge."""
    line = melody_line(tracks)
    pitches = np.array([n.pitch for n in line], dtype=int)
    onsets = np.array([n.start for n in line])
    accompaniment = [n for t in tracks if t.role == CHORDS for n in t.notes]
    return {
        "melody_recurring_patterns": recurring_patterns(pitches),
        "melody_repeated_bar_rhythms": repeated_bar_rhythms(onsets, beats, downbeats),
        "melody_steps": float(np.mean(np.abs(np.diff(pitches)) <= STEP)) if len(pitches) > 1 else None,
        "melody_reversals": reversals(pitches),
        "melody_above_chords": above_share(line, accompaniment),
        "melody_phrase_bars": mean_phrase_bars(line, beats, downbeats),
    }


def melody_line(tracks: list[MidiTrack]) -> list[Note]:
    """The Melody track's notes in onset order, one per onset: the highest of notes starting together."""
    notes = sorted((n for t in tracks if t.role == MELODY for n in t.notes), key=lambda n: (n.start, -n.pitch))
    line: list[Note] = []
    for note in notes:
        if not line or note.start > line[-1].start + TICK:
            line.append(note)
    return line


def recurring_patterns(pitches: np.ndarray) -> float | None:
    """Share of the line's patterns (PATTERN consecutive intervals, overlapping) that occur more than once."""
    intervals = np.diff(pitches).tolist()
    patterns = [tuple(intervals[i:i + PATTERN]) for i in range(len(intervals) - PATTERN + 1)]
    if not patterns:
        return None
    counts = Counter(patterns)
    return float(np.mean([counts[p] > 1 for p in patterns]))


def repeated_bar_rhythms(onsets: np.ndarray, beats: np.ndarray, downbeats: np.ndarray) -> float | None:
    """Over the complete bars holding a melody onset on their sixteenth grid (within 30 ms), the share whose
    grid equals another such bar's."""
    rhythms = []
    for bar in bar_bounds(beats, downbeats):
        grid = near_onsets(onsets, bar_sixteenths(bar))
        if grid.any():
            rhythms.append(tuple(grid.tolist()))
    if not rhythms:
        return None
    counts = Counter(rhythms)
    return float(np.mean([counts[r] > 1 for r in rhythms]))


def reversals(pitches: np.ndarray) -> float | None:
    """Share of consecutive pairs of moving intervals that change direction; repeated notes are skipped, so a
    line cannot lower its count by repeating pitches."""
    moving = np.diff(pitches)
    moving = moving[moving != 0]
    if len(moving) < 2:
        return None
    return float(np.mean(np.sign(moving[1:]) != np.sign(moving[:-1])))


def above_share(line: list[Note], accompaniment: list[Note]) -> float | None:
    """Share of melody notes higher than every accompaniment note sounding 30 ms after they start (a chord
    struck with the note, a little late, sounds; one released as it starts does not). Notes over silence are
    not judged: nothing buries them. One sweep with a heap of sounding notes, so linear in length."""
    pending = sorted(accompaniment, key=lambda n: n.start)
    sounding: list[tuple[int, float]] = []  # (-pitch, end): the highest sounding note on top
    position = judged = above = 0
    for note in line:
        instant = note.start + BEAT_TOLERANCE
        while position < len(pending) and pending[position].start <= instant:
            heapq.heappush(sounding, (-pending[position].pitch, pending[position].end))
            position += 1
        while sounding and sounding[0][1] <= instant:
            heapq.heappop(sounding)
        if sounding:
            judged += 1
            above += note.pitch > -sounding[0][0]
    return above / judged if judged else None


def mean_phrase_bars(line: list[Note], beats: np.ndarray, downbeats: np.ndarray) -> float | None:
    """Mean length in bars (fractional, from the MIDI downbeats) of the melody's phrases, from a phrase's
    first onset to its last note's end; a rest of a beat or more (less 30 ms) between notes ends a phrase."""
    if not line or len(beats) < 2 or len(downbeats) < 2:
        return None
    phrases: list[tuple[float, float]] = []
    start, end = line[0].start, line[0].end
    for note in line[1:]:
        if note.start - end >= beat_length_at(end, beats) - BEAT_TOLERANCE:
            phrases.append((start, end))
            start, end = note.start, note.end
        else:
            end = max(end, note.end)
    phrases.append((start, end))
    bounds = np.array(phrases)
    return float(np.mean(bar_position(bounds[:, 1], downbeats) - bar_position(bounds[:, 0], downbeats)))


def beat_length_at(time: float, beats: np.ndarray) -> float:
    """Seconds of the MIDI beat holding `time` (the first or last beat's length outside the beats)."""
    index = min(max(int(np.searchsorted(beats, time, side="right")) - 1, 0), len(beats) - 2)
    return float(beats[index + 1] - beats[index])


def bar_position(times: np.ndarray, downbeats: np.ndarray) -> np.ndarray:
    """Times as fractional bar numbers between the MIDI downbeats, extended past both ends at the edge bars'
    lengths."""
    index = np.clip(np.searchsorted(downbeats, times, side="right") - 1, 0, len(downbeats) - 2)
    return index + (times - downbeats[index]) / (downbeats[index + 1] - downbeats[index])


def harmony_metrics(plan: CompositionPlan, tracks: list[MidiTrack],
                    analysis: VideoAnalysis | None) -> dict[str, float | None]:
    """Distinct chords and cadences as the Chords track plays them (None without one), and the mode."""
    notes = [n for t in tracks if t.role == CHORDS for n in t.notes]
    mode = {"mode_matches_valence": mode_matches_valence(plan.key, analysis)}
    if not notes:
        return {"distinct_chords_per_60s": None, "phrase_end_cadences": None, **mode}
    spans = np.array([(c.start, c.end) for c in plan.chords]).reshape(-1, 2)
    chords = recognise(chord_profiles(notes, spans))
    phrases = [(p.start, p.end) for p in plan.phrases] or [(s.start, s.end) for s in plan.sections]
    return {
        "distinct_chords_per_60s": distinct_chords_per_window(spans, chords, plan.duration),
        "phrase_end_cadences": cadence_share(spans, chords, phrases, plan.key),
        **mode,
    }


def chord_profiles(notes: list[Note], spans: np.ndarray) -> np.ndarray:
    """Per span (plan chord), the seconds each pitch class of `notes` sounds in it: a pitch-class profile
    that holds arpeggios whole and gives a passing note or a tail across the change little weight."""
    starts, ends = spans[:, 0].tolist(), spans[:, 1].tolist()
    profiles = np.zeros((len(spans), 12))
    for note in notes:
        for index in range(bisect.bisect_right(ends, note.start), bisect.bisect_left(starts, note.end)):
            profiles[index, note.pitch % 12] += min(note.end, ends[index]) - max(note.start, starts[index])
    return profiles


def _templates() -> tuple[list[Chord], np.ndarray]:
    """Every root with every quality of theory.QUALITIES, and its pitch classes as a unit vector."""
    names = [(root, quality) for quality in QUALITIES for root in range(12)]
    vectors = np.zeros((len(names), 12))
    for row, (root, quality) in enumerate(names):
        vectors[row, chord_pitch_classes(root, quality)] = 1
    return names, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


TEMPLATE_NAMES, TEMPLATES = _templates()


def recognise(profiles: np.ndarray) -> list[Chord | None]:
    """The chord whose template is closest (cosine) to each profile, as in Fujishima's pitch-class-profile
    recognition (1999); the first in TEMPLATE_NAMES' order on a tie. None for a span with no notes."""
    scores = profiles @ TEMPLATES.T
    best = np.argmax(scores, axis=1)
    return [TEMPLATE_NAMES[b] if profile.any() else None for b, profile in zip(best, profiles)]


def distinct_chords_per_window(spans: np.ndarray, chords: list[Chord | None], duration: float) -> float | None:
    """Mean count of distinct recognised chords sounding in each CHORD_WINDOW window starting on a whole
    second (the whole piece when it is shorter); None when the Chords track is silent."""
    if not any(chords):
        return None
    if duration <= CHORD_WINDOW:
        return float(len({c for c in chords if c}))
    starts, ends = spans[:, 0].tolist(), spans[:, 1].tolist()
    counts = []
    for second in range(int(duration - CHORD_WINDOW) + 1):
        inside = range(bisect.bisect_right(ends, second), bisect.bisect_left(starts, second + CHORD_WINDOW))
        counts.append(len({chords[i] for i in inside if chords[i]}))
    return float(np.mean(counts))


def cadence_share(spans: np.ndarray, chords: list[Chord | None], phrases: list[tuple[float, float]],
                  key: Key) -> float:
    """Share of phrases that end on an authentic or plagal cadence: the chord sounding at the phrase's end
    arrives inside the phrase, and it and the chord before it (repeats merged) make one in `key` or in its
    relative key (a contrasting section may move there and close in it)."""
    merged: list[tuple[float, Chord | None]] = []
    for start, chord in zip(spans[:, 0].tolist(), chords):
        if not merged or chord != merged[-1][1]:
            merged.append((start, chord))
    starts = [start for start, _ in merged]
    ends_on_cadence = []
    for start, end in phrases:
        last = bisect.bisect_right(starts, end - TICK) - 1
        ends_on_cadence.append(last >= 1 and starts[last] >= start - TICK
                               and any(is_cadence(merged[last - 1][1], merged[last][1], home)
                                       for home in (key, relative_key(key))))
    return float(np.mean(ends_on_cadence))


def is_cadence(before: Chord | None, arrival: Chord | None, key: Key) -> bool:
    """V or V7 to I or i (authentic), or IV or iv to I or i (plagal); a seventh or added ninth on the tonic
    or the subdominant is colour."""
    if before is None or arrival is None or (arrival[0] - key.tonic) % 12 != 0 or arrival[1] not in COLOURED_TRIADS:
        return False
    degree = (before[0] - key.tonic) % 12
    return (degree == 7 and before[1] in DOMINANTS) or (degree == 5 and before[1] in COLOURED_TRIADS)


def relative_key(key: Key) -> Key:
    """The relative minor of a major key, or the relative major of a minor one."""
    if key.mode == "major":
        return Key(tonic=(key.tonic + 9) % 12, mode="minor")
    return Key(tonic=(key.tonic + 3) % 12, mode="major")


def mode_matches_valence(key: Key, analysis: VideoAnalysis | None) -> float | None:
    """1 when the key is major for a picture of clearly positive mean valence or minor for a clearly
    negative one, else 0; None without the analysis, or when the mean valence is within NEUTRAL_VALENCE of
    0 (a neutral picture may take either mode)."""
    if analysis is None or not analysis.valence:
        return None
    valence = float(np.mean(analysis.valence))
    if abs(valence) < NEUTRAL_VALENCE:
        return None
    return float((key.mode == "major") == (valence > 0))


def mix_metrics(stems: Sequence[Path], audio: np.ndarray | None, sample_rate: int) -> dict[str, float | None]:
    """The melody stem's loudness over the chords stem's, and the mix's share of silence."""
    melody, chords = stem_loudness(stems, MELODY), stem_loudness(stems, CHORDS)
    return {
        "melody_over_chords_db": melody - chords if melody is not None and chords is not None else None,
        "silent_share": silent_share(audio, sample_rate) if audio is not None else None,
    }


def stem_role(path: Path) -> str:
    """The role in a stem's file name, NN-role.wav."""
    return path.stem.split("-", 1)[-1]


def stem_loudness(stems: Sequence[Path], role: str) -> float | None:
    """BS.1770 integrated loudness (LUFS) of the stems of `role` mixed; None without any, or when silent."""
    audios = [read_wav(path) for path in stems if stem_role(path) == role]
    if not audios:
        return None
    frames = min(len(audio) for audio, _ in audios)
    loudness = integrated_lufs(reduce(np.add, (audio[:frames] for audio, _ in audios)), audios[0][1])
    return float(loudness) if np.isfinite(loudness) else None
