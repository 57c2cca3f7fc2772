"""Chord progressions per emotion and key mode, as roman numerals (see `theory` for the spelling).

Each emotion has variants a planner chooses between with its seeded generator; dark emotions in a
major key borrow from the relative or parallel minor, bright ones in a minor key stay diatonic.
"""

from __future__ import annotations

from typing import Literal

Mode = Literal["major", "minor"]

PROGRESSIONS: dict[str, dict[Mode, tuple[tuple[str, ...], ...]]] = {
    "exciting": {"major": (("I", "V", "vi", "IV"), ("I", "IV", "vi", "V"), ("vi", "IV", "I", "V")),
                 "minor": (("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "bVII"))},
    "fearful": {"major": (("vi", "bVI", "viio", "iii"), ("vi", "IV", "viio", "V")),
                "minor": (("i", "bVI", "iio", "V"), ("i", "bII", "bVI", "viio7"))},
    "tense": {"major": (("I", "bII", "viio", "V"), ("vi", "viio", "IV", "V7")),
              "minor": (("i", "bII", "i", "viio"), ("i", "iv", "bII", "V7"))},
    "sad": {"major": (("vi", "IV", "I", "V"), ("vi", "iii", "IV", "Isus4")),
            "minor": (("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVI", "V"))},
    "relaxing": {"major": (("Imaj7", "IVmaj7"), ("Imaj7", "vi7", "ii7", "IVmaj7"), ("Iadd9", "IVmaj7", "vi7", "V")),
                 "minor": (("i7", "bVImaj7", "bIIImaj7", "iv7"), ("i7", "iv7"))},
    "neutral": {"major": (("I", "IV", "vi", "V"), ("I", "vi", "IV", "V")),
                "minor": (("i", "iv", "bVII", "bIII"), ("i", "bVI", "bVII", "i"))},
}

CADENCE: dict[Mode, tuple[str, str]] = {"major": ("V", "I"), "minor": ("iv", "i")}
"""Closing (penultimate, final) numerals; the final chord is held to the end."""

SUBSTITUTES: dict[Mode, tuple[str, ...]] = {"major": ("V", "IV", "ii", "vi"), "minor": ("bVII", "iv", "V", "bVI")}
"""Replacements for a chord that would repeat across a cut, so every cut gets a chord change."""
