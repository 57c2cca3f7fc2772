"""Every numeric setting, from v2m.toml, from `--set` and of every plugin, given nan, infinities, huge and negative
numbers: one clear error (one line, naming the key and where it came from) or a finite value that the planner
and renderers turn into a valid plan and notes. Plus the command-line cases the hostile campaign found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tests.hostile.strategies import (assert_clear, hostile_numbers, hostile_settings, non_finite, numeric_keys,
                                      toml_literal)
from tests.music.synthetic_analysis import build_analysis
from v2m_core.music.midi_file import write_midi
from v2m_core.config import load_config
from v2m_core.errors import UsageError, V2MError
from v2m_core.interfaces.base import PluginKind
from v2m_core.learn.training_config import TrainConfig
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.renderers.performance import perform
from v2m_core.schemas.base import validation_problem
from v2m_core.schemas.config import ComposeConfig, V2MConfig
from v2m_core.schemas.manifest import DatasetBuildConfig
from v2m_core.testing import isolated_manager

CONFIG_KEYS = sorted(numeric_keys(V2MConfig))
MANAGER = isolated_manager()
PLUGIN_SETTINGS = sorted((record.kind, record.name, key) for record in MANAGER.records() if record.plugin_class
                         for key in numeric_keys(record.plugin_class.Config))
RULE_RENDERERS = ("chords", "bass", "melody", "drums")
FAST = hostile_settings(60)


def test_the_schemas_have_numeric_settings_to_attack() -> None:
    assert {"compose.seed", "compose.tempo", "compose.analysis_width", "compose.instruments.melody"} <= set(CONFIG_KEYS)
    assert {("renderer", "melody-learned", "temperature"), ("synthesizer", "fluidsynth", "gain")} <= \
        {(kind.value, name, key) for kind, name, key in PLUGIN_SETTINGS}


@FAST
@given(key=st.sampled_from(CONFIG_KEYS), value=hostile_numbers)
def test_a_numeric_override_is_finite_or_one_clear_error(tmp_path: Path, key: str, value: float) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    try:
        loaded = load_config(empty, [f"{key}={toml_literal(value)}"], environ={})
    except UsageError as error:
        assert_clear(error, key, "command line")
    else:
        assert not non_finite(loaded.config)


@FAST
@given(key=st.sampled_from(CONFIG_KEYS), value=hostile_numbers)
def test_a_numeric_setting_in_the_file_is_finite_or_one_clear_error(tmp_path: Path, key: str, value: float) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text(f"{key} = {toml_literal(value)}\n")
    try:
        loaded = load_config(file, environ={})
    except UsageError as error:
        assert_clear(error, key, str(file))
    else:
        assert not non_finite(loaded.config)


@FAST
@given(key=st.sampled_from([*CONFIG_KEYS, "compose", "plugins.disabled", "plugins.settings.rules.min_lead", "x", ""]),
       raw=st.text(max_size=24))
def test_any_override_text_is_a_config_or_one_clear_error(tmp_path: Path, key: str, raw: str) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    try:
        loaded = load_config(empty, [f"{key}={raw}"], environ={})
    except UsageError as error:
        assert_clear(error)
    else:
        assert not non_finite(loaded.config)


@FAST
@given(content=st.one_of(st.binary(max_size=80), st.text(max_size=80).map(str.encode),
                         st.sampled_from([b"v = " + b"[" * 5000, b"[compose]\nstyle = '\xff'\n", b"\xef\xbb\xbf"])))
def test_any_config_file_is_a_config_or_one_clear_error(tmp_path: Path, content: bytes) -> None:
    file = tmp_path / "v2m.toml"
    file.write_bytes(content)
    try:
        loaded = load_config(file, environ={})
    except UsageError as error:
        assert_clear(error, str(file))
    else:
        assert not non_finite(loaded.config)


@hostile_settings(150)
@given(setting=st.sampled_from(PLUGIN_SETTINGS), value=hostile_numbers)
def test_a_numeric_plugin_setting_is_finite_or_one_clear_error(setting: tuple[PluginKind, str, str],
                                                                value: float) -> None:
    kind, name, key = setting
    try:
        plugin = MANAGER.create(kind, name, {key: value})
    except UsageError as error:
        assert_clear(error, name, key)
    else:
        assert not non_finite(plugin.config)


@hostile_settings(60)
@given(model=st.sampled_from([DatasetBuildConfig, TrainConfig]), data=st.data())
def test_dataset_and_training_settings_are_finite_or_invalid(model: type[BaseModel], data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(numeric_keys(model))))
    value = data.draw(hostile_numbers)
    nested: dict[str, object] = {}
    cursor = nested
    *parents, last = key.split(".")
    for part in parents:
        cursor = cursor.setdefault(part, {})  # type: ignore[assignment]
    cursor[last] = value
    try:
        config = model.model_validate(nested)
    except ValidationError as error:
        assert "\n" not in validation_problem(error) and key.split(".")[-1] in validation_problem(error)
    else:
        assert not non_finite(config)


@hostile_settings(25)
@given(compose=st.fixed_dictionaries({key.removeprefix("compose."): hostile_numbers for key in CONFIG_KEYS
                                      if key.startswith("compose.") and "instruments" not in key}),
       rules=st.fixed_dictionaries({key: hostile_numbers for _, name, key in PLUGIN_SETTINGS if name == "rules"}),
       duration=st.floats(min_value=0.5, max_value=90), cut_count=st.integers(0, 12))
def test_valid_numbers_make_a_valid_plan_and_notes(tmp_path: Path, compose: dict[str, float], rules: dict[str, float],
                                                   duration: float, cut_count: int) -> None:
    """What validation lets through, however extreme, the rules planner, the renderers and the performance turn
    into a plan and notes that validate, or fail with one clear error."""
    config = ComposeConfig.model_validate(_valid_part(ComposeConfig, compose))
    planner = MANAGER.create(PluginKind.PLANNER, "rules",
                             _valid_part(MANAGER.get(PluginKind.PLANNER, "rules").Config, rules))
    renderers = [MANAGER.create(PluginKind.RENDERER, name) for name in RULE_RENDERERS]
    cuts = list(np.linspace(0, duration, cut_count + 2)[1:-1].round(2))
    try:
        plan = planner.plan(build_analysis(duration, cuts), config)  # type: ignore[attr-defined]
        tracks = [track for renderer in renderers
                  for track in renderer.render(plan, np.random.default_rng(config.seed))]  # type: ignore[attr-defined]
        played = perform(tracks, plan, config.seed)
    except V2MError as error:
        assert_clear(error)
        return
    type(plan).model_validate(plan.model_dump())
    assert all(type(track).model_validate(track.model_dump()) for track in played)
    write_midi(played, tmp_path / "music.mid", plan)


def _valid_part(model: type[BaseModel], values: dict[str, float]) -> dict[str, float]:
    """The settings among `values` that `model` accepts, each on its own."""
    def accepted(key: str, value: float) -> bool:
        try:
            model.model_validate({key: value})
        except ValidationError:
            return False
        return True

    return {key: value for key, value in values.items() if accepted(key, value)}


# -- the command line ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_video(path, [SceneSpec(1.0, "smptebars", motion="static")], size=(96, 64), fps=10, audio=False)
    return path


def _one_clear_line(err: str, *mentions: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "internal error" not in err, err
    for mention in mentions:
        assert mention in err, (mention, err)


@pytest.mark.parametrize(("option", "key"), [
    (["--seed", "-1"], "compose.seed"),
    (["--seed", str(2**64)], "compose.seed"),
    (["--tempo", "inf"], "compose.tempo"),
    (["--mix-gain-db", "nan"], "compose.mix_gain_db"),
    (["-s", "compose.analysis_width=100000"], "compose.analysis_width"),
    (["-s", "compose.sample_rate=1e9"], "compose.sample_rate"),
    (["-i", "melody=300"], "compose.instruments.melody"),
])
def test_compose_refuses_a_bad_number_before_any_work(cli, clip: Path, tmp_path: Path, option: list[str],
                                                      key: str) -> None:
    result = cli("compose", str(clip), "-o", str(tmp_path / "out.mp4"), *option)
    assert result.code == 2 and not (tmp_path / "out.mp4").exists()
    _one_clear_line(result.err, key, "command line")


@pytest.mark.parametrize("option", [["--seed", "-1"], ["--min-seconds", "nan"], ["-j", "5000"]])
def test_dataset_build_refuses_a_bad_number(cli, tmp_path: Path, option: list[str]) -> None:
    (tmp_path / "videos").mkdir()
    result = cli("dataset", "build", str(tmp_path / "videos"), "-o", str(tmp_path / "data"), *option)
    assert result.code == 2
    _one_clear_line(result.err, "dataset build")


def test_a_config_file_that_is_not_utf8_is_one_clear_error(cli, tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_bytes(b'[compose]\nstyle = "\xff\xfe"\n')
    result = cli("--config", str(file), "config", "show")
    assert result.code == 2
    _one_clear_line(result.err, str(file), "not UTF-8", "line 2")
