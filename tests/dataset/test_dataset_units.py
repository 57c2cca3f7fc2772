"""Chord names, vocabulary, splits and per-second chords; contract tests for the new built-in steps."""

from __future__ import annotations

from collections import Counter

import pytest

from v2m_core.chords.keys import estimate_key
from v2m_core.chords.labels import ChordLabelError, canonical_chord
from v2m_core.chords.labfiles import per_second_labels
from v2m_core.dataset.chord_ids import extend_vocabulary
from v2m_core.dataset.muvi import v2m_name
from v2m_core.dataset.splits import assign_splits, fresh_splits, split_sizes
from v2m_core.schemas.chords import ChordSegment, ChordTimeline
from v2m_core.schemas.manifest import SPLITS, SplitRatios
from v2m_core.steps.audio import AudioStep
from v2m_core.steps.emotion_affect import EmotionFromAffectStep
from v2m_core.steps.keyframes import KeyframesStep
from v2m_core.testing import StepContract


class TestKeyframesContract(StepContract):
    plugin_class = KeyframesStep


class TestAudioContract(StepContract):
    plugin_class = AudioStep


class TestEmotionFromAffectContract(StepContract):
    plugin_class = EmotionFromAffectStep


@pytest.mark.parametrize(("label", "canonical"), [
    ("C", "C:maj"), ("Db:min7/b3", "C#:min7"), ("A#:maj", "Bb:maj"), ("N", "N"), ("G:sus4", "G:sus4"),
])
def test_chord_names_are_canonical(label: str, canonical: str) -> None:
    assert canonical_chord(label) == canonical


def test_bad_chord_names_are_rejected() -> None:
    for label in ("H:maj", "C:weird"):
        with pytest.raises(ChordLabelError):
            canonical_chord(label)


def test_vocabulary_only_appends_in_a_fixed_order() -> None:
    first = extend_vocabulary([], ["G:maj", "N", "C:min", "C:maj"])
    assert first == ["N", "C:maj", "C:min", "G:maj"]
    assert extend_vocabulary(first, ["A:min", "C:maj", "D:maj"]) == [*first, "D:maj", "A:min"]


def test_fresh_splits_are_seeded_and_follow_the_ratios() -> None:
    ids = [f"v{i:02d}" for i in range(20)]
    splits = fresh_splits(ids, SplitRatios(), seed=3)
    assert splits == fresh_splits(list(reversed(ids)), SplitRatios(), seed=3)
    assert sorted(splits.values()).count("train") == 16 and list(splits.values()).count("test") == 2
    assert splits != fresh_splits(ids, SplitRatios(), seed=4)


@pytest.mark.parametrize("ratios", [SplitRatios(), SplitRatios(train=7, val=3, test=0),
                                    SplitRatios(train=0, val=1, test=1), SplitRatios(train=98, val=1, test=1)])
def test_from_three_videos_every_named_split_gets_one(ratios: SplitRatios) -> None:
    for count in range(3, 41):
        sizes = Counter(fresh_splits([f"v{i:02d}" for i in range(count)], ratios, seed=count).values())
        assert {name for name in SPLITS if sizes[name]} == {name for name in SPLITS if getattr(ratios, name) > 0}
    assert split_sizes(5, SplitRatios()) == {"train": 3, "val": 1, "test": 1}
    assert split_sizes(2, SplitRatios()) == {"train": 1, "val": 1, "test": 0}  # still trainable


def test_a_grown_dataset_fills_its_empty_splits_and_keeps_the_known_ones() -> None:
    previous = {"a": "train", "b": "train"}  # built from two videos with val and test shares, say
    grown = assign_splits(["a", "b", "c", "d", "e"], previous, SplitRatios(), 0, preserve=True)
    assert grown["a"] == grown["b"] == "train" and sorted(grown[i] for i in "cde") == ["test", "train", "val"]
    assert assign_splits(["a", "b", "c"], previous, SplitRatios(), 0, preserve=True)["c"] == "val"
    assert set(assign_splits(["a", "b", "c"], previous, SplitRatios(val=0, test=0), 0, preserve=True).values()) == {"train"}


def test_preserved_splits_send_new_videos_to_train() -> None:
    previous = {"a": "val", "b": "test", "c": "train"}
    assert assign_splits(["a", "b", "c", "d"], previous, SplitRatios(), 0, preserve=True) == {
        "a": "val", "b": "test", "c": "train", "d": "train"}


def test_per_second_labels_take_the_longest_chord_of_each_second() -> None:
    timeline = ChordTimeline(segments=[ChordSegment(start=0, end=1.4, label="C:maj"),
                                       ChordSegment(start=1.4, end=2.9, label="A:min"),
                                       ChordSegment(start=2.9, end=3.0, label="G:maj")], vocabulary="majmin")
    assert per_second_labels(timeline, 4) == ["C:maj", "A:min", "A:min", "N"]


def test_video2music_names_and_key() -> None:
    assert [v2m_name(label) for label in ("C:maj", "Bb:min", "N", "G:maj(9)", "X")] == ["C", "A#:min", "N", "G", "N"]
    assert estimate_key(["G:maj", "C:maj", "D:maj", "E:min", "G:maj"]) == (7, "major")
    assert estimate_key(["A:min", "D:min", "E:maj", "A:min", "F:maj"])[1] == "minor"
