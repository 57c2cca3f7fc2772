"""Keys, numerals, labels and voice leading."""

from __future__ import annotations

import pytest

from v2m_core.errors import UsageError
from v2m_core.music.theory import (
    chord_from_numeral, chord_scale, parse_key, pitch_class, voice_lead, voicings,
)
from v2m_core.schemas.plan import Key


@pytest.mark.parametrize(("text", "tonic", "mode"), [
    ("D minor", 2, "minor"), ("F# major", 6, "major"), ("Bb minor", 10, "minor"), ("bb minor", 10, "minor"),
    ("Am", 9, "minor"), ("Eb", 3, "major"), (" c  MAJOR ", 0, "major"),
])
def test_parse_key(text: str, tonic: int, mode: str) -> None:
    assert parse_key(text) == Key(tonic=tonic, mode=mode)


@pytest.mark.parametrize("text", ["H minor", "D dorian", "", "C## major"])
def test_bad_key_names_the_value(text: str) -> None:
    with pytest.raises(UsageError, match=f"'{text}'"):
        parse_key(text)


def test_pitch_classes() -> None:
    assert [pitch_class(n) for n in ("C", "C#", "Db", "B", "Cb", "E#")] == [0, 1, 1, 11, 11, 5]


@pytest.mark.parametrize(("numeral", "key", "label", "tones"), [
    ("I", Key(tonic=0, mode="major"), "C:maj", [0, 4, 7]),
    ("vi", Key(tonic=0, mode="major"), "A:min", [9, 0, 4]),
    ("V7", Key(tonic=0, mode="major"), "G:7", [7, 11, 2, 5]),
    ("Imaj7", Key(tonic=2, mode="major"), "D:maj7", [2, 6, 9, 1]),
    ("bVI", Key(tonic=9, mode="minor"), "F:maj", [5, 9, 0]),
    ("bII", Key(tonic=4, mode="minor"), "F:maj", [5, 9, 0]),
    ("viio", Key(tonic=0, mode="major"), "B:dim", [11, 2, 5]),
    ("Iadd9", Key(tonic=0, mode="major"), "C:maj(9)", [0, 4, 7, 2]),
    ("Isus4", Key(tonic=7, mode="major"), "G:sus4", [7, 0, 2]),
])
def test_numerals(numeral: str, key: Key, label: str, tones: list[int]) -> None:
    chord = chord_from_numeral(numeral, key, 0.0, 1.0)
    assert (chord.label, chord.pitch_classes, chord.root, chord.bass) == (label, tones, tones[0], tones[0])


def test_inversion_is_a_slash_chord() -> None:
    chord = chord_from_numeral("V", Key(tonic=0, mode="major"), 0.0, 1.0, inversion_bass=11)
    assert (chord.label, chord.bass) == ("G:maj/3", 11)


def test_voice_leading_moves_little_and_stays_in_register() -> None:
    c, f = [0, 4, 7], [5, 9, 0]
    first = voice_lead(c, None, 50, 74)
    second = voice_lead(f, first, 50, 74)
    assert all(50 <= p <= 74 for p in first + second)
    assert sorted(p % 12 for p in second) == sorted(f)
    assert sum(abs(a - b) for a, b in zip(sorted(first), sorted(second))) <= 4


def test_a_long_progression_led_smoothly_does_not_drift_to_the_edge_of_the_register() -> None:
    """A rising diatonic loop (I ii iii IV V vi, six times) led by least motion alone climbs towards the
    top of D3..D5, into the tune's room; the pull to the centre keeps its voicings around the middle."""
    previous: tuple[int, ...] | None = None
    means = []
    for root in [0, 2, 4, 5, 7, 9] * 6:
        previous = voice_lead(sorted({(root + i) % 12 for i in (0, 3 + (root in (0, 5, 7)), 7)}), previous, 50, 74,
                              spread=True)
        means.append(sum(previous) / len(previous))
    assert 58 <= min(means) and max(means) <= 66, means


def test_voicings_cover_every_inversion() -> None:
    found = voicings([0, 4, 7], 48, 72)
    assert {v[0] % 12 for v in found} == {0, 4, 7}
    assert all(48 <= p <= 72 and list(v) == sorted(v) for v in found for p in v)


def test_chord_scale_avoids_semitone_rubs_with_borrowed_tones() -> None:
    key = Key(tonic=0, mode="major")
    flat_six = chord_from_numeral("bVI", key, 0.0, 1.0)
    scale = chord_scale(flat_six, key)
    assert 8 in scale and 3 in scale and 7 not in scale and 9 not in scale
