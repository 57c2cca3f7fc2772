"""One picture of a composition: features, affect, cuts, chords and beats on one time axis."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402

from v2m_core.atomic import atomic_path  # noqa: E402
from v2m_core.schemas.analysis import EMOTIONS, VideoAnalysis  # noqa: E402
from v2m_core.schemas.plan import CompositionPlan  # noqa: E402

EMOTION_COLOURS = ("#e4572e", "#6c3483", "#f3a712", "#2e86de", "#29bf12", "#9e9e9e")
PHRASE_COLOURS = {"intro": "#bdc3c7", "build": "#f5b041", "peak": "#e74c3c", "release": "#5dade2",
                  "ending": "#7f8c8d", "body": "#d5dbdb"}


def plot_composition(analysis: VideoAnalysis, plan: CompositionPlan, path: Path) -> None:
    """Four stacked panels sharing the time axis; red lines mark the cuts on every panel (thick where a
    section starts), the bottom panel shows beats, downbeats, tempo per section and the phrases of the form."""
    seconds = np.arange(analysis.seconds) + 0.5
    width = min(40.0, max(10.0, plan.duration / 6))
    figure, axes = plt.subplots(4, 1, figsize=(width, 9), sharex=True,
                                gridspec_kw={"height_ratios": [2, 2, 1.2, 1.2]})
    features, affect, harmony, rhythm = axes

    features.plot(seconds, analysis.motion, label="motion", color="#333")
    features.plot(seconds, analysis.brightness, label="brightness", color="#f1c40f")
    features.plot(seconds, analysis.saturation, label="saturation", color="#e67e22")
    features.plot(seconds, plan.energy, label="energy (plan)", color="#c0392b", linestyle="--")
    features.set_ylabel("0..1")
    features.legend(loc="upper right", ncol=4, fontsize=8)
    features.set_title(f"{Path(analysis.probe.path).name}: {plan.style}, "
                       f"{plan.key.mode} key on pitch class {plan.key.tonic}, {len(plan.cuts)} cuts")

    affect.stackplot(seconds, np.array(analysis.emotion).T, labels=EMOTIONS, colors=EMOTION_COLOURS, alpha=0.8)
    affect.plot(seconds, (np.array(analysis.valence) + 1) / 2, color="white", label="valence")
    affect.plot(seconds, (np.array(analysis.arousal) + 1) / 2, color="black", label="arousal")
    affect.set_ylabel("emotion")
    affect.set_ylim(0, 1)
    affect.legend(loc="upper right", ncol=8, fontsize=7)

    for index, chord in enumerate(plan.chords):
        harmony.axvspan(chord.start, chord.end, color=plt.cm.tab20(chord.root / 12), alpha=0.6 if index % 2 else 0.4)
        if chord.end - chord.start >= plan.duration / 120:
            harmony.text((chord.start + chord.end) / 2, 0.5, chord.label, ha="center", va="center", fontsize=7,
                         rotation=90 if chord.end - chord.start < plan.duration / 40 else 0)
    harmony.set_yticks([])
    harmony.set_ylabel("chords")

    beat_times = [b.time for b in plan.beats]
    downbeats = plan.downbeats()
    rhythm.vlines(beat_times, 0, 0.4, color="#555", linewidth=0.5)
    rhythm.vlines(downbeats, 0, 1, color="#000", linewidth=1)
    for index, phrase in enumerate(plan.phrases):
        rhythm.axvspan(phrase.start, phrase.end, ymin=0.75, color=PHRASE_COLOURS[phrase.function],
                       alpha=0.5 if index % 2 else 0.35)
        previous = plan.phrases[index - 1] if index else None
        if previous is None or (previous.function, previous.parts) != (phrase.function, phrase.parts):
            parts = "".join(role[0] for role in phrase.parts)  # c(hords) b(ass) m(elody) d(rums)
            rhythm.text(phrase.start, 1.2, f" {phrase.function} {parts}", fontsize=7, va="center")
    for section in plan.sections:
        rhythm.text(section.start, 1.05, f"{section.tempo:.0f}", fontsize=7, va="bottom")
    rhythm.set_ylim(0, 1.4)
    rhythm.set_yticks([])
    rhythm.set_ylabel("beats (bpm)")
    rhythm.set_xlabel("seconds")
    rhythm.set_xlim(0, plan.duration)

    for axis in axes:  # structural cuts solid and thick, light marks dashed, the others dotted
        for hit in plan.hits:
            style = {"strong": ("-", 2.0), "light": ("--", 1.0), "none": (":", 0.8)}[hit.mark]
            axis.axvline(hit.time, color="red", linestyle=style[0], linewidth=style[1], alpha=0.8)
    figure.tight_layout()
    with atomic_path(path) as temporary:
        figure.savefig(temporary, dpi=90, format="png")
    plt.close(figure)
