"""plugins.settings: a table by name serves every plugin of that name; a table by kind and name serves one."""

from __future__ import annotations

import types

import pytest

from v2m_core.errors import UsageError
from v2m_core.interfaces import MusicRenderer, PluginConfig, PluginKind
from v2m_core.plugins import hookimpl
from v2m_core.plugins.settings import check_plugin_settings, settings_for
from v2m_core.testing import isolated_manager


def test_the_kind_table_wins_key_by_key_over_the_name_table() -> None:
    settings = {"chords": {"a": 1, "b": 2}, "renderer": {"chords": {"b": 3}}, "step": {"chords": {"c": 4}}}
    assert settings_for(settings, PluginKind.RENDERER, "chords") == {"a": 1, "b": 3}
    assert settings_for(settings, PluginKind.STEP, "chords") == {"a": 1, "b": 2, "c": 4}
    assert settings_for(settings, PluginKind.SYNTHESIZER, "fluidsynth") == {}


def test_a_kind_table_is_checked_against_that_kind_alone() -> None:
    manager = isolated_manager()
    check_plugin_settings({"synthesizer": {"fluidsynth": {"gain": 0.3}}}, manager)
    with pytest.raises(UsageError, match=r"plugins.settings.renderer.fluidsynth: there is no renderer plugin"):
        check_plugin_settings({"renderer": {"fluidsynth": {"gain": 0.3}}}, manager)
    with pytest.raises(UsageError, match=r"synthesizer.fluidsynth: key 'gian'.*did you mean 'gain'.*takes .*gain"):
        check_plugin_settings({"synthesizer": {"fluidsynth": {"gian": 0.3}}}, manager)
    with pytest.raises(UsageError, match="expected a table of settings"):
        check_plugin_settings({"synthesizer": {"fluidsynth": 0.3}}, manager)


def test_a_plugin_named_like_a_kind_is_refused() -> None:
    class Renderer(MusicRenderer[PluginConfig]):
        name = "renderer"

        def render(self, plan, rng):  # pragma: no cover - never called
            return []

    @hookimpl
    def register_renderers(register):
        register(Renderer)

    module = types.ModuleType("kind_named")
    module.register_renderers = register_renderers  # type: ignore[attr-defined]
    manager = isolated_manager(module)
    record = next(r for r in manager.records() if r.name == "kind_named")
    assert record.status == "broken" and "named like a plugin kind" in (record.error or "")
