"""Harmony of the rule planner: phrases that end on cadences, variety, colours by style, a bass line, and a
key chosen from the picture (measured on plans for generated analyses, in every style)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from tests.music.synthetic_analysis import build_analysis, random_cuts

from v2m_core.chords.labels import parse
from v2m_core.music.theory import bass_line, chord_from_numeral, numeral_at, relative_key, voice_lead
from v2m_core.planners import RulePlanner
from v2m_core.planners.rules import key_areas
from v2m_core.schemas.analysis import EMOTION_PROTOTYPES, EMOTIONS, VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import CompositionPlan, Key, PlannedChord
from v2m_core.steps.affect import AffectConfig, affect_rows
from v2m_core.steps.frame_analysis import BRIGHTNESS, COLOURFULNESS, MOTION, SATURATION

STYLES = ("pop", "cinematic", "ambient", "electronic")
MOODS: tuple[tuple[str, ...], ...] = (
    ("exciting", "neutral", "relaxing", "exciting"), ("sad", "tense", "sad", "fearful"),
    ("relaxing", "relaxing", "neutral", "relaxing"), ("neutral", "exciting", "sad", "neutral"),
)
"""Moods of the four quarters of each generated minute."""


def mood_analysis(moods: tuple[str, ...], seed: int, quick_cuts: bool, duration: float = 60.0) -> VideoAnalysis:
    """A generated video whose quarters have the given moods: emotion rows peaked on the mood, valence and
    arousal at its prototype, motion and brightness to match; shots of 0.8-3 s or 3-12 s."""
    cuts = random_cuts(duration, seed, 0.8, 3.0) if quick_cuts else random_cuts(duration, seed, 3.0, 12.0)
    base = build_analysis(duration, cuts)
    mood = [moods[min(len(moods) - 1, int(i / duration * len(moods)))] for i in range(base.seconds)]
    return base.model_copy(update={
        "valence": [EMOTION_PROTOTYPES[m][0] for m in mood], "arousal": [EMOTION_PROTOTYPES[m][1] for m in mood],
        "emotion": [[0.6 if e == m else 0.08 for e in EMOTIONS] for m in mood],
        "motion": [0.08 if EMOTION_PROTOTYPES[m][1] > 0.3 else 0.015 for m in mood],
        "brightness": [0.6 if EMOTION_PROTOTYPES[m][0] > 0.2 else 0.2 if EMOTION_PROTOTYPES[m][0] < -0.2 else 0.45
                       for m in mood],
    })


def footage_analysis(brightness: float, colourfulness: float, motion: float, seed: int,
                     duration: float = 60.0) -> VideoAnalysis:
    """A video whose every shot looks alike, with the affect step's own estimate of its mood."""
    base = build_analysis(duration, random_cuts(duration, seed, 3.0, 12.0))
    rng = np.random.default_rng(seed)
    visual = np.zeros((base.seconds, 4))
    visual[:, BRIGHTNESS] = brightness + rng.normal(0, 0.02, base.seconds)
    visual[:, COLOURFULNESS] = visual[:, SATURATION] = colourfulness + rng.normal(0, 0.02, base.seconds)
    visual[:, MOTION] = motion * rng.lognormal(0, 0.2, base.seconds)
    visual = np.clip(visual, 0, 1)
    rows = affect_rows(visual, np.array(base.scene_id), AffectConfig())
    return base.model_copy(update={
        "brightness": visual[:, BRIGHTNESS].tolist(), "colourfulness": visual[:, COLOURFULNESS].tolist(),
        "saturation": visual[:, SATURATION].tolist(), "motion": visual[:, MOTION].tolist(),
        "valence": rows[:, 0].tolist(), "arousal": rows[:, 1].tolist(), "emotion": rows[:, 2:].tolist(),
    })


DAYLIGHT = (0.55, 0.32, 0.02)
"""Brightness, colourfulness, motion of a daylight street."""
DARK_SLOW = (0.12, 0.08, 0.004)
"""... of a dark, slow scene."""


def plan(analysis: VideoAnalysis, **request: object) -> CompositionPlan:
    return RulePlanner().plan(analysis, ComposeConfig(**request))


@cache
def plans(style: str) -> list[CompositionPlan]:
    return [plan(mood_analysis(moods, seed, quick), style=style, seed=seed)
            for moods in MOODS for quick in (False, True) for seed in (1, 2, 3, 4)]


def phrase_ends(p: CompositionPlan) -> list[tuple[PlannedChord, PlannedChord, Key]]:
    """(penultimate, last) chord of each phrase that has a chord starting in it and one before, with the
    key its section's harmony is written in."""
    areas = key_areas(p.sections, p.key)
    ends = []
    for phrase in p.phrases:
        inside = [i for i, c in enumerate(p.chords) if phrase.start - 1e-6 <= c.start < phrase.end - 1e-6]
        if inside and inside[-1] > 0:
            ends.append((p.chords[inside[-1] - 1], p.chords[inside[-1]], areas[phrase.section]))
    return ends


def has_third(chord: PlannedChord) -> bool:
    return any((pc - chord.root) % 12 in (3, 4) for pc in chord.pitch_classes)


def closes(before: PlannedChord, last: PlannedChord, key: Key) -> bool:
    """Authentic (V-I or V7-I: a dominant with its leading tone) or plagal (IV-I, iv-i), arriving on a
    tonic with its third (a sus chord does not close)."""
    if last.root != key.tonic or not has_third(last):
        return False
    authentic = before.root == (key.tonic + 7) % 12 and (key.tonic + 11) % 12 in before.pitch_classes
    return authentic or (before.root == (key.tonic + 5) % 12 and has_third(before))


def label_of(chord: PlannedChord) -> str:
    return chord.label.split("/")[0]


@pytest.mark.parametrize("style", STYLES)
def test_every_minute_has_variety_and_phrases_end_on_cadences(style: str) -> None:
    for p in plans(style):
        labels = [label_of(c) for c in p.chords]
        assert len(set(labels)) >= 5, labels
        ends = phrase_ends(p)
        assert sum(closes(*end) for end in ends) / len(ends) >= 0.5, labels
        for j, (before, last, key) in enumerate(ends):  # phrases that stay open end on V (half cadences), or
            degree = (last.root - key.tonic) % 12       # just before a one-chord plagal ending, on IV
            assert closes(before, last, key) or degree == 7 or (degree == 5 and j == len(ends) - 2), labels
        looped = [a == b for a, b in zip(labels, labels[4:])]  # a period may come back once, not loop on
        longest = max((len(run) for run in "".join("x" if same else " " for same in looped).split()), default=0)
        assert longest < 8, labels  # no four chords heard three times running
        final = p.chords[-1]
        assert final.root == p.key.tonic and closes(p.chords[-2], final, p.key)


@pytest.mark.parametrize("style", STYLES)
def test_labels_name_the_chords_and_the_bass_moves_by_inversion(style: str) -> None:
    inverted = 0
    for p in plans(style):
        starts = {s.start for s in p.sections}
        for chord in p.chords:
            named = parse(chord.label)
            assert named is not None and named.pitch_classes == frozenset(chord.pitch_classes), chord
            assert (named.root, named.bass) == (chord.root, chord.bass) and chord.bass in chord.pitch_classes
            if chord.start in starts:
                assert chord.bass == chord.root  # roots at cuts
            inverted += chord.bass != chord.root
        for before, last, key in phrase_ends(p):
            assert last.bass == last.root and (before.bass == before.root or not closes(before, last, key))  # cadences
    assert inverted >= len(plans(style))  # about one inversion a minute or more


def test_colours_follow_the_style() -> None:
    def share(style: str, qualities: tuple[str, ...]) -> float:
        chords = [c for p in plans(style) for c in p.chords]
        return sum(label_of(c).split(":")[1] in qualities for c in chords) / len(chords)

    assert share("pop", ("maj", "min")) >= 0.7
    assert share("ambient", ("maj7", "min7")) >= 0.25 > share("pop", ("maj7", "min7"))
    assert share("cinematic", ("maj(9)", "min(9)", "sus2")) >= 0.15 > share("electronic", ("maj(9)", "min(9)"))
    assert share("electronic", ("min7", "sus2", "sus4")) >= 0.15
    pedals = [c for p in plans("ambient") for c in p.chords if c.bass != c.root and c.bass == p.key.tonic]
    assert pedals  # the tonic held under other chords


def test_secondary_dominants_resolve_to_the_chord_they_lead_to() -> None:
    secondary: dict[str, int] = {}
    for style in STYLES:
        for p in plans(style):
            areas = key_areas(p.sections, p.key)
            section_of = np.searchsorted([s.start for s in p.sections[1:]], [c.start for c in p.chords], side="right")
            for i, chord in enumerate(p.chords[:-1]):
                if label_of(chord).endswith(":7") and chord.root != (areas[section_of[i]].tonic + 7) % 12:
                    secondary[style] = secondary.get(style, 0) + 1
                    assert p.chords[i + 1].root == (chord.root + 5) % 12, (chord.label, p.chords[i + 1].label)
    assert secondary.get("pop", 0) >= 2 and secondary.get("cinematic", 0) >= 2, secondary


def test_daylight_is_major_and_a_dark_slow_video_minor_with_keys_from_the_light() -> None:
    day = [plan(footage_analysis(*DAYLIGHT, seed), seed=seed).key for seed in range(6)]
    dark = [plan(footage_analysis(*DARK_SLOW, seed), seed=seed).key for seed in range(6)]
    assert {k.mode for k in day} == {"major"} and {k.mode for k in dark} == {"minor"}

    def sharps(key: Key) -> int:  # key signature: sharps positive, flats negative
        major_tonic = key.tonic if key.mode == "major" else (key.tonic + 3) % 12
        return (major_tonic * 7 + 5) % 12 - 5

    assert min(sharps(k) for k in day) > max(sharps(k) for k in dark)  # brighter picture, sharper key
    assert 1 < len({k.tonic for k in day}) <= 3  # the seed chooses among a few keys that suit the picture


def test_a_contrasting_section_moves_to_the_relative_key_and_comes_back() -> None:
    analysis = mood_analysis(("exciting", "sad", "sad", "exciting"), 3, False, duration=90.0)
    p = plan(analysis, style="pop", seed=3)
    assert p.key.mode == "major"
    areas = key_areas(p.sections, p.key)
    away = [i for i, area in enumerate(areas) if area != p.key]
    assert away and all(areas[i] == relative_key(p.key) and p.sections[i].emotion == "sad" for i in away)
    assert areas[0] == areas[-1] == p.key and p.chords[-1].root == p.key.tonic
    tonic_minor = relative_key(p.key)
    roots = [c.root for c in p.chords if p.sections[away[0]].start <= c.start < p.sections[away[-1]].end]
    assert roots.count(tonic_minor.tonic) >= 2  # the relative minor's tonic is where its phrases close


def test_same_seed_same_chords_and_seeds_vary_them() -> None:
    analysis = mood_analysis(MOODS[3], 4, False)
    first = [c.label for c in plan(analysis, seed=9, style="cinematic").chords]
    assert first == [c.label for c in plan(analysis, seed=9, style="cinematic").chords]
    assert len({tuple(c.label for c in plan(analysis, seed=s, style="cinematic").chords) for s in range(4)}) > 1


def test_numerals_keys_and_voicings() -> None:
    assert [numeral_at(o, "7") for o in (2, 4, 9)] == ["II7", "III7", "VI7"]  # V7 of V, vi and ii in major
    assert relative_key(Key(tonic=0, mode="major")) == Key(tonic=9, mode="minor")
    assert relative_key(Key(tonic=9, mode="minor")) == Key(tonic=0, mode="major")
    c_major = Key(tonic=0, mode="major")
    chords = [chord_from_numeral(n, c_major, i, i + 1.0) for i, n in enumerate(("I", "V", "vi", "IV", "V", "I"))]
    line = bass_line(chords, [0, None, None, None, 7, 0])
    assert line[:3] == [0, 11, 9]  # C - G/B - Am: the bass walks down by step
    held = voice_lead([0, 4, 7, 11], None, 50, 74, spread=True)
    assert sorted(p % 12 for p in held) == [0, 4, 7, 11]
    assert all(b - a != 1 for a, b in zip(held, held[1:]))  # no semitone rub between neighbouring voices
