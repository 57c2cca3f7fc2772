"""Performance: what players add to the written notes, so General MIDI sounds played rather than sequenced.

- Held chords on sustaining sounds (organs, strings, brass, winds, synth pads) are tied across bar lines where a
  pitch goes on, and swell with expression (CC11) that follows each phrase's function and energy instead of
  re-attacking every bar. Orchestral programs also get modulation (CC1): a gentle vibrato that grows with the
  swell. A sustained melody or bass follows the phrase more lightly; the melody swells into its long notes, the
  vibrato arriving late, as a player's does.
- Monophonic lines (melody, bass) are played legato: a gap shorter than LEGATO_GAP closes, so notes touch or
  overlap a little; a held chord's moving voices overlap the next chord. Notes of one pitch never overlap.
- Timing moves a few milliseconds (at most MAX_SHIFT) and velocity by metric weight (downbeats accented,
  offbeats lighter, the top of a chord a little louder) plus a little seeded variation. Notes at structural cuts
  and section starts keep their exact time, and so does every drum but the hi-hats.
- Reverb and chorus sends by role and style: ambient and cinematic wetter, pop and electronic drier, bass and
  drums drier than pads.
- Channel volume (CC7) balances the parts from an estimate of each one's loudness (a soundfont's LoudnessTable):
  the melody MIX["melody"] - MIX["chords"] dB above the chords, bass and drums between.

Each track is a pass over its notes, vectorised where it counts, with its own generator seeded from the seed,
its role and its name: the same seed gives the same MIDI bytes, and twenty minutes perform in well under a second.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from v2m_core.music.seconds import mean_over
from v2m_core.schemas.midi import CHORUS, EXPRESSION, MODULATION, REVERB, VOLUME, ControlChange, MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.synthesizers.soundfonts import FLUID_R3, LoudnessTable

SUSTAINING = frozenset((*range(16, 24), *range(40, 45), *range(48, 55), *range(56, 96)))
"""General MIDI programs whose notes hold their level: organs, bowed strings, ensembles and choirs, brass, reeds,
pipes, synth leads and pads. Pianos, mallets, guitars, plucked basses, pizzicato, harp, timpani, the orchestra hit
and percussion decay, so they keep their attacks."""
BOWED, ORCHESTRAL = range(40, 56), range(40, 72)
"""Strings and ensembles; with brass and reeds, the programs that take modulation as vibrato."""
VIBRATO = {"bowed": 30, "wind": 14}
"""Modulation (CC1) at full expression: FluidSynth's default maps 127 to +-50 cents, so these are +-12 and +-5."""
MONOPHONIC = ("melody", "bass")
HATS = frozenset({42, 44, 46})
"""Closed, pedal and open hi-hat: the only drums whose timing is humanised."""

MAX_SHIFT = 0.007
"""Seconds a note may move (the MIDI file's ticks add under a millisecond)."""
TIMING_SPREAD = 0.003
TIMING_MEMORY = 0.5
"""A player's timing drifts rather than jumps: each shift keeps this share of the one before."""
ANCHOR_TOLERANCE = 1e-3
ACCENTS = np.array([6, 3, 0, -3, -5])
"""Velocity added by metric position: downbeat, the bar's middle beat, other beats, offbeat eighths, the rest."""
VELOCITY_SPREAD = 3
MAX_VELOCITY_CHANGE = 10
TOP_VOICE = 3
"""Velocity added to the highest note of a chord, so the top line of the voicing sings."""
HELD_ACCENT = 0.5
"""Share of the metric accent a held note takes: expression shapes those."""
TIE_BEATS = 1.75
"""Notes this many beats long or more are held chords: a pitch that goes on is tied, not struck again."""
TIE_GAP = 0.01
LEGATO_GAP = 0.12
"""Seconds: a shorter gap between two notes of a line is a gap of the renderer, not a rest."""
LEGATO_OVERLAP = {"melody": 0.025, "bass": 0.008}
PAD_OVERLAP = 0.2
"""Seconds a held chord's moving voices sound past the change, covering the slow attack of the voices that enter."""

CONTROL_STEP = 0.06
"""Seconds between controller events while a curve moves; none while it is flat."""
SPAN_GAP, SPAN_LEAD, SPAN_TAIL = 1.0, 0.05, 0.5
"""Curves are written only while a track sounds: spans of notes with shorter silences between, from just before
the first note to its release."""
ENERGY_DB = 7.0
"""Expression from energy 0 to 1."""
SWELLS: dict[str, tuple[float, float]] = {"intro": (-3.0, -1.0), "build": (-3.0, 0.0), "peak": (-1.0, 0.0),
                                          "release": (-0.5, -2.5), "ending": (-1.0, -3.0), "body": (-2.0, -0.5)}
"""Expression (dB) at a phrase's start and at its crest, by function: a build swells into the next phrase, a
release falls back. Between knots the curve eases (half a cosine), so a held chord never dips at a bar line."""
CREST = 0.65
"""Where in a phrase its crest lies."""
LINE_DEPTH = 0.5
"""A melody or bass follows the phrase curve at half the depth: it stays in front."""
LONG_NOTE, NOTE_SWELL_DB, NOTE_SWELL_SHARE = 0.8, 2.5, 0.6
"""A melody note this long (seconds) starts NOTE_SWELL_DB softer and swells over this share of its length."""

SENDS: dict[str, dict[str, tuple[int, int]]] = {
    "ambient": {"chords": (110, 40), "melody": (90, 20), "bass": (50, 0), "drums": (70, 0)},
    "cinematic": {"chords": (100, 20), "melody": (80, 10), "bass": (55, 0), "drums": (65, 0)},
    "pop": {"chords": (60, 15), "melody": (50, 10), "bass": (20, 0), "drums": (35, 0)},
    "electronic": {"chords": (55, 30), "melody": (45, 15), "bass": (15, 0), "drums": (30, 0)},
}
"""(reverb CC91, chorus CC93) by style and role; other roles take the melody's, other styles pop's."""
MIX: dict[str, float] = {"melody": 0.0, "chords": -5.0, "bass": -3.0, "drums": -2.5}
"""Integrated loudness of each part relative to the melody (dB); other roles sit OTHER_ROLE under it. The
melody aims 5 dB over the chords, above the middle of the 3-6 dB it should sit there, because rendered stems
measure up to 2 dB under the estimate's difference (sparse, decaying leads over held pads: docs/benchmarks.md)."""
OTHER_ROLE = -6.0
QUIET_DRUMS = {"ambient": -4.0, "cinematic": -4.0}
"""The kit sits further back in these styles."""
MIN_VOLUME = 32
"""The lowest channel volume the mix sets (-24 dB): a part is never turned into silence."""


@dataclass(frozen=True)
class Score:
    """What every track's performance reads from the plan, computed once."""

    beat_times: np.ndarray
    beat_lengths: np.ndarray
    beat_kinds: np.ndarray
    """0 downbeat, 1 the middle beat of an even bar of four or more, 2 any other beat (indices into ACCENTS)."""
    anchors: np.ndarray
    knot_times: np.ndarray
    knot_levels: np.ndarray
    duration: float
    style: str

    @classmethod
    def of(cls, plan: CompositionPlan) -> Score:
        beats = plan.beats
        lengths = {beat.bar: beat.position + 1 for beat in beats}
        kinds = [0 if beat.position == 0 else 1 if lengths[beat.bar] >= 4 and lengths[beat.bar] % 2 == 0
                 and beat.position == lengths[beat.bar] // 2 else 2 for beat in beats]
        anchors = sorted({*plan.structural_cuts(), *(section.start for section in plan.sections)})
        phrases = [(p.start, p.end, p.function) for p in plan.phrases] or \
                  [(s.start, s.end, "body") for s in plan.sections]
        times: list[float] = []
        levels: list[float] = []
        for start, end, function in phrases:
            level = -ENERGY_DB * (1 - mean_over(plan.energy, start, end))
            opening, crest = SWELLS[function]
            times += [start, start + CREST * (end - start)]
            levels += [level + opening, level + crest]
        return cls(np.array([b.time for b in beats]), np.array([b.duration for b in beats]), np.array(kinds, dtype=int),
                   np.array(anchors), np.array(times), np.array(levels), plan.duration, plan.style)

    def beat_index(self, times: np.ndarray) -> np.ndarray:
        return np.clip(np.searchsorted(self.beat_times, times + 1e-6, side="right") - 1, 0, None)

    def accents(self, times: np.ndarray) -> np.ndarray:
        """Velocity accent of notes starting at `times`, by their place in the bar (none without beats)."""
        if not len(self.beat_times):
            return np.zeros(len(times))
        index = self.beat_index(times)
        fraction = (times - self.beat_times[index]) / self.beat_lengths[index]
        following = np.minimum(index + 1, len(self.beat_times) - 1)
        late = fraction > 0.96  # just before a beat: that beat's
        kind = np.where(late, self.beat_kinds[following], self.beat_kinds[index])
        kind = np.where((fraction < 0.04) | late, kind, np.where(np.abs(fraction - 0.5) < 0.04, 3, 4))
        return ACCENTS[np.where(times < self.beat_times[0] - 1e-6, 2, kind)]  # a lead-in before the first beat: plain

    def beat_length(self, times: np.ndarray) -> np.ndarray:
        if not len(self.beat_times):
            return np.full(len(times), 0.5)
        return self.beat_lengths[self.beat_index(times)]

    def anchored(self, times: np.ndarray) -> np.ndarray:
        """Whether each time is a structural cut or a section start, where the music must land exactly."""
        if not len(self.anchors):
            return np.zeros(len(times), dtype=bool)
        index = np.clip(np.searchsorted(self.anchors, times), 1, len(self.anchors) - 1)
        nearest = np.minimum(np.abs(self.anchors[index] - times), np.abs(self.anchors[index - 1] - times))
        return nearest < ANCHOR_TOLERANCE

    def dynamics(self, times: np.ndarray) -> np.ndarray:
        """The phrase curve (dB, at most 0) at `times`: eased between knots, held before the first and after the
        last."""
        knots, levels = self.knot_times, self.knot_levels  # two per phrase, and a plan has at least one section
        upper = np.clip(np.searchsorted(knots, times, side="right"), 1, len(knots) - 1)
        progress = np.clip((times - knots[upper - 1]) / np.maximum(knots[upper] - knots[upper - 1], 1e-9), 0, 1)
        return levels[upper - 1] + (levels[upper] - levels[upper - 1]) * (1 - np.cos(np.pi * progress)) / 2


def perform(tracks: list[MidiTrack], plan: CompositionPlan, seed: int,
            loudness: LoudnessTable = FLUID_R3) -> list[MidiTrack]:
    """The tracks as played: tied and legato notes, humanised timing and velocity, expression and modulation
    curves, effect sends and a balanced mix (by `loudness`, the table of the soundfont that will render them)."""
    score = Score.of(plan)
    played = [_played(track, score, np.random.default_rng([seed, zlib.crc32(f"{track.role}/{track.name}".encode())]))
              for track in tracks]
    return _mixed(played, score, loudness)


def _played(track: MidiTrack, score: Score, rng: np.random.Generator) -> MidiTrack:
    """One track as played, before the mix: its notes in time order, its sends and curves."""
    sustained = not track.is_drum and track.program in SUSTAINING
    line = track.role in MONOPHONIC
    notes = sorted(track.notes, key=lambda n: (n.start, n.pitch))
    if sustained and not line:
        notes = _tied(notes, score)
    written = np.array([n.start for n in notes])
    pitches = np.array([n.pitch for n in notes], dtype=int)
    shifts = _timing(written, pitches, track.is_drum, score, rng)
    starts = written + shifts
    ends = np.minimum(np.array([n.end for n in notes]) + shifts, score.duration)
    velocities = _velocities(notes, written, ends - starts, pitches, track, score, rng)
    if line:
        ends = _legato(starts, ends, LEGATO_OVERLAP[track.role], np.ones(len(starts), dtype=bool))
    elif sustained:
        ends = _legato(starts, ends, PAD_OVERLAP, (ends - starts) >= TIE_BEATS * score.beat_length(starts))
    ends = _without_repeats_overlapping(starts, ends, pitches)
    played = [Note(pitch=int(p), start=float(s), end=float(e), velocity=int(v))
              for p, s, e, v in zip(pitches, starts, ends, velocities)]
    controls = _sends(track, score.style)
    if sustained and played:
        controls += _curves(track, starts, ends, score, line)
    return track.model_copy(update={"notes": played, "controls": controls})


def _tied(notes: list[Note], score: Score) -> list[Note]:
    """Held notes of one pitch that follow each other without a gap become one note."""
    starts = np.array([n.start for n in notes])
    held = (np.array([n.end for n in notes]) - starts) >= TIE_BEATS * score.beat_length(starts)
    kept: list[Note] = []
    held_by_pitch: dict[int, int] = {}
    """Index in `kept` of the last held note of each pitch, which the next may continue."""
    for note, long in zip(notes, held):
        index = held_by_pitch.pop(note.pitch, None)
        if index is not None and long and abs(kept[index].end - note.start) < TIE_GAP:
            kept[index] = kept[index].model_copy(update={"end": note.end})
            held_by_pitch[note.pitch] = index
            continue
        if long:
            held_by_pitch[note.pitch] = len(kept)
        kept.append(note)
    return kept


def _timing(starts: np.ndarray, pitches: np.ndarray, is_drum: bool, score: Score,
            rng: np.random.Generator) -> np.ndarray:
    """Seconds each note moves: one drifting shift per onset (a chord moves as one), none at anchors, none for
    drums but hi-hats, never before the start."""
    if not len(starts):
        return np.zeros(0)
    onsets, onset_of = np.unique(np.round(starts, 4), return_inverse=True)
    noise = rng.normal(0.0, TIMING_SPREAD, len(onsets))
    drift = lfilter([np.sqrt(1 - TIMING_MEMORY ** 2)], [1, -TIMING_MEMORY], noise)
    shifts = np.clip(drift, -MAX_SHIFT, MAX_SHIFT)[onset_of]
    fixed = score.anchored(starts)
    if is_drum:
        fixed |= ~np.isin(pitches, list(HATS))
    return np.maximum(np.where(fixed, 0.0, shifts), -starts)


def _velocities(notes: list[Note], starts: np.ndarray, lengths: np.ndarray, pitches: np.ndarray, track: MidiTrack,
                score: Score, rng: np.random.Generator) -> np.ndarray:
    """Written velocity plus the metric accent (half for held notes), the top voice's lift and a seeded spread,
    together at most MAX_VELOCITY_CHANGE."""
    accents = score.accents(starts) * np.where(lengths >= TIE_BEATS * score.beat_length(starts), HELD_ACCENT, 1.0)
    top = np.zeros(len(notes))
    if not track.is_drum and track.role not in MONOPHONIC and len(notes):
        onsets, onset_of = np.unique(np.round(starts, 4), return_inverse=True)
        highest = np.full(len(onsets), -1)
        np.maximum.at(highest, onset_of, pitches)
        voices = np.bincount(onset_of, minlength=len(onsets))
        top = np.where((pitches == highest[onset_of]) & (voices[onset_of] > 1), TOP_VOICE, 0)
    spread = rng.integers(-VELOCITY_SPREAD, VELOCITY_SPREAD + 1, size=len(notes))
    change = np.clip(np.round(accents + top + spread), -MAX_VELOCITY_CHANGE, MAX_VELOCITY_CHANGE)
    return np.clip(np.array([n.velocity for n in notes]) + change, 1, 127).astype(int)


def _legato(starts: np.ndarray, ends: np.ndarray, overlap: float, which: np.ndarray) -> np.ndarray:
    """Ends of the `which` notes that stop short of the next onset by less than LEGATO_GAP reach past it by
    `overlap`."""
    onsets = np.unique(starts)
    following = np.searchsorted(onsets, starts, side="right")
    has_next = following < len(onsets)
    next_onset = onsets[np.minimum(following, len(onsets) - 1)] if len(onsets) else starts
    gap = next_onset - ends
    return np.where(which & has_next & (gap >= 0) & (gap < LEGATO_GAP), next_onset + overlap, ends)


def _without_repeats_overlapping(starts: np.ndarray, ends: np.ndarray, pitches: np.ndarray) -> np.ndarray:
    """A note ends by the next start of its pitch, so a repeated note is released before it sounds again."""
    order = np.lexsort((starts, pitches))
    ends = ends.copy()
    same = pitches[order][1:] == pitches[order][:-1]
    earlier, later = order[:-1][same], order[1:][same]
    ends[earlier] = np.minimum(ends[earlier], starts[later])
    return ends


def _sends(track: MidiTrack, style: str) -> list[ControlChange]:
    by_role = SENDS.get(style, SENDS["pop"])
    reverb, chorus = by_role.get("drums" if track.is_drum else track.role, by_role["melody"])
    return [ControlChange(time=0.0, control=REVERB, value=reverb),
            ControlChange(time=0.0, control=CHORUS, value=chorus)]


def _curves(track: MidiTrack, starts: np.ndarray, ends: np.ndarray, score: Score, line: bool) -> list[ControlChange]:
    """Expression (and modulation for orchestral programs) sampled every CONTROL_STEP while the track sounds,
    written where the value changes."""
    long_notes = np.flatnonzero((ends - starts) >= LONG_NOTE) if track.role == "melody" else np.zeros(0, dtype=int)
    long_notes = long_notes[np.argsort(starts[long_notes], kind="stable")]
    times = np.unique(np.concatenate([_control_times(starts, ends), starts[long_notes]]))
    arrival = _note_swell(times, starts[long_notes], ends[long_notes])
    level = score.dynamics(times) * (LINE_DEPTH if line else 1.0) - NOTE_SWELL_DB * (1 - arrival)
    expression = np.clip(np.round(127 * 10 ** (level / 40)), 1, 127).astype(int)
    controls = _changes(EXPRESSION, times, expression)
    if track.program in ORCHESTRAL:
        depth = VIBRATO["bowed" if track.program in BOWED else "wind"]
        vibrato = np.round(depth * (expression / 127) ** 2 * (0.3 + 0.7 * arrival)).astype(int)
        controls += _changes(MODULATION, times, vibrato)
    return sorted(controls, key=lambda c: c.time)


def _control_times(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sample times over the spans in which the notes sound."""
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], np.maximum.accumulate(ends[order])
    breaks = np.flatnonzero(starts[1:] > ends[:-1] + SPAN_GAP) + 1
    first, last = np.concatenate([[0], breaks]), np.concatenate([breaks - 1, [len(starts) - 1]])
    grids = [np.arange(max(0.0, starts[a] - SPAN_LEAD), ends[b] + SPAN_TAIL, CONTROL_STEP) for a, b in zip(first, last)]
    return np.concatenate(grids)


def _note_swell(times: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """0 at the start of a long note (of a line: they follow each other) rising, eased, to 1 over NOTE_SWELL_SHARE
    of it; 1 elsewhere."""
    if not len(starts):
        return np.ones(len(times))
    index = np.searchsorted(starts, times, side="right") - 1
    inside = (index >= 0) & (times < ends[np.maximum(index, 0)])
    start, end = starts[np.maximum(index, 0)], ends[np.maximum(index, 0)]
    progress = np.clip((times - start) / (NOTE_SWELL_SHARE * (end - start)), 0, 1)
    return np.where(inside, (1 - np.cos(np.pi * progress)) / 2, 1.0)


def _changes(control: int, times: np.ndarray, values: np.ndarray) -> list[ControlChange]:
    """Events where the value differs from the one before (the first always)."""
    keep = np.concatenate([[True], values[1:] != values[:-1]]) if len(values) else np.zeros(0, dtype=bool)
    return [ControlChange(time=float(t), control=control, value=int(v)) for t, v in zip(times[keep], values[keep])]


def _mixed(tracks: list[MidiTrack], score: Score, loudness: LoudnessTable) -> list[MidiTrack]:
    """Channel volumes that bring each part's estimated loudness to its place in MIX; the part that needs the most
    gain gets full volume, the others less (mastering sets the level of the whole)."""
    estimates = [loudness.estimate(track, score.duration) for track in tracks]
    gains = [_target(track, score.style) - estimate for track, estimate in zip(tracks, estimates)]
    audible = [gain for gain, estimate in zip(gains, estimates) if np.isfinite(estimate)]
    loudest = max(audible, default=0.0)
    mixed: list[MidiTrack] = []
    for track, gain, estimate in zip(tracks, gains, estimates):
        if not np.isfinite(estimate):
            mixed.append(track)
            continue
        volume = int(np.clip(round(127 * 10 ** ((gain - loudest) / 40)), MIN_VOLUME, 127))
        mixed.append(track.model_copy(update={"controls": [ControlChange(time=0.0, control=VOLUME, value=volume),
                                                            *track.controls]}))
    return mixed


def _target(track: MidiTrack, style: str) -> float:
    if track.is_drum:
        return QUIET_DRUMS.get(style, MIX["drums"])
    return MIX.get(track.role, OTHER_ROLE)

