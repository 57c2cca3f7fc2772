"""Style presets: instruments, tempo range, drum feel and accompaniment density per style.

'auto' picks a preset from the video's dominant emotion and mean energy; the GM programs of a
preset depend on whether that emotion is bright or dark, and user overrides replace them per role.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from v2m_core.errors import UsageError

Family = Literal["bright", "dark"]
ChordPattern = Literal["pad", "comp", "arpeggio"]
DrumFeel = Literal["none", "light", "full"]
Groove = Literal["straight", "half-time", "four-on-the-floor"]

DARK_EMOTIONS: frozenset[str] = frozenset({"fearful", "tense", "sad"})


class StylePreset(BaseModel):
    """Everything a style decides; thresholds are on section energy (0..1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    tempo_range: tuple[float, float] = Field(description="Beats per minute at energy 0 and 1.")
    programs: dict[Family, dict[str, int]] = Field(
        description="GM program per role, per emotion family; drums stay on kit 0, the one every GM soundfont has.")
    groove: Groove
    drums_from: float = Field(description="Below this section energy the kit stays silent (cymbals at cuts only).")
    full_drums_from: float = Field(description="From this energy the full groove plays; between the two, a light one.")
    comp_from: float = Field(description="Energy from which chords are comped instead of held.")
    arpeggio_from: float = Field(description="Energy from which chords are arpeggiated.")
    melody_density: float = Field(gt=0, description="Scales the chance of a melody note on each eighth.")
    swing: float = Field(default=0.5, ge=0.5, lt=0.75,
                         description="Share of each pair of hi-hat subdivisions the first takes (0.5 straight, 2/3 "
                                     "a triplet shuffle): the off-beat hats move, and a kick or snare sharing their "
                                     "place moves with them so it does not flam; nothing on the beat moves.")

    def drum_feel(self, energy: float) -> DrumFeel:
        if energy < self.drums_from:
            return "none"
        return "full" if energy >= self.full_drums_from else "light"

    def chord_pattern(self, energy: float) -> ChordPattern:
        if energy >= self.arpeggio_from:
            return "arpeggio"
        return "comp" if energy >= self.comp_from else "pad"

    def tempo_for(self, energy: float) -> float:
        low, high = self.tempo_range
        return low + (high - low) * min(max(energy, 0.0), 1.0)


PRESETS: dict[str, StylePreset] = {
    preset.name: preset
    for preset in (
        StylePreset(
            name="cinematic", tempo_range=(62, 112),
            programs={"bright": {"chords": 48, "bass": 43, "melody": 60, "drums": 0},
                      "dark": {"chords": 49, "bass": 43, "melody": 42, "drums": 0}},
            groove="half-time", drums_from=0.3, full_drums_from=0.65, comp_from=0.45, arpeggio_from=0.6,
            melody_density=0.8, swing=0.5),  # straight: a trailer's driving half-time; swing would read as jazz
        StylePreset(
            name="pop", tempo_range=(84, 128),
            programs={"bright": {"chords": 0, "bass": 33, "melody": 73, "drums": 0},
                      "dark": {"chords": 4, "bass": 33, "melody": 71, "drums": 0}},
            groove="straight", drums_from=0.15, full_drums_from=0.4, comp_from=0.3, arpeggio_from=0.8,
            melody_density=1.0, swing=0.525),  # a slight lean on the off-beat hats (15-20 ms): loose, not jazz
        StylePreset(
            name="ambient", tempo_range=(58, 84),
            programs={"bright": {"chords": 89, "bass": 38, "melody": 11, "drums": 0},
                      "dark": {"chords": 95, "bass": 38, "melody": 92, "drums": 0}},
            groove="half-time", drums_from=0.5, full_drums_from=1.01, comp_from=0.35, arpeggio_from=0.35,
            melody_density=0.55, swing=0.6),  # a lazy, trip-hop lean under a slow half-time
        StylePreset(
            name="electronic", tempo_range=(100, 132),
            programs={"bright": {"chords": 90, "bass": 38, "melody": 80, "drums": 0},
                      "dark": {"chords": 95, "bass": 39, "melody": 81, "drums": 0}},
            groove="four-on-the-floor", drums_from=0.1, full_drums_from=0.3, comp_from=0.25, arpeggio_from=0.55,
            melody_density=1.1, swing=0.5),  # machine-straight: the off-beat hat sits exactly between kicks
    )
}


def emotion_family(emotion: str) -> Family:
    return "dark" if emotion in DARK_EMOTIONS else "bright"


def resolve_style(style: str, emotion: str, energy: float) -> StylePreset:
    """The preset for a requested style; 'auto' chooses from the dominant emotion and mean energy."""
    style = style.strip().lower()
    if style != "auto":
        if style not in PRESETS:
            raise UsageError(f"unknown style '{style}'; valid styles: auto, {', '.join(PRESETS)}")
        return PRESETS[style]
    if emotion == "exciting":
        return PRESETS["electronic" if energy >= 0.6 else "pop"]
    if emotion in DARK_EMOTIONS:
        return PRESETS["cinematic"]
    if emotion == "relaxing":
        return PRESETS["ambient"]
    return PRESETS["pop" if energy >= 0.4 else "ambient"]


def preset_for(name: str) -> StylePreset:
    """The preset a plan names; plans from other planners may name styles this module lacks."""
    return PRESETS.get(name, PRESETS["pop"])


def instruments(preset: StylePreset, emotion: str, overrides: dict[str, int]) -> dict[str, int]:
    """GM programs per role: the preset's for the emotion family, replaced by the user's overrides (0..127, checked
    by ComposeConfig)."""
    return {**preset.programs[emotion_family(emotion)], **overrides}
