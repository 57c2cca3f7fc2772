"""The drum classes the model plays, and how General MIDI percussion keys fold onto them."""

from __future__ import annotations

CLASSES: tuple[str, ...] = ("kick", "snare", "closed_hat", "open_hat", "crash", "tom_high", "tom_mid", "tom_low")
KEYS: tuple[int, ...] = (36, 38, 42, 46, 49, 50, 47, 43)
"""The GM key each class is played on, in CLASSES order."""

_FOLD: dict[int, str] = {
    35: "kick", 36: "kick",
    37: "snare", 38: "snare", 39: "snare", 40: "snare",
    42: "closed_hat", 44: "closed_hat", 51: "closed_hat", 59: "closed_hat", 53: "closed_hat",
    46: "open_hat",
    49: "crash", 52: "crash", 55: "crash", 57: "crash",
    48: "tom_high", 50: "tom_high",
    45: "tom_mid", 47: "tom_mid",
    41: "tom_low", 43: "tom_low",
}
"""Rides count as closed hats (the same timekeeping role); other percussion is ignored."""


def class_of(key: int) -> int | None:
    """Index into CLASSES of a GM percussion key, or None for keys outside the kit."""
    name = _FOLD.get(key)
    return CLASSES.index(name) if name is not None else None


def index(name: str) -> int:
    return CLASSES.index(name)
