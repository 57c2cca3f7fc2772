"""Form: phrases of whole bars inside sections, and which parts play in each (a shape over the whole video).

Sections split into phrases of 4 bars (a leftover bar joins the last phrase, two or three make a short
one). The first phrase is an intro where only the harmony sounds, the phrase of highest energy is the
peak, phrases between are the build, after it the release, and the phrase holding the final chord is the
ending. Parts enter and leave only at phrase boundaries; the kit follows energy with hysteresis so it
does not flicker on and off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from v2m_core.music.seconds import mean_over
from v2m_core.music.styles import StylePreset
from v2m_core.schemas.plan import Phrase, PhraseFunction, Section

PHRASE_BARS = 4
DRUMS_ENTER_ABOVE = 0.04
"""The kit enters when phrase energy exceeds the style's threshold by this, and leaves when it falls
DRUMS_LEAVE_BELOW under it."""
DRUMS_LEAVE_BELOW = 0.06
BASS_IN_INTRO_FROM = 0.55
"""An intro this energetic already has the bass."""
ROLES = ("chords", "bass", "melody", "drums")
SIMILAR_ENERGY = 0.15
"""Sections of one emotion whose energies differ by at most this are alike: their material may return."""


def alike(a: Section, b: Section) -> bool:
    """Whether two sections' scenes are alike (one emotion, near energies), so the music may bring back what
    the first played: a returning scene gets its theme and its harmony again."""
    return a.emotion == b.emotion and abs(a.energy - b.energy) <= SIMILAR_ENERGY


@dataclass(frozen=True)
class BarSpan:
    start: float
    end: float
    section: int


def phrase_lengths(bars: int) -> list[int]:
    """Bars per phrase for a section of `bars` bars."""
    if bars <= PHRASE_BARS + 1:
        return [bars]
    lengths = [PHRASE_BARS] * (bars // PHRASE_BARS)
    rest = bars % PHRASE_BARS
    if rest == 1:
        lengths[-1] += 1
    elif rest:
        lengths.append(rest)
    return lengths


def plan_phrases(bars: Sequence[BarSpan], energy: np.ndarray, style: StylePreset, final_start: float) -> list[Phrase]:
    """Phrases tiling `bars` with their function in the form and the parts that play in them."""
    spans: list[tuple[int, int, int]] = []  # (first bar, bar count, section)
    first = 0
    while first < len(bars):
        section = bars[first].section
        last = first
        while last + 1 < len(bars) and bars[last + 1].section == section:
            last += 1
        offset = first
        for length in phrase_lengths(last - first + 1):
            spans.append((offset, length, section))
            offset += length
        first = last + 1
    levels = [mean_over(energy, bars[a].start, bars[a + n - 1].end) for a, n, _ in spans]
    functions = _functions(levels, [bars[a].start for a, _, _ in spans], final_start)
    parts = _parts(functions, levels, style)
    return [Phrase(start=bars[a].start, end=bars[a + n - 1].end, first_bar=a, bars=n, section=section,
                   function=function, parts=list(roles))
            for (a, n, section), function, roles in zip(spans, functions, parts)]


def _functions(levels: list[float], starts: list[float], final_start: float) -> list[PhraseFunction]:
    count = len(levels)
    if count <= 2:
        return ["body"] * count
    ending = max(i for i, start in enumerate(starts) if start <= final_start + 1e-6)
    body = range(1, max(2, ending))
    peak = max(body, key=lambda i: (levels[i], -i))
    functions: list[PhraseFunction] = []
    for i in range(count):
        if i == 0:
            functions.append("intro")
        elif i >= ending:
            functions.append("ending")
        elif i == peak:
            functions.append("peak")
        else:
            functions.append("build" if i < peak else "release")
    return functions


def _parts(functions: list[PhraseFunction], levels: list[float], style: StylePreset) -> list[tuple[str, ...]]:
    """Roles per phrase: harmony always; bass and melody after the intro; drums by energy with hysteresis."""
    drums_on = False
    result: list[tuple[str, ...]] = []
    for function, level in zip(functions, levels):
        if drums_on:
            drums_on = level >= style.drums_from - DRUMS_LEAVE_BELOW
        else:
            drums_on = level >= style.drums_from + DRUMS_ENTER_ABOVE
        roles = ["chords"]
        if function != "intro" or level >= BASS_IN_INTRO_FROM:
            roles.append("bass")
        if function != "intro":
            roles.append("melody")
            if drums_on:
                roles.append("drums")
        result.append(tuple(roles))
    return result
