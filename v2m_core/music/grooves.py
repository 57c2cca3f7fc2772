"""Drum grooves as beat offsets within a bar: the kit plays them and the bass locks to the kicks.

Offsets count beats from the bar's downbeat; callers drop offsets past a short bar's end.
"""

from __future__ import annotations

from dataclasses import dataclass

from v2m_core.music.styles import DrumFeel, Groove


@dataclass(frozen=True)
class GroovePattern:
    kicks: tuple[float, ...]
    snares: tuple[float, ...]
    hat_step: float
    """Beats between hi-hat strokes: 1 (quarters), 0.5 (eighths) or 0.25 (sixteenths)."""
    open_hats: tuple[float, ...] = ()
    rim: bool = False
    """Light feel: side stick instead of snare."""


SILENT = GroovePattern(kicks=(), snares=(), hat_step=1.0)


def hat_step(energy: float) -> float:
    """Hi-hat subdivision rising with energy."""
    if energy < 0.35:
        return 1.0
    return 0.5 if energy < 0.7 else 0.25


def groove_pattern(groove: Groove, feel: DrumFeel, energy: float, beats_per_bar: int) -> GroovePattern:
    """One bar of `groove` at `feel`: busier kicks and finer hats as energy rises, sparse when light."""
    if feel == "none":
        return SILENT
    backbeats = tuple(float(b) for b in range(1, beats_per_bar, 2))
    if feel == "light":
        kicks = tuple(float(b) for b in range(0, beats_per_bar, 2)) if groove == "four-on-the-floor" else (0.0,)
        return GroovePattern(kicks, (2.0,) if groove == "half-time" else backbeats, 1.0, rim=True)
    busy = energy >= 0.6
    if groove == "four-on-the-floor":
        kicks = tuple(float(b) for b in range(beats_per_bar))
        opens = tuple(b + 0.5 for b in range(beats_per_bar)) if energy >= 0.45 else ()
        return GroovePattern(kicks, backbeats, hat_step(energy), opens)
    if groove == "half-time":
        return GroovePattern((0.0, 2.5) if busy else (0.0,), (2.0,), max(hat_step(energy), 0.5))
    return GroovePattern((0.0, 1.5, 2.0) if busy else (0.0, 2.0), backbeats, hat_step(energy))


def kick_offsets(groove: Groove, feel: DrumFeel, energy: float, beats_per_bar: int, bar_beats: int) -> list[float]:
    """Kick offsets that fall inside a bar of `bar_beats` beats (a section's last bar may be short)."""
    return [k for k in groove_pattern(groove, feel, energy, beats_per_bar).kicks if k < bar_beats]
