"""What the report's timeline and piano roll draw, as plain JSON for the page's script.

Times are seconds on the video's clock. The plan gives sections, phrases, chords, beats and cuts (what the
planner meant); the notes come from music.mid (what was written and heard).
"""

from __future__ import annotations

from typing import Any

from v2m_core.compose.plot import EMOTION_COLOURS, PHRASE_COLOURS
from v2m_core.schemas.analysis import EMOTIONS, VideoAnalysis
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan


def timeline_data(plan: CompositionPlan, analysis: VideoAnalysis | None,
                  tracks: list[MidiTrack] | None) -> dict[str, Any]:
    def seconds(value: float) -> float:
        return round(value, 3)

    return {
        "duration": seconds(plan.duration),
        "sections": [{"start": seconds(s.start), "end": seconds(s.end), "tempo": round(s.tempo, 1),
                      "emotion": s.emotion, "energy": round(s.energy, 2)} for s in plan.sections],
        "phrases": [{"start": seconds(p.start), "end": seconds(p.end), "function": p.function, "bars": p.bars}
                    for p in plan.phrases],
        "chords": [{"start": seconds(c.start), "end": seconds(c.end), "label": c.label, "root": c.root}
                   for c in plan.chords],
        "beats": [[seconds(b.time), b.bar, b.position, bpm] for b, bpm in zip(plan.beats, _tempi(plan))],
        "cuts": [{"time": seconds(h.time), "structural": h.structural, "mark": h.mark} for h in plan.hits]
        or [{"time": seconds(t), "structural": False, "mark": "none"} for t in plan.cuts],
        "energy": [round(e, 3) for e in plan.energy],
        "motion": [round(m, 3) for m in analysis.motion] if analysis else [],
        "tracks": [{"name": t.name, "role": t.role, "drum": t.is_drum,
                    "notes": [[seconds(n.start), seconds(n.end), n.pitch, n.velocity] for n in t.notes]}
                   for t in tracks or []],
        "colours": {"emotion": dict(zip(EMOTIONS, EMOTION_COLOURS)), "phrase": PHRASE_COLOURS},
    }


def _tempi(plan: CompositionPlan) -> list[float]:
    """Each beat's tempo in bpm; the last beat, cut short by the end of the video, keeps the one before it."""
    tempi = [round(60 / beat.duration, 1) for beat in plan.beats[:-1]]
    return [*tempi, tempi[-1] if tempi else plan.sections[-1].tempo] if plan.beats else []
