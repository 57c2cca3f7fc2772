"""Every parser of v2m's text formats, fed hostile input: .lab and Omnizart CSV chord files, chord labels, and the
JSON files of the schemas (plans, analyses, manifests). Each gives one clear error naming the file (and line) or a
valid result with only finite numbers; chord scores are finite and print as strict JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.strategies import assert_clear, hostile_numbers, hostile_settings, non_finite, number_text
from v2m_core.chords.evaluation import METRICS, score
from v2m_core.chords.files import read_chord_file
from v2m_core.chords.labels import ChordLabelError, normalize, parse
from v2m_core.chords.lab import parse_lab
from v2m_core.chords.omnizart_csv import parse_omnizart_csv
from v2m_core.chords.per_second import to_per_second
from v2m_core.chords.vocabularies import VOCABULARIES
from v2m_core.chords.labels import canonical_chord
from v2m_core.errors import MediaError, UsageError, V2MError
from v2m_core.evaluation.target import load_target
from v2m_core.schemas import PERSISTED_MODELS
from v2m_core.schemas.base import read_model_file
from v2m_core.schemas.chords import ChordSegment
from v2m_core.testing import sample_plan

ROOTS = ["C", "C#", "Db", "D", "Eb", "E", "F", "F#", "Gb", "G", "Ab", "A", "Bb", "B", "Cb", "B#", "H", "c", "Fbb"]
QUALITIES = ["maj", "min", "dim", "aug", "maj7", "min7", "7", "dim7", "hdim7", "minmaj7", "maj6", "min6", "9", "sus2",
             "sus4", "5", "1", "13", "", "major", "m", "(1,3,5)", "(b3,5)", "(*1)", "(1,#11)"]
LABEL = st.one_of(
    st.sampled_from(["N", "X", " N ", "C", "A:min", ":", "C:", "C:maj/", "C:maj/0", "C:(", "C:maj(9", "C::min"]),
    st.builds(lambda root, quality, extension, bass: root + (f":{quality}" if quality else "") + extension + bass,
              st.sampled_from(ROOTS), st.sampled_from(QUALITIES),
              st.sampled_from(["", "(9)", "(b9,#11)", "(*3)", "(1)", "(,)", "(13"]),
              st.sampled_from(["", "/3", "/b3", "/5", "/b7", "/9", "/#4", "/x", "/", "/0"])),
    st.text(max_size=12),
)
"""Harte labels, their near misses, and any text."""

FAST = hostile_settings(120)
FILES = hostile_settings(60)


@FAST
@given(label=LABEL)
def test_a_chord_label_parses_or_is_one_clear_error(label: str) -> None:
    try:
        chord = parse(label)
        spelled = normalize(label)
    except ChordLabelError as error:
        assert_clear(error)
        return
    again = parse(spelled)
    if chord is None:
        assert again is None and spelled in ("N", "X")
        return
    assert again is not None and 0 <= chord.root < 12 and 0 <= chord.bass < 12
    assert again.root == chord.root and again.pitch_classes == chord.pitch_classes
    assert normalize(spelled) == spelled and canonical_chord(spelled) == canonical_chord(label)
    assert all(vocabulary.map(label) in vocabulary.labels for vocabulary in VOCABULARIES.values())


LINE = st.one_of(
    st.tuples(number_text, number_text, LABEL).map(" ".join),
    st.tuples(number_text, number_text, LABEL).map("\t".join),
    st.sampled_from(["", "# comment", "   ", "0 1", "0 1 C extra", "\x00", "0\x0b1\x0cC"]),
    st.text(max_size=20),
)


def _valid_segments(segments: list[ChordSegment]) -> None:
    assert not non_finite(segments)
    for before, after in zip(segments, segments[1:]):
        assert after.start >= before.end - 1e-6
    for segment in segments:
        assert 0 <= segment.start <= segment.end
        parse(segment.label)
    labels = to_per_second(segments)
    assert len(labels) == math.ceil(max((s.end for s in segments), default=0.0) - 1e-9)


@FAST
@given(lines=st.lists(LINE, max_size=6), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_lab_file_parses_or_is_one_clear_error_naming_file_and_line(lines: list[str], newline: str) -> None:
    try:
        segments = parse_lab(newline.join(lines), Path("song.lab"))
    except MediaError as error:
        assert_clear(error, "song.lab:")
        return
    _valid_segments(segments)


HEADER = st.permutations(["Chord", "Start", "End"]).map(",".join) | st.sampled_from(
    ["chord,start,end,extra", "Chord,Start", "", "Start;End;Chord", "\ufeffChord,Start,End"])
ROW = st.one_of(st.tuples(LABEL, number_text, number_text).map(",".join), st.text(max_size=20),
                st.sampled_from(['"C:maj",0,1', "C,0", ",,", "C,1,0", '"C,0,1'])).filter(lambda row: "\r" not in row)


@FAST
@given(header=HEADER, rows=st.lists(ROW, max_size=5))
def test_an_omnizart_csv_parses_or_is_one_clear_error_naming_file_and_line(header: str, rows: list[str]) -> None:
    try:
        segments = parse_omnizart_csv("\n".join([header, *rows]), Path("song.csv"))
    except MediaError as error:
        assert_clear(error, "song.csv:")
        return
    _valid_segments(segments)


@FILES
@given(content=st.binary(max_size=64), suffix=st.sampled_from([".lab", ".csv", ".LAB"]))
def test_any_bytes_as_a_chord_file_are_segments_or_one_clear_error(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"song{suffix}"
    path.write_bytes(content)
    try:
        segments = read_chord_file(path)
    except MediaError as error:
        assert_clear(error, str(path))
        return
    _valid_segments(segments)


SEGMENTS = st.lists(st.tuples(st.floats(0, 4), st.sampled_from(["N", "X", "C:maj", "A:min", "G:7", "F:maj7/3"])),
                    min_size=1, max_size=6)


def _timeline(steps: list[tuple[float, str]]) -> list[ChordSegment]:
    times = np.cumsum([0.0, *(step for step, _ in steps)])
    return [ChordSegment(start=float(times[i]), end=float(times[i + 1]), label=label)
            for i, (_, label) in enumerate(steps)]


@FAST
@given(reference=SEGMENTS, estimate=SEGMENTS)
def test_chord_scores_are_finite_shares_that_print_as_strict_json(reference: list[tuple[float, str]],
                                                                  estimate: list[tuple[float, str]]) -> None:
    try:
        scores = score(_timeline(reference), _timeline(estimate))
    except UsageError as error:  # a reference of zero-length segments
        assert_clear(error)
        return
    assert set(scores) == set(METRICS) and all(0 <= value <= 1 + 1e-9 for value in scores.values())
    json.dumps(scores, allow_nan=False)


def _mutated_plan(path: tuple[str | int, ...], value: float) -> str:
    data = sample_plan().model_dump(mode="json")
    cursor = data
    for part in path[:-1]:
        cursor = cursor[part]
    cursor[path[-1]] = value
    return json.dumps(data)  # nan and infinities as NaN and Infinity, which pydantic's JSON reader takes


def _number_paths(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _number_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _number_paths(value, (*path, i))]
    return [path] if isinstance(data, (int, float)) and not isinstance(data, bool) else []


PLAN_NUMBERS = _number_paths(sample_plan().model_dump(mode="json"))
JSON_VALUES = st.recursive(st.none() | st.booleans() | hostile_numbers | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=8)


@FILES
@given(text=st.one_of(
    st.builds(_mutated_plan, st.sampled_from(PLAN_NUMBERS), hostile_numbers),
    JSON_VALUES.map(json.dumps),
    st.binary(max_size=40).map(lambda data: data.decode("latin-1")),
))
def test_a_plan_file_is_a_valid_plan_or_one_clear_error(tmp_path: Path, text: str) -> None:
    """`plan.json` in a `--keep` folder is what `v2m eval music` and `v2m report` read."""
    (tmp_path / "plan.json").write_text(text, encoding="latin-1" if not text.isascii() else "utf-8")
    try:
        target = load_target(tmp_path)
    except V2MError as error:
        assert_clear(error, str(tmp_path))
        return
    assert target.plan is not None and not non_finite(target.plan)


@FILES
@given(model=st.sampled_from(PERSISTED_MODELS), content=st.one_of(JSON_VALUES.map(json.dumps).map(str.encode),
                                                                  st.binary(max_size=40)))
def test_any_schema_file_is_a_valid_model_or_one_clear_error(tmp_path: Path, model: type, content: bytes) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(content)
    try:
        loaded = read_model_file(path, model)
    except UsageError as error:
        assert_clear(error, str(path), model.__name__)
        return
    assert not non_finite(loaded)
