"""Drum grooves as beat offsets within a bar: the kit plays them and the bass locks to the kicks.

Offsets count beats from the bar's downbeat; callers drop offsets past a short bar's end. A groove is
chosen per phrase and held (`groove_energy`), a phrase's last bar may change one stroke (`phrase_end`),
and a style's swing delays the off-beat strokes (`swung`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from v2m_core.music.styles import DrumFeel, Groove


@dataclass(frozen=True)
class GroovePattern:
    kicks: tuple[float, ...]
    snares: tuple[float, ...]
    hat_step: float
    """Beats between hi-hat strokes: 0.5 (eighths) or 0.25 (sixteenths)."""
    open_hats: tuple[float, ...] = ()
    rim: bool = False
    """Light feel: side stick instead of snare."""


SILENT = GroovePattern(kicks=(), snares=(), hat_step=1.0)
DRIVING_FROM = 0.7
"""Energy from which a full groove drives."""
LIFT = 0.1
HOLD = 0.1
"""See `groove_energy`."""


def groove_pattern(groove: Groove, feel: DrumFeel, energy: float, beats_per_bar: int) -> GroovePattern:
    """One bar of `groove` at `feel`, in three steps a drummer would play through a song rather than one per
    energy level: light (side stick and ride), full, and driving from DRIVING_FROM (busier kicks, sixteenth
    hats). Energy between the steps shapes the dynamics, not the pattern."""
    if feel == "none":
        return SILENT
    backbeats = (2.0,) if groove == "half-time" else tuple(float(b) for b in range(1, beats_per_bar, 2))
    if feel == "light":
        kicks = tuple(float(b) for b in range(0, beats_per_bar, 2)) if groove == "four-on-the-floor" else (0.0,)
        return GroovePattern(kicks, backbeats, 0.5, rim=True)
    driving = energy >= DRIVING_FROM
    if groove == "four-on-the-floor":
        return GroovePattern(tuple(float(b) for b in range(beats_per_bar)), backbeats, 0.25 if driving else 0.5,
                             tuple(b + 0.5 for b in range(beats_per_bar)))
    if groove == "half-time":
        return GroovePattern((0.0, 2.5) if driving else (0.0,), backbeats, 0.5)
    return GroovePattern((0.0, 1.5, 2.0) if driving else (0.0, 2.0), backbeats, 0.25 if driving else 0.5)


def groove_energy(before: float | None, phrase: float, section: float) -> float:
    """The energy a phrase's groove is chosen at. The phrase's own, kept within LIFT of its section's: a
    phrase may lift or calm the section's groove, but a groove does not follow every shot. Then the energy
    the phrase before was chosen at (`before`; None for the first), moved only as far as it must to come
    within HOLD of that: the groove changes only when the energy has clearly moved, never back and forth
    at a threshold."""
    aim = min(max(phrase, section - LIFT), section + LIFT)
    if before is None:
        return aim
    return min(max(before, aim - HOLD), aim + HOLD)


def phrase_end(pattern: GroovePattern, groove: Groove, beats: int, hat_step: float) -> GroovePattern:
    """The phrase's last bar: its groove with one stroke changed or added on the last off-beat, leading into
    the next phrase; never enough to read as a fill. The closed hi-hat there opens where the hats strike
    it (every `hat_step` beats); else a kick joins (not in four-on-the-floor, whose kicks are the steady
    pulse); else a snare."""
    last_off = beats - 0.5
    if not pattern.rim and last_off % hat_step == 0 and last_off not in pattern.open_hats:
        return replace(pattern, open_hats=(*pattern.open_hats, last_off))
    if groove != "four-on-the-floor" and last_off not in pattern.kicks:
        return replace(pattern, kicks=(*pattern.kicks, last_off))
    return replace(pattern, snares=(*pattern.snares, last_off))


def swung(offset: float, step: float, swing: float) -> float:
    """`offset` of a stroke on a grid of `step` beats, with the second stroke of each pair delayed so the
    pair splits `swing` : 1 - `swing` (0.5 straight, 2/3 a triplet shuffle)."""
    pair = 2 * step
    if abs(offset % pair - step) > 1e-9:
        return offset
    return offset + (swing - 0.5) * pair
