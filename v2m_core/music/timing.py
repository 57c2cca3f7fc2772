"""The plan's grid as renderers need it: bars, times at beat offsets, chord and energy lookups, dynamics.

Built once per render so every renderer reads bars, chords and velocities the same way.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from v2m_core.music.seconds import seconds_covering
from v2m_core.music.styles import StylePreset, preset_for
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.schemas.midi import Note
from v2m_core.schemas.plan import Beat, CompositionPlan, Hit, Phrase, PlannedChord, Section

MIN_NOTE = 0.03
"""Seconds; shorter notes (left after clipping) are dropped."""
EPS = 1e-6
SHAPES: dict[str, tuple[float, float]] = {"intro": (0.85, 0.9), "build": (0.9, 1.0), "peak": (1.05, 1.08),
                                          "release": (0.95, 0.9), "ending": (0.92, 0.92), "body": (1.0, 1.0)}
"""Velocity factor at the start and the end of a phrase, by its function."""


@dataclass(frozen=True)
class Bar:
    index: int
    section: int
    beats: tuple[Beat, ...]
    end: float

    @property
    def start(self) -> float:
        return self.beats[0].time

    @property
    def length(self) -> int:
        """Beats in this bar (a section's last bar may be short)."""
        return len(self.beats)

    def time_at(self, offset: float) -> float:
        """Seconds at `offset` beats after the downbeat; whole offsets are the beats' exact times."""
        whole = min(int(math.floor(offset)), self.length - 1)
        beat = self.beats[whole]
        return beat.time + (offset - whole) * beat.duration

    def offsets(self, step: float) -> list[float]:
        """Offsets 0, step, 2*step, ... inside the bar."""
        return [i * step for i in range(int(round(self.length / step)))]


class Grid:
    """Lookups over one plan; times are seconds."""

    def __init__(self, plan: CompositionPlan) -> None:
        self.plan = plan
        self.style: StylePreset = preset_for(plan.style)
        self.bars = _bars(plan)
        self._chord_starts = [c.start for c in plan.chords]
        self._phrase_starts = [p.first_bar for p in plan.phrases]
        self._phrase_times = [p.start for p in plan.phrases]

    @property
    def body_bars(self) -> list[Bar]:
        """Bars that end by the final chord's start; from there every renderer holds its ending."""
        final_start = self.final_chord.start
        return [bar for bar in self.bars if bar.end <= final_start + EPS]

    def playing_bars(self, role: str) -> list[Bar]:
        """Body bars in which the form lets `role` play."""
        return [bar for bar in self.body_bars if self.plays(role, bar)]

    @property
    def duration(self) -> float:
        return self.plan.duration

    def section(self, bar: Bar) -> Section:
        return self.plan.sections[bar.section]

    def chord_index(self, time: float) -> int:
        """Index of the chord sounding at `time` (the first chord before any chord starts)."""
        return max(0, bisect.bisect_right(self._chord_starts, time + EPS) - 1)

    def chord_indices(self, start: float, end: float) -> range:
        """Indices of the chords sounding anywhere in [start, end)."""
        return range(self.chord_index(start), self.chord_index(end - 1e-3) + 1)

    def chord_at(self, time: float) -> PlannedChord:
        return self.plan.chords[self.chord_index(time)]

    @property
    def final_chord(self) -> PlannedChord:
        return self.plan.chords[-1]

    def energy_at(self, time: float) -> float:
        energy = self.plan.energy
        return energy[min(max(int(time), 0), len(energy) - 1)] if energy else 0.5

    def bar_energy(self, bar: Bar) -> float:
        """Mean energy over the bar's beats."""
        return sum(self.energy_at(beat.time) for beat in bar.beats) / len(bar.beats)

    def bar_emotion(self, bar: Bar) -> list[float]:
        """Probabilities over EMOTIONS averaged over the bar's seconds; the section's emotion, as a
        certainty, for a plan that carries no per-second emotion."""
        rows = self.plan.emotion
        if not rows:
            return [float(name == self.section(bar).emotion) for name in EMOTIONS]
        span = rows[seconds_covering(len(rows), bar.start, bar.end)]
        return [sum(column) / len(span) for column in zip(*span)]

    def ends_before_cut(self, bar: Bar) -> bool:
        """Whether the next bar starts a section at a structural cut (where fills lead in)."""
        following = bar.index + 1
        return following < len(self.bars) and self.starts_at_cut(self.bars[following])

    def starts_at_cut(self, bar: Bar) -> bool:
        """Whether the bar starts a section at a structural cut (a strong mark)."""
        section = self.section(bar)
        return section.starts_at_cut and abs(bar.start - section.start) < EPS

    def phrase(self, bar: Bar) -> Phrase | None:
        """The phrase holding `bar`; None for a plan without phrases."""
        if not self._phrase_starts:
            return None
        return self.plan.phrases[max(0, bisect.bisect_right(self._phrase_starts, bar.index) - 1)]

    def plays(self, role: str, bar: Bar) -> bool:
        """Whether the form lets `role` play in this bar (parts enter and leave at phrase boundaries)."""
        phrase = self.phrase(bar)
        return phrase is None or not phrase.parts or role in phrase.parts

    def light_hits(self, bar: Bar) -> list[Hit]:
        """Passing cuts inside the bar that get a light mark (an accent, not a crash)."""
        return [h for h in self.plan.hits if h.mark == "light" and bar.start - EPS <= h.time < bar.end - EPS]

    def velocity(self, time: float, low: int, high: int) -> int:
        """Velocity between `low` and `high` by the energy at `time`, shaped by the form (a build swells,
        the peak is loudest, the release falls back) and faded over the plan's last seconds."""
        value = (low + (high - low) * self.energy_at(time)) * self.shape(time) * self.fade(time)
        return int(min(127, max(1, round(value))))

    def shape(self, time: float) -> float:
        """Dynamic of the form at `time`: a factor around 1 from the phrase's function."""
        index = bisect.bisect_right(self._phrase_times, time + EPS) - 1
        if index < 0:
            return 1.0
        phrase = self.plan.phrases[index]
        low, high = SHAPES[phrase.function]
        progress = min(1.0, max(0.0, (time - phrase.start) / max(phrase.end - phrase.start, EPS)))
        return low + (high - low) * progress

    def fade(self, time: float) -> float:
        fade_start = self.duration - self.plan.fade_out
        if self.plan.fade_out <= 0 or time <= fade_start:
            return 1.0
        return max(0.2, 1.0 - 0.8 * (time - fade_start) / self.plan.fade_out)

    def note(self, pitch: int, start: float, end: float, velocity: int) -> Note | None:
        """A note clipped to [0, duration], or None when too little of it is left."""
        start, end = max(0.0, start), min(end, self.duration)
        if end - start < MIN_NOTE or not 0 <= pitch <= 127:
            return None
        return Note(pitch=pitch, start=start, end=end, velocity=velocity)


def _bars(plan: CompositionPlan) -> list[Bar]:
    groups: list[list[Beat]] = []
    for beat in plan.beats:
        if beat.position == 0 or not groups:
            groups.append([])
        groups[-1].append(beat)
    ends = [group[0].time for group in groups[1:]] + [plan.duration]
    return [Bar(index=i, section=group[0].section, beats=tuple(group), end=end)
            for i, (group, end) in enumerate(zip(groups, ends))]


def collect(notes: list[Note | None]) -> list[Note]:
    """Drop the notes `Grid.note` refused and sort by start, then pitch."""
    return sorted((n for n in notes if n is not None), key=lambda n: (n.start, n.pitch))
