"""The plugin manager: registration through hooks, lookup errors, broken and disabled plugins."""

from __future__ import annotations

import types

import pytest

from v2m_core.errors import UnknownPluginError, UsageError
from v2m_core.interfaces import Executor, MusicRenderer, PluginConfig, PluginKind
from v2m_core.renderers.learned import LearnedRenderer
from v2m_core.plugins import PluginManager, hookimpl
from v2m_core.testing import isolated_manager

ALL_KINDS = set(PluginKind)


def _module(name: str, **functions: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(functions)
    return module


class Tuba(MusicRenderer[PluginConfig]):
    name = "tuba"
    role = "bass"
    version = "2.0.0"
    description = "test renderer"

    def render(self, plan, rng):  # pragma: no cover - never called here
        return []


def test_builtins_cover_every_kind() -> None:
    manager = isolated_manager()
    assert {r.kind for r in manager.records()} == ALL_KINDS
    assert all(r.source == "builtin" and r.package == "v2m" and r.status == "ok" for r in manager.records())


def test_third_party_module_registers_through_the_hook() -> None:
    @hookimpl
    def register_renderers(register):
        register(Tuba)

    manager = isolated_manager(_module("tuba_plugin", register_renderers=register_renderers))
    record = manager.record(PluginKind.RENDERER, "tuba")
    assert (record.version, record.package, record.source) == ("2.0.0", "tuba_plugin", "entry-point")
    assert manager.get(PluginKind.RENDERER, "tuba") is Tuba


def test_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownPluginError) as caught:
        isolated_manager().get(PluginKind.SYNTHESIZER, "moog")
    assert caught.value.exit_code == 2
    assert "fluidsynth" in str(caught.value) and "moog" in str(caught.value)


def test_hook_with_a_wrong_signature_is_broken_not_fatal() -> None:
    @hookimpl
    def register_renderers(register, extra_argument):
        register(Tuba)

    manager = isolated_manager(_module("badsig", register_renderers=register_renderers))
    broken = [r for r in manager.records() if r.status == "broken"]
    assert [r.name for r in broken] == ["badsig"] and "extra_argument" in (broken[0].error or "")
    assert manager.names(PluginKind.SYNTHESIZER) == ["fluidsynth"]


def test_unknown_hook_name_is_broken() -> None:
    @hookimpl
    def register_renderer(register):  # typo: the spec is register_renderers
        register(Tuba)

    manager = isolated_manager(_module("typo", register_renderer=register_renderer))
    assert [r.status for r in manager.records() if r.name == "typo"] == ["broken"]


def test_registering_a_non_plugin_class_marks_the_module_broken() -> None:
    @hookimpl
    def register_renderers(register):
        register(dict)

    manager = isolated_manager(_module("notaplugin", register_renderers=register_renderers))
    record = next(r for r in manager.records() if r.name == "notaplugin")
    assert record.status == "broken" and "MusicRenderer" in (record.error or "")


def test_a_hook_that_calls_sys_exit_marks_only_its_module_broken() -> None:
    @hookimpl
    def register_renderers(register):
        raise SystemExit(4)

    manager = isolated_manager(_module("quitter", register_renderers=register_renderers))
    record = next(r for r in manager.records() if r.name == "quitter")
    assert record.status == "broken" and record.error == "SystemExit: the plugin called sys.exit(4)"
    assert manager.names(PluginKind.SYNTHESIZER) == ["fluidsynth"]


def test_an_abstract_renderer_cannot_be_registered() -> None:
    class Silent(MusicRenderer[PluginConfig]):  # forgets render()
        name = "silent"

    @hookimpl
    def register_renderers(register):
        register(Silent)

    manager = isolated_manager(_module("silent_plugin", register_renderers=register_renderers))
    record = next(r for r in manager.records() if r.name == "silent_plugin")
    assert record.status == "broken" and "is abstract: it does not implement render" in (record.error or "")
    assert "silent" not in manager.names(PluginKind.RENDERER)
    with pytest.raises(TypeError, match="abstract"):
        Silent()


def test_typed_lookup_returns_the_interface_it_was_asked_for() -> None:
    manager = isolated_manager()
    executor = manager.create(Executor, "processes", {"workers": 2})
    assert isinstance(executor, Executor) and executor.config.workers == 2
    assert manager.get(LearnedRenderer, "drums-learned").name == "drums-learned"
    with pytest.raises(UsageError, match="renderer plugin 'bass' is not a LearnedRenderer"):
        manager.get(LearnedRenderer, "bass")


def test_the_settings_model_is_the_type_argument() -> None:
    class GainConfig(PluginConfig):
        gain: float = 0.5

    class Loud(MusicRenderer[GainConfig]):
        name = "loud"

        def render(self, plan, rng):  # pragma: no cover - never called here
            return []

    assert Loud.Config is GainConfig and Loud().config.gain == 0.5
    with pytest.raises(TypeError, match="name the settings model once"):
        class Twice(MusicRenderer[GainConfig]):
            Config = PluginConfig


def test_duplicate_names_are_refused() -> None:
    @hookimpl
    def register_renderers(register):
        register(Tuba)

    manager = isolated_manager(_module("one", register_renderers=register_renderers),
                               _module("two", register_renderers=register_renderers))
    assert [r.status for r in manager.records() if r.name in ("tuba", "two")] == ["ok", "broken"]


def test_disabled_by_environment_variable() -> None:
    manager = PluginManager(entry_points=False, environ={"V2M_DISABLED_PLUGINS": "attention, serial"})
    assert manager.record(PluginKind.FUSION, "concat").status == "ok"
    assert "attention" not in manager.names(PluginKind.FUSION)
    with pytest.raises(UsageError, match="disabled"):
        manager.get(PluginKind.EXECUTOR, "serial")


def test_settings_are_validated_by_the_plugin_config() -> None:
    manager = isolated_manager()
    assert manager.create(PluginKind.EXECUTOR, "processes", {"workers": 3}).config.workers == 3
    with pytest.raises(UsageError, match=r"processes.*'workers'.*\(got -1\)$"):
        manager.create(PluginKind.EXECUTOR, "processes", {"workers": -1})
    with pytest.raises(UsageError, match="unexpected"):
        manager.create(PluginKind.EXECUTOR, "processes", {"unexpected": 1})


def test_known_plugin_that_is_not_installed_says_how_to_install_it() -> None:
    with pytest.raises(UsageError, match=r"pip install ./plugins/v2m-madmom") as caught:
        isolated_manager().get(PluginKind.RECOGNIZER, "madmom")
    assert caught.value.exit_code == 2
