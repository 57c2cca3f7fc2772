"""Pitch classes, scales, chord qualities, roman numerals and voice leading.

Roman numerals are read against the *major* scale of the tonic (pop/film convention), so minor-key
progressions spell their flats: i–bVI–bIII–bVII. Case gives the triad (upper major, lower minor);
suffixes add colour: 7, maj7, o (dim), o7 (dim7), ø7 (half-diminished), sus2, sus4, add9.
"""

from __future__ import annotations

import re
from functools import lru_cache

from v2m_core.errors import UsageError
from v2m_core.schemas.plan import Key, PlannedChord

NOTE_NAMES: tuple[str, ...] = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
"""Spelling used in labels: the accidental most keys prefer for each pitch class."""

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTALS = {"": 0, "#": 1, "♯": 1, "b": -1, "♭": -1}

SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
}
"""Natural minor: chords borrowing the raised seventh (V, viio) bring it in through `chord_scale`."""

QUALITIES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "dim7": (0, 3, 6, 9),
    "hdim7": (0, 3, 6, 10),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "maj(9)": (0, 4, 7, 14),
    "min(9)": (0, 3, 7, 14),
}
"""Harte shorthand (or shorthand plus added degree) -> intervals above the root, root first."""

_HARTE_DEGREES = {1: "b2", 2: "2", 3: "b3", 4: "3", 5: "4", 6: "b5", 7: "5", 8: "#5", 9: "6", 10: "b7", 11: "7"}
"""Interval in semitones -> Harte degree, for slash (inverted) chords."""

_MAJOR_DEGREES = ("I", "II", "III", "IV", "V", "VI", "VII")
_SEMITONE_NUMERALS = ("I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII")
"""Upper-case numeral of each semitone above the tonic, spelled as pop and film charts spell them."""
_NUMERAL = re.compile(r"^(?P<acc>[b#]?)(?P<deg>VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(?P<suffix>.*)$")
_UPPER_SUFFIX = {"": "maj", "7": "7", "maj7": "maj7", "sus2": "sus2", "sus4": "sus4", "add9": "maj(9)", "+": "aug"}
_LOWER_SUFFIX = {"": "min", "7": "min7", "o": "dim", "o7": "dim7", "ø7": "hdim7", "add9": "min(9)"}
_KEY = re.compile(r"^\s*([A-Ga-g])\s*([#♯b♭]?)\s*(major|minor|maj|min|m)?\s*$", re.IGNORECASE)


def pitch_class(name: str) -> int:
    """Pitch class of a note name such as 'C', 'F#' or 'Bb'."""
    letter, accidental = name[:1].upper(), name[1:]
    if letter not in _LETTERS or accidental not in _ACCIDENTALS:
        raise ValueError(f"not a note name: {name!r}")
    return (_LETTERS[letter] + _ACCIDENTALS[accidental]) % 12


def note_name(pc: int) -> str:
    return NOTE_NAMES[pc % 12]


def scale_pitch_classes(key: Key) -> list[int]:
    """The key's scale as pitch classes, tonic first."""
    return [(key.tonic + step) % 12 for step in SCALES[key.mode]]


def key_name(key: Key) -> str:
    """'D minor' style name, the form the key override takes."""
    return f"{note_name(key.tonic)} {key.mode}"


def parse_key(text: str) -> Key:
    """Read a key override such as 'D minor', 'F# major', 'Bb minor' or 'Am' (mode defaults to major)."""
    match = _KEY.match(text)
    if match is None:
        raise UsageError(f"invalid key '{text}'; expected a note and a mode, e.g. 'D minor' or 'F# major'")
    letter, accidental, mode = match.groups()
    accidental = "b" if accidental in ("b", "♭") else accidental
    minor = mode is not None and (mode.lower() in ("minor", "min") or mode == "m")
    return Key(tonic=pitch_class(letter.upper() + accidental), mode="minor" if minor else "major")


def harte_label(root: int, quality: str, bass: int | None = None) -> str:
    """Harte label such as 'D:min7' or, when the bass is not the root, 'C:maj/3'."""
    label = f"{note_name(root)}:{quality}"
    if bass is not None and bass != root:
        label += "/" + _HARTE_DEGREES[(bass - root) % 12]
    return label


def chord_pitch_classes(root: int, quality: str) -> list[int]:
    """Chord tones as pitch classes, root first, without duplicates."""
    tones: list[int] = []
    for interval in QUALITIES[quality]:
        pc = (root + interval) % 12
        if pc not in tones:
            tones.append(pc)
    return tones


@lru_cache(maxsize=512)
def parse_numeral(numeral: str) -> tuple[int, str]:
    """Roman numeral -> (semitones above the tonic, Harte quality)."""
    match = _NUMERAL.match(numeral)
    if match is None:
        raise ValueError(f"not a roman numeral: {numeral!r}")
    degree, suffix = match["deg"], match["suffix"]
    suffixes = _UPPER_SUFFIX if degree.isupper() else _LOWER_SUFFIX
    if suffix not in suffixes:
        raise ValueError(f"unknown chord suffix {suffix!r} in {numeral!r}")
    offset = SCALES["major"][_MAJOR_DEGREES.index(degree.upper())] + _ACCIDENTALS[match["acc"]]
    return offset % 12, suffixes[suffix]


def numeral_at(offset: int, suffix: str = "") -> str:
    """The upper-case numeral of the chord `offset` semitones above the tonic, e.g. 2, "7" -> "II7" (V7/V in major)."""
    return _SEMITONE_NUMERALS[offset % 12] + suffix


def relative_key(key: Key) -> Key:
    """The relative minor of a major key and the relative major of a minor one: the same scale, another tonic."""
    if key.mode == "major":
        return Key(tonic=(key.tonic + 9) % 12, mode="minor")
    return Key(tonic=(key.tonic + 3) % 12, mode="major")


def mixture_pitch_classes(tonic: int) -> frozenset[int]:
    """The major and natural-minor scales of `tonic` together: the tones modal mixture may add to a chord."""
    return frozenset((tonic + step) % 12 for mode in ("major", "minor") for step in SCALES[mode])


def chord_from_numeral(numeral: str, key: Key, start: float, end: float,
                       inversion_bass: int | None = None) -> PlannedChord:
    """A planned chord for a roman numeral in `key`; `inversion_bass` (a chord tone) inverts it."""
    offset, quality = parse_numeral(numeral)
    root = (key.tonic + offset) % 12
    tones = chord_pitch_classes(root, quality)
    bass = inversion_bass if inversion_bass in tones else root
    return PlannedChord(start=start, end=end, label=harte_label(root, quality, bass), root=root,
                        pitch_classes=tones, bass=bass)


def nearest_pitch(pc: int, target: float, low: int, high: int) -> int:
    """The MIDI pitch of class `pc` in [low, high] nearest to `target` (range must span an octave)."""
    candidates = [p for p in range(low, high + 1) if p % 12 == pc % 12]
    return min(candidates, key=lambda p: (abs(p - target), p))


def voicings(pitch_classes: list[int], low: int, high: int, spread: bool = False) -> list[tuple[int, ...]]:
    """Close-position voicings (every inversion, every octave) that fit in [low, high]; with `spread`, also
    the drop-2 voicing of each four-note one (the second voice from the top an octave lower), which opens
    the seconds of 7th and add9 chords the way a pianist or string section spaces them."""
    found: list[tuple[int, ...]] = []
    for rotation in range(len(pitch_classes)):
        order = pitch_classes[rotation:] + pitch_classes[:rotation]
        for base in range(low, low + 12):
            if base % 12 != order[0]:
                continue
            for octave in range(0, high - base + 1, 12):
                notes = [base + octave]
                for pc in order[1:]:
                    notes.append(notes[-1] + (pc - notes[-1]) % 12)
                if notes[-1] <= high:
                    found.append(tuple(notes))
    if spread:
        dropped = [tuple(sorted((*v[:-2], v[-2] - 12, v[-1]))) for v in found if len(v) >= 4]
        found += [v for v in dropped if v[0] >= low]
    return found


def has_minor_second(voicing: tuple[int, ...]) -> bool:
    """Whether two neighbouring voices lie a semitone apart (a rub in a held chord)."""
    return any(b - a == 1 for a, b in zip(voicing, voicing[1:]))


REGISTER_PULL = 0.5
"""Cost per semitone by which a voicing's mean strays from the register's centre, against the voices'
motion: without it, smooth leading drifts a progression up or down to the register's edge, where the
chords crowd the tune or turn to mud."""


def voice_lead(pitch_classes: list[int], previous: tuple[int, ...] | None, low: int, high: int,
               spread: bool = False) -> tuple[int, ...]:
    """The voicing of a chord that moves least from `previous` (centred in the register when none).

    Distance is the summed nearest-note motion in both directions, so chords of different sizes
    compare fairly and common tones are kept where they are. With `spread`, drop-2 voicings are
    candidates too and voicings with neighbouring voices a semitone apart are avoided where another fits.
    """
    options = voicings(pitch_classes, low, high, spread)
    if not options:
        raise ValueError(f"no voicing of {pitch_classes} fits in [{low}, {high}]")
    if spread:
        options = [v for v in options if not has_minor_second(v)] or options
    centre = (low + high) / 2

    def off_centre(voicing: tuple[int, ...]) -> float:
        return abs(sum(voicing) / len(voicing) - centre)

    if previous is None:
        return min(options, key=lambda v: (off_centre(v), v))

    def motion(voicing: tuple[int, ...]) -> float:
        there = sum(min(abs(a - b) for b in previous) for a in voicing)
        back = sum(min(abs(a - b) for a in voicing) for b in previous)
        return there + back + REGISTER_PULL * off_centre(voicing)

    return min(options, key=lambda v: (motion(v), v))


def is_chord_tone(pitch: int, chord: PlannedChord) -> bool:
    """Whether a MIDI pitch belongs to the chord (any octave)."""
    return pitch % 12 in chord.pitch_classes


def chord_scale(chord: PlannedChord, key: Key) -> list[int]:
    """Pitch classes for passing tones over `chord`: the key's scale, with notes that would rub a
    semitone against a borrowed (out-of-key) chord tone replaced by that chord tone."""
    scale = scale_pitch_classes(key)
    foreign = [pc for pc in chord.pitch_classes if pc not in scale]
    kept = [pc for pc in scale if all((pc - f) % 12 not in (1, 11) for f in foreign)]
    return sorted(set(kept) | set(chord.pitch_classes))


BASS_STEP_COST: tuple[float, ...] = (2.0, 0.0, 0.0, 1.0, 1.0, 1.5, 3.0)
"""Cost of a bass move by 0..6 semitones (either way): a step is best, a held note or a tritone worst;
fourths and fifths, the usual root motion, cost a little more than thirds."""
INVERSION_COST = 0.9
"""Cost of a chord's third in the bass instead of its root: a little under a fourth's move, so a first
inversion that turns a leap into a step or a third is taken (about one a minute)."""


def bass_line(chords: list[PlannedChord], fixed: list[int | None]) -> list[int]:
    """A bass pitch class per chord: its root or, where that makes a smoother line, its third (first
    inversion); `fixed[i]` forces chord i's bass (roots at cuts and cadences, a pedal tone).

    A shortest path over at most two candidates per chord, so it stays linear in the number of chords.
    """
    candidates: list[list[int]] = []
    for chord, forced in zip(chords, fixed):
        third = chord.pitch_classes[1] if len(chord.pitch_classes) > 1 else chord.root
        has_third = (third - chord.root) % 12 in (3, 4)
        candidates.append([forced] if forced is not None else [chord.root] + ([third] if has_third else []))

    def move(a: int, b: int) -> float:
        step = (b - a) % 12
        return BASS_STEP_COST[min(step, 12 - step)]

    if not candidates:
        return []
    costs: list[list[float]] = []
    back: list[list[int]] = []
    for i, options in enumerate(candidates):
        own = [0.0 if pc in (chords[i].root, fixed[i]) else INVERSION_COST for pc in options]
        if i == 0:
            costs.append(own)
            back.append([0] * len(options))
            continue
        row, links = [], []
        for pc, extra in zip(options, own):
            totals = [costs[-1][k] + move(prev, pc) for k, prev in enumerate(candidates[i - 1])]
            best = min(range(len(totals)), key=totals.__getitem__)
            row.append(totals[best] + extra)
            links.append(best)
        costs.append(row)
        back.append(links)
    choice = min(range(len(costs[-1])), key=costs[-1].__getitem__)
    line = [0] * len(candidates)
    for i in range(len(candidates) - 1, -1, -1):
        line[i] = candidates[i][choice]
        choice = back[i][choice]
    return line
