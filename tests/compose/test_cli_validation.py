"""The CLI fails fast and reads right: every name checked before the video is read, with a near name offered;
help that lists valid values; click's usage errors printed like v2m's; real JSON from `config show`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from v2m_cli.output import default_plugin_notice
from v2m_core.compose.request import ORIGINAL_AUDIO, STYLES
from v2m_core.interfaces.base import PluginKind
from v2m_core.plugins import PluginManager
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer


@pytest.fixture
def not_a_video(tmp_path: Path) -> Path:
    """A file named like a video that is none: any check that passes reaches the probe and fails there."""
    path = tmp_path / "clip.mp4"
    path.write_text("not a video\n")
    return path


def _usage_error(result) -> str:
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err, result.err
    assert result.err.startswith("error: "), result.err
    return result.err


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--style", "jazz", "unknown style 'jazz'; valid: auto, cinematic, pop, ambient, electronic"),
    ("--style", "electornic", "did you mean 'electronic'?"),
    ("--original-audio", "kep", "did you mean 'keep'?"),
    ("--planner", "rule", "did you mean 'rules'?"),
    ("--renderers", "chords,bas", "did you mean 'bass'?"),
    ("--key", "H minor", "invalid key 'H minor'"),
    ("--set", "plugins.settings.fluidsinth.gain=0.4", "there is no plugin 'fluidsinth' (did you mean 'fluidsynth'?)"),
    ("--set", "plugins.settings.fluidsynth.gian=0.4", "key 'gian': Extra inputs are not permitted (got 0.4) "
                                                      "(did you mean 'gain'?)"),
])
def test_names_are_checked_before_the_video_is_read(cli, tmp_path: Path, not_a_video: Path, option: str, value: str,
                                                    expected: str) -> None:
    output = tmp_path / "out.mp4"
    err = _usage_error(cli("compose", str(not_a_video), "-o", str(output), option, value))
    assert expected in err and "not a video" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


def test_model_goes_with_the_amt_planner_only(cli, not_a_video: Path, tmp_path: Path) -> None:
    err = _usage_error(cli("compose", str(not_a_video), "-o", str(tmp_path / "out.mp4"), "--model", "run.pt",
                           "--planner", "rules"))
    assert "--model" in err and "--planner amt" in err


def test_config_show_checks_like_compose_and_prints_json_values(cli) -> None:
    assert "unknown style 'jazz'" in _usage_error(cli("config", "show", "-s", "compose.style=jazz"))
    assert "did you mean 'rules'?" in _usage_error(cli("config", "show", "-s", "compose.planner=\"rule\""))
    result = cli("config", "show", "-f", "json", "-s", "compose.seed=3")
    values = {row["key"]: row["value"] for row in json.loads(result.out)}
    assert result.code == 0
    assert values["compose.seed"] == 3 and values["compose.renderers"] == ["chords", "bass", "melody", "drums"]
    assert values["compose.tempo"] is None and values["compose.target_lufs"] == -14.0


def test_click_usage_errors_read_like_v2m_errors(cli, not_a_video: Path, tmp_path: Path) -> None:
    err = _usage_error(cli("compose", str(not_a_video), "-o", str(tmp_path / "out.mp4"), "--stlye", "pop"))
    assert "No such option: --stlye" in err and "--style" in err and "v2m compose --help" in err
    assert "Missing option '--output'" in _usage_error(cli("compose", str(not_a_video)))


def test_compose_help_lists_valid_values_and_flags_read_as_flags(cli) -> None:
    result = cli("compose", "--help")
    assert result.code == 0
    assert all(style in result.out for style in STYLES) and all(mode in result.out for mode in ORIGINAL_AUDIO)
    assert "NAME[,NAME...]" in result.out and "ROLE=PROGRAM" in result.out and "Examples" in result.out
    options = [line for line in result.out.splitlines() if "--" in line and "--help" not in line]
    assert not [line for line in options if "<bool>" in line or "<list[" in line]
    assert any("--copy-video" in line for line in options) and any("--stems" in line for line in options)


@pytest.mark.parametrize("command", [("train", "drums"), ("train", "melody"), ("dataset", "build")])
def test_workers_is_j_everywhere(cli, command: tuple[str, ...]) -> None:
    lines = [line for line in cli(*command, "--help").out.splitlines() if "--workers" in line]
    assert len(lines) == 1 and " -j " in lines[0], lines


def test_plugins_info_shows_settings_as_a_table(cli) -> None:
    result = cli("plugins", "info", "fluidsynth")
    header = next(line for line in result.out.splitlines() if "setting" in line and "choices" in line)
    assert all(column in header for column in ("type", "default", "description"))
    assert "float (0..10)" in result.out and "plugins.settings.fluidsynth" in result.out


def test_a_restrictive_default_plugin_is_noted_once_with_how_to_choose_another() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=300)

    class NonCommercial(FluidSynthSynthesizer):
        name = "nc-synth"
        licence_note = "models for non-commercial use only."
        restrictive_licence = True

    default_plugin_notice(console, FluidSynthSynthesizer, "--synthesizer NAME")
    assert buffer.getvalue() == ""
    default_plugin_notice(console, NonCommercial, "--synthesizer NAME")
    assert buffer.getvalue().splitlines() == [
        "note: using synthesizer plugin 'nc-synth' by default: models for non-commercial use only. Choose another "
        "with --synthesizer NAME."]


@pytest.mark.skipif("madmom" not in PluginManager().names(PluginKind.RECOGNIZER), reason="v2m-madmom not installed")
def test_chords_notes_madmom_licence_only_when_it_is_the_default(cli, tmp_path: Path) -> None:
    import numpy as np
    import soundfile

    tone = tmp_path / "tone.wav"
    soundfile.write(tone, 0.3 * np.sin(2 * np.pi * 220 * np.arange(2 * 22050) / 22050), 22050)
    by_default = cli("chords", str(tone))
    assert by_default.code == 0 and by_default.err.count("note: using recognizer plugin 'madmom'") == 1
    assert "non-commercial" in by_default.err and "--recognizer" in by_default.err
    named = cli("chords", str(tone), "--recognizer", "madmom")
    assert named.code == 0 and "note:" not in named.err


def test_a_misspelt_plugin_setting_names_the_plugin_and_its_keys_in_every_command(cli, tmp_path: Path) -> None:
    (tmp_path / "videos").mkdir()
    for command in (("config", "show"), ("dataset", "build", str(tmp_path / "videos"), "-o", str(tmp_path / "data"))):
        result = cli(*command, "-s", "plugins.settings.fluidsynth.gian=1")
        assert result.code == 2, command
        assert "did you mean 'gain'?" in result.err and "synthesizer plugin 'fluidsynth' takes " in result.err
        assert " gain," in result.err and not (tmp_path / "data").exists()
