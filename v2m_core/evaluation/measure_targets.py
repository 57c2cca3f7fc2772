"""What each measure of `v2m eval music` aims for and says in a line: the one source for `bench/montage.py`
(which judges the targets on generated videos) and `v2m report` (which colours a composition's measures).

The targets come from the musical-time and musicianship issues (docs/music-evaluation.md). The note-level
and audio measures have directions ("near 1", "positive") rather than thresholds, so they have no target
and are shown for reading.
"""

from __future__ import annotations

from dataclasses import dataclass

FAST_PACING = 1.2
"""Median shot length (s) at and below which a target's `fast` goal applies: trailer-like cutting."""
PACING_TOLERANCE = 0.25
"""A target `only` judged at one pacing is judged where the median shot length is within this share of it."""


@dataclass(frozen=True)
class Target:
    """A measure's goal: `fast` replaces `value` when shots last FAST_PACING s or less; `only` judges it at that
    pacing alone (drum marks are judged where shots come every 2 s); `upper` makes an at-least goal a range
    (value..upper)."""

    at_least: bool
    value: float
    fast: float | None = None
    only: float | None = None
    upper: float | None = None

    def passes(self, measured: float | None, pacing: float | None) -> bool | None:
        """Whether `measured` meets the goal for a video whose median shot lasts `pacing` s (None: unknown);
        None when there is nothing to judge: no value, or a pacing the target does not cover."""
        if measured is None:
            return None
        if self.only is not None and (pacing is None or abs(pacing - self.only) > PACING_TOLERANCE * self.only):
            return None
        goal = self.fast if self.fast is not None and pacing is not None and pacing <= FAST_PACING else self.value
        if not self.at_least:
            return measured <= goal
        return measured >= goal and (self.upper is None or measured <= self.upper)

    def __str__(self) -> str:
        bound = f"{'≥' if self.at_least else '≤'}{self.value:g}"
        text = f"{self.value:g}..{self.upper:g}" if self.upper is not None else bound
        if self.fast is not None:
            text += f" ({self.fast:g} at {FAST_PACING:g} s)"
        return text + (f" at {self.only:g} s" if self.only is not None else "")


TARGETS: dict[str, Target] = {
    "cuts_on_beat": Target(True, 0.60, fast=0.50),
    "cuts_on_eighth": Target(True, 0.90, fast=0.85),
    "structural_on_downbeat": Target(True, 0.95),
    "structural_per_30s": Target(True, 1.0),
    "shortest_section_bars": Target(True, 2.0),
    "tempo_jolts_per_min": Target(False, 2.0),
    "largest_jolt": Target(False, 0.10),
    "tempo_travel_per_min": Target(False, 0.2),
    "regular_bars": Target(True, 0.90),
    "crashes_per_min": Target(False, 6.0, only=2.0),
    "fill_bars": Target(False, 0.25, only=2.0),
    "drum_patterns_per_8_bars": Target(False, 2.5),
    "audio_tempo_error": Target(False, 0.04),
    "melody_recurring_patterns": Target(True, 0.40),
    "melody_repeated_bar_rhythms": Target(True, 0.50),
    "melody_steps": Target(True, 0.55),
    "melody_reversals": Target(False, 0.50),
    "melody_above_chords": Target(True, 0.90),
    "distinct_chords_per_60s": Target(True, 5.0),
    "phrase_end_cadences": Target(True, 0.50),
    "mode_matches_valence": Target(True, 1.0),
    "melody_over_chords_db": Target(True, 3.0, upper=6.0),
}
"""melody_phrase_bars and silent_share have none: they are shown for reading, not judged."""

EXPLANATIONS: dict[str, str] = {
    "cut_downbeat_chord": "Structural cuts the plan gives a downbeat and a chord change (the plan, not the notes).",
    "cut_onset": "Cuts the music marks audibly: a note starts within 60 ms of the cut.",
    "beat_hit_rate": "Notes that start on the sixteenth-note grid of the planned beat.",
    "key_consistency": "Pitched notes that belong to the key's scale or to the chord sounding.",
    "pitch_class_entropy": "Spread over the twelve pitch classes in bits: 0 is one note, 3.58 all twelve alike.",
    "groove_consistency": "How alike consecutive bars' drum rhythms are: high is a steady groove, 1 a loop.",
    "drum_density_motion_corr": "Whether the drums get busier when the picture moves more (correlation).",
    "cuts_on_beat": "Cuts that fall on a beat of the written music (within 60 ms).",
    "cuts_on_eighth": "Cuts that fall on a beat or halfway between two.",
    "structural_on_downbeat": "Big cuts, where a section starts, that land on the first beat of a bar.",
    "structural_per_30s": "New sections per 30 s: the music changes when the picture does.",
    "shortest_section_bars": "Bars in the shortest section: no section is a blip.",
    "tempo_jolts_per_min": "Sudden tempo changes (over 3% from one beat to the next) per minute.",
    "largest_jolt": "The biggest change of beat length from one beat to the next, as a share.",
    "tempo_travel_per_min": "How far the tempo wanders per minute, gradual ramps included.",
    "regular_bars": "Bars of four beats: a listener can count along.",
    "crashes_per_min": "Crash cymbals per minute: marks for big moments, not noise.",
    "fill_bars": "Bars that end in a drum fill: fills lead into changes, not every bar.",
    "drum_patterns_per_8_bars": "Different drum patterns in any eight bars: 1 is a loop, many is restless.",
    "audio_tempo_error": "The tempo a beat tracker hears in the audio against the planned tempo.",
    "melody_recurring_patterns": "Melodic figures (three intervals) that come back: a tune has motifs.",
    "melody_repeated_bar_rhythms": "Melody bars whose rhythm another bar repeats.",
    "melody_steps": "Melody moves by step (two semitones or less), as singable tunes mostly do.",
    "melody_reversals": "How often the melody changes direction: a line, not a zigzag.",
    "melody_above_chords": "Melody notes above the accompanying chord, so the tune is heard on top.",
    "melody_phrase_bars": "Mean length of the melody's phrases in bars (2-8 reads as phrasing).",
    "distinct_chords_per_60s": "Different chords in a minute: harmony that goes somewhere.",
    "phrase_end_cadences": "Phrases that end on a cadence (V-I or IV-I): they sound finished.",
    "mode_matches_valence": "Major for a bright, pleasant picture, minor for a dark one.",
    "melody_over_chords_db": "How much louder the melody is than the chords, in dB.",
    "silent_share": "Share of the music that is silence, short rests included.",
    "integrated_lufs": "Overall loudness in LUFS; v2m masters to -14, the streaming norm, unless told otherwise.",
    "true_peak_dbtp": "Highest true peak in dBTP; above -1 risks clipping once encoded.",
    "silent_stretches": "Silences of a second or more.",
    "silent_seconds": "Total length of those silences, in seconds.",
    "loudness_motion_corr": "Whether the music gets louder when the picture moves more (correlation).",
}
"""One line per measure of `evaluate_target`, in words a viewer of the report can read."""
