"""Harte labels normalise to one spelling, and vocabularies have the sizes and mappings they promise."""

import pytest

from v2m_core.chords.labels import ChordLabelError, normalize, parse
from v2m_core.chords.vocabularies import BTC_LARGE, MAJMIN, V2M, to_vocabulary, vocabulary
from v2m_core.errors import UsageError


@pytest.mark.parametrize(("label", "expected"), [
    ("C", "C:maj"), ("Db", "C#:maj"), ("C:maj/1", "C:maj"), ("A:min/b3", "A:min/b3"), ("Bb:7(b9)/3", "Bb:7(b9)/3"),
    ("A#:min", "Bb:min"), ("C:(1,3,5)", "C:(1,3,5)"), (" G:sus4 ", "G:sus4"), ("N", "N"), ("X", "X"),
])
def test_normalize_gives_one_spelling(label: str, expected: str) -> None:
    assert normalize(label) == expected


def test_parse_gives_pitch_content() -> None:
    chord = parse("D:min7/b7")
    assert chord is not None and chord.root == 2 and chord.bass == 0
    assert chord.pitch_classes == {2, 5, 9, 0}
    assert parse("N") is None


@pytest.mark.parametrize("label", ["H:maj", "C:foo", "", "C:maj/x"])
def test_invalid_labels_are_errors(label: str) -> None:
    with pytest.raises(ChordLabelError, match="invalid Harte chord label"):
        normalize(label)


def test_vocabulary_sizes_and_order() -> None:
    assert (len(MAJMIN), len(V2M), len(BTC_LARGE)) == (25, 157, 170)
    assert MAJMIN.labels[:3] == ("N", "C:maj", "C:min") and BTC_LARGE.labels[-1] == "X"
    assert len(set(V2M.labels)) == 157 and V2M.index("C#:maj7") == V2M.labels.index("C#:maj7")


@pytest.mark.parametrize(("label", "majmin", "v2m", "btc"), [
    ("C:maj7", "C:maj", "C:maj7", "C:maj7"), ("A:dim", "A:min", "A:dim", "A:dim"), ("Bb:9", "Bb:maj", "Bb:7", "Bb:7"),
    ("E:hdim7", "E:min", "E:hdim7", "E:hdim7"), ("G:aug", "G:maj", "G:aug", "G:aug"), ("C:5", "C:maj", "C:maj", "C:maj"),
    ("Db:minmaj7", "C#:min", "C#:min", "C#:minmaj7"), ("C:min9", "C:min", "C:min7", "C:min7"),
    ("F:sus4/5", "F:maj", "F:sus4", "F:sus4"), ("X", "N", "N", "X"), ("N", "N", "N", "N"),
])
def test_mapping_between_vocabularies(label: str, majmin: str, v2m: str, btc: str) -> None:
    assert (MAJMIN.map(label), V2M.map(label), BTC_LARGE.map(label)) == (majmin, v2m, btc)


def test_every_vocabulary_label_maps_to_itself() -> None:
    for vocab in (MAJMIN, V2M, BTC_LARGE):
        assert [vocab.map(label) for label in vocab.labels] == list(vocab.labels)


def test_lookup_by_name() -> None:
    assert to_vocabulary("Db:maj7", "full") == "C#:maj7" and to_vocabulary("Db:maj7", "majmin") == "C#:maj"
    assert vocabulary("btc-large") is BTC_LARGE
    with pytest.raises(UsageError, match="valid names: majmin, v2m, btc-large"):
        vocabulary("jazz")
