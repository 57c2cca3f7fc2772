"""Phrase harmony: functional progressions (tonic, predominant, dominant, tonic) that end on cadences.

A phrase's chords follow a function pattern (`phrase_functions`) whose tail is its cadence: half
(ends on V), authentic (V-I, or V-i with the major V of harmonic minor) or plagal (IV-I, iv-i).
Each function is filled with a roman numeral drawn with the planner's seeded generator from weights
that depend on the key's mode and the section's emotion (`FUNCTION_CHOICES`, `MOOD_CHOICES`): sad
music in a major key borrows iv and bVI, tense and fearful music the Neapolitan bII. A chord that
leads to a diatonic chord may become that chord's secondary dominant (V7/V, V7/vi, ...), and styles
colour plain triads with 7ths, sus and add9 tones (`STYLE_HARMONY`). Numerals are spelled against
the major scale of the tonic (see `theory`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from v2m_core.music.theory import mixture_pitch_classes, numeral_at, parse_numeral

Mode = Literal["major", "minor"]
Cadence = Literal["half", "authentic", "plagal", "subdominant"]
"""How a phrase ends: on V (half), V-I (authentic), IV-I (plagal), or open on IV, where a one-chord final
phrase answers it plagally."""
Function = Literal["T", "Tsub", "Dpre", "PD", "S", "D", "Open"]
"""Tonic; tonic substitute (vi, iii; bVI, bIII); a passing dominant inside a phrase (V, bVII);
predominant (IV, ii); the subdominant of a plagal cadence; the cadential dominant; and the first chord
of a short phrase, which may be any of tonic, substitute or predominant (`OPEN_FUNCTIONS`)."""

Choices = tuple[tuple[str, float], ...]

FUNCTION_CHOICES: dict[Mode, dict[Function, Choices]] = {
    "major": {"T": (("I", 1.0),), "Tsub": (("vi", 3.0), ("iii", 1.0)), "Dpre": (("V", 3.0), ("iii", 1.0)),
              "PD": (("IV", 3.0), ("ii", 2.0)), "S": (("IV", 3.0), ("iv", 0.6)), "D": (("V", 1.0),)},
    "minor": {"T": (("i", 1.0),), "Tsub": (("bVI", 3.0), ("bIII", 2.0)), "Dpre": (("bVII", 3.0), ("v", 1.0)),
              "PD": (("iv", 3.0), ("bVI", 1.0), ("iiø7", 0.5)), "S": (("iv", 3.0), ("IV", 0.6)), "D": (("V", 1.0),)},
}
"""(numeral, weight) per function: the diatonic choices of every emotion, plus the plagal cadence's
borrowed subdominant (the minor iv-I in major, the Dorian IV-i in minor)."""

MOOD_CHOICES: dict[str, dict[Mode, dict[Function, Choices]]] = {
    "exciting": {"major": {"PD": (("bVII", 1.0),), "Tsub": (("vi", 1.0),)},
                 "minor": {"Tsub": (("bIII", 1.0),), "Dpre": (("bVII", 1.0),)}},
    "relaxing": {"major": {"Tsub": (("iii", 1.0),), "PD": (("ii", 1.5),)},
                 "minor": {"Tsub": (("bIII", 1.5),)}},
    "sad": {"major": {"Tsub": (("vi", 2.0),), "PD": (("iv", 1.5), ("bVI", 1.0))},
            "minor": {"Tsub": (("bVI", 1.5),), "PD": (("iv", 1.0),)}},
    "tense": {"major": {"PD": (("bVI", 1.0), ("iv", 1.0))},
              "minor": {"PD": (("bII", 2.0),)}},
    "fearful": {"major": {"PD": (("bVI", 1.5), ("bII", 0.5))},
                "minor": {"PD": (("bII", 1.5), ("iiø7", 1.0))}},
    "neutral": {},
}
"""Extra (numeral, weight) per emotion, mode and function, added to `FUNCTION_CHOICES`."""

OPEN_FUNCTIONS: tuple[tuple[Function, float], ...] = (("T", 1.0), ("Tsub", 1.0), ("PD", 1.5))
"""(function, weight) of a short phrase's first chord: I-V, vi-V or IV-V before a half cadence."""

RECENT_WEIGHT = 0.2
"""Weight of a choice whose root sounded in the last few chords, against 1 for a fresh one."""

FALLBACK: dict[Function, Function] = {"T": "Tsub", "S": "PD", "Tsub": "PD", "PD": "Tsub", "Dpre": "Tsub"}
"""The function that stands in when every chord of a function would repeat the chord before."""

SECTION_OPENINGS: dict[Mode, tuple[str, ...]] = {"major": ("vi", "IV", "ii"), "minor": ("bVI", "iv", "bVII")}
"""First chords for a section whose tonic would repeat the chord before the cut: every cut changes chord."""

SECONDARY_TARGETS: dict[Mode, frozenset[int]] = {"major": frozenset({2, 4, 5, 7, 9}),
                                                 "minor": frozenset({3, 5, 7, 8, 10})}
"""Semitones above the tonic of the chords a secondary dominant may lead to (never the tonic itself)."""


@dataclass(frozen=True)
class StyleHarmony:
    """How a style writes harmony."""

    authentic_share: float
    """Chance that a closing phrase ends V-I rather than IV-I."""
    final: dict[Mode, Cadence]
    """The cadence that ends the piece, per mode."""
    dominant_seventh: float
    """Chance that a cadential V is a V7."""
    secondary_dominants: float
    """Chance that a chord leading to a diatonic chord becomes its secondary dominant."""
    upper_colours: Choices
    """(suffix, chance) for a major triad, e.g. ("add9", 0.3)."""
    lower_colours: Choices
    """(suffix, chance) for a minor triad ("7" is a minor seventh)."""
    colour_final: bool
    """Whether the final tonic may be coloured too."""
    pedal: Literal["none", "intro", "all"]
    """Phrases whose bass holds the tonic under changing chords (before the cadence)."""
    borrowed: dict[Mode, dict[Function, Choices]]
    """Extra (numeral, weight) per mode and function: modal mixture (bVI, bVII, iv in major) for lift."""


STYLE_HARMONY: dict[str, StyleHarmony] = {
    "pop": StyleHarmony(authentic_share=0.75, final={"major": "authentic", "minor": "authentic"},
                        dominant_seventh=0.3, secondary_dominants=0.25,
                        upper_colours=(("add9", 0.12), ("sus4", 0.08)), lower_colours=(("7", 0.1),),
                        colour_final=False, pedal="none", borrowed={"major": {"PD": (("bVII", 0.4),)}}),
    "cinematic": StyleHarmony(authentic_share=0.6, final={"major": "authentic", "minor": "plagal"},
                              dominant_seventh=0.15, secondary_dominants=0.2,
                              upper_colours=(("add9", 0.3), ("sus2", 0.12)), lower_colours=(("add9", 0.3),),
                              colour_final=True, pedal="intro",
                              borrowed={"major": {"PD": (("bVI", 1.2), ("bVII", 0.8), ("iv", 0.6))},
                                        "minor": {"Tsub": (("bVII", 0.8),)}}),
    "ambient": StyleHarmony(authentic_share=0.35, final={"major": "plagal", "minor": "plagal"},
                            dominant_seventh=0.5, secondary_dominants=0.1,
                            upper_colours=(("maj7", 0.5), ("add9", 0.25)), lower_colours=(("7", 0.55), ("add9", 0.2)),
                            colour_final=True, pedal="all", borrowed={"major": {"PD": (("iv", 0.5),)}}),
    "electronic": StyleHarmony(authentic_share=0.6, final={"major": "authentic", "minor": "authentic"},
                               dominant_seventh=0.2, secondary_dominants=0.1,
                               upper_colours=(("sus2", 0.18), ("sus4", 0.12), ("add9", 0.1)),
                               lower_colours=(("7", 0.55),), colour_final=False, pedal="none",
                               borrowed={"major": {"PD": (("bVII", 0.6),)}, "minor": {"Tsub": (("bVII", 1.0),)}}),
}
"""Minor-key cinematic and ambient pieces close iv-i, the film score's "amen" close; ambient avoids the
leading tone's pull; cinematic adds 9ths and sus2, ambient 7ths and pedal points, electronic minor 7ths and sus."""


def style_harmony(style: str) -> StyleHarmony:
    """The harmony of a style; plans from other planners may name styles this module lacks."""
    return STYLE_HARMONY.get(style, STYLE_HARMONY["pop"])


def phrase_functions(slots: int, cadence: Cadence) -> list[Function]:
    """The function of each chord of a phrase of `slots` chords ending with `cadence`.

    Openings start on the tonic and move away (I-vi, I-V-vi); tails are the cadence (IV-V, ii-V-I,
    vi-IV-I); a phrase of two or three chords is its tail, opening on any stable chord (vi-V, IV-V-I).
    A phrase too long for one opening and tail is an inner half cadence plus the rest, so eight chords
    read as two four-chord phrases, the first ending open.
    """
    if slots <= 0:
        return []
    tails: dict[Cadence, list[list[Function]]] = {  # by slots: 1, 2, 3, 4 or more
        "half": [["D"], ["Open", "D"], ["PD", "D"], ["PD", "D"]],
        "subdominant": [["S"], ["Tsub", "S"], ["Tsub", "S"], ["Tsub", "S"]],
        "authentic": [["T"], ["D", "T"], ["Open", "D", "T"], ["PD", "D", "T"]],
        "plagal": [["T"], ["S", "T"], ["S", "T"], ["S", "T"]],
    }
    tail = tails[cadence][min(slots, 4) - 1]
    opening = slots - len(tail)
    if opening >= 4:
        first = slots // 2
        return phrase_functions(first, "half") + phrase_functions(slots - first, cadence)
    openings: dict[int, list[Function]] = {0: [], 1: ["T"], 2: ["T", "Tsub"], 3: ["T", "Dpre", "Tsub"]}
    return openings[opening] + tail


def choose_numeral(function: Function, mode: Mode, emotion: str, style: StyleHarmony, rng: np.random.Generator,
                   avoid_root: int | None = None, recent: frozenset[int] = frozenset()) -> str:
    """A numeral for `function`, weighted by mode, emotion and style, whose root (semitones above the tonic)
    is not `avoid_root` (the chord before): where the function has no other chord, a neighbouring function
    stands in (`FALLBACK`: vi for a tonic after a tonic); only a dominant after a dominant repeats. Roots
    in `recent` (the chords just heard) weigh `RECENT_WEIGHT` as much, so phrases do not settle into a loop."""
    if function == "Open":
        weights = np.array([w for _, w in OPEN_FUNCTIONS])
        function = OPEN_FUNCTIONS[int(rng.choice(len(weights), p=weights / weights.sum()))][0]
    choices = _choices(function, mode, emotion, style)
    allowed = [(n, w) for n, w in choices if parse_numeral(n)[0] != avoid_root]
    if not allowed and function in FALLBACK:
        return choose_numeral(FALLBACK[function], mode, emotion, style, rng, avoid_root, recent)
    allowed = allowed or list(choices)
    weights = np.array([w * (RECENT_WEIGHT if parse_numeral(n)[0] in recent else 1.0) for n, w in allowed])
    return allowed[int(rng.choice(len(allowed), p=weights / weights.sum()))][0]


def _choices(function: Function, mode: Mode, emotion: str, style: StyleHarmony) -> Choices:
    """(numeral, weight) of a function for the mode, emotion and style."""
    return (FUNCTION_CHOICES[mode][function] + MOOD_CHOICES.get(emotion, {}).get(mode, {}).get(function, ())
            + style.borrowed.get(mode, {}).get(function, ()))


def secondary_dominant(target: str, mode: Mode) -> str | None:
    """The dominant seventh of `target` (V7/V = "II7" in major), or None where `target` cannot be
    tonicised: the tonic, a chord outside `SECONDARY_TARGETS`, or a diminished or altered chord."""
    offset, quality = parse_numeral(target)
    if offset not in SECONDARY_TARGETS[mode] or quality not in ("maj", "min", "7", "maj7", "min7", "maj(9)", "min(9)"):
        return None
    return numeral_at(offset + 7, "7")


def is_secondary_dominant(numeral: str) -> bool:
    """Whether a numeral is a dominant seventh on a degree other than V (V7/V is "II7", V7/vi "III7")."""
    offset, quality = parse_numeral(numeral)
    return quality == "7" and offset != 7


def coloured(numeral: str, style: StyleHarmony, rng: np.random.Generator, keep_third: bool = False) -> str:
    """`numeral` with the style's colour (7th, sus, add9) drawn by chance, where the added tone belongs
    to the tonic's major or minor scale (so bVI may take a 9th, V never a major 7th); numerals that
    already carry a suffix, diminished chords and other qualities stay as they are. With `keep_third`
    (the chords of a closing cadence) no sus replaces the third: a cadence arrives on a full chord."""
    offset, quality = parse_numeral(numeral)
    if quality not in ("maj", "min"):
        return numeral
    added = {"add9": 2, "sus2": 2, "sus4": 5, "maj7": 11, "7": 10}
    pool = mixture_pitch_classes(0)
    draw = rng.random()
    for suffix, chance in style.upper_colours if quality == "maj" else style.lower_colours:
        if draw < chance:
            fits = (offset + added[suffix]) % 12 in pool and not (keep_third and suffix.startswith("sus"))
            return numeral + suffix if fits else numeral
        draw -= chance
    return numeral


def phrase_numerals(functions: list[Function], mode: Mode, emotion: str, style: StyleHarmony,
                    rng: np.random.Generator, previous_root: int | None, recent: frozenset[int] = frozenset()
                    ) -> list[str]:
    """Triad numerals for a phrase's functions (`recent`: roots of the chords just heard, see
    `choose_numeral`): each chord differs in root from the one before where the function allows, a
    cadential V may be a V7 (and is one after a V), and chords leading to a diatonic chord may become its
    secondary dominant (never the phrase's first chord, its cadence, or a secondary dominant's target)."""
    numerals: list[str] = []
    root = previous_root
    for function in functions:
        numeral = choose_numeral(function, mode, emotion, style, rng, root, recent)
        if function == "D" and (rng.random() < style.dominant_seventh or root == 7):
            numeral = "V7"  # by the style's chance, and always after a V, so the chord still changes
        numerals.append(numeral)
        root = parse_numeral(numeral)[0]
    for i in range(1, len(numerals) - 1):
        if is_secondary_dominant(numerals[i - 1]):
            continue  # the chord a secondary dominant leads to stays
        if functions[i] in ("Tsub", "Dpre", "PD") and rng.random() < style.secondary_dominants:
            secondary = secondary_dominant(numerals[i + 1], mode)
            if secondary is not None and parse_numeral(secondary)[0] != parse_numeral(numerals[i - 1])[0]:
                numerals[i] = secondary
    return numerals
