"""The plugin manager: pluggy underneath, typed registries keyed by (kind, name) on top.

Built-in plugins go through the same hooks as third-party ones (llm's DEFAULT_PLUGINS, tox's
internal plugins). Third-party plugins are found through the `v2m` entry-point group with stdlib
`importlib.metadata`; each is loaded in its own try so one broken package never hides the rest.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import inspect
import os
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any, TypeVar, overload

import pluggy
from pydantic import ValidationError

from v2m_core.errors import UnknownPluginError, UsageError, V2MError
from v2m_core.interfaces import interface_of
from v2m_core.interfaces.base import Plugin, PluginKind
from v2m_core.plugins import hookspecs
from v2m_core.plugins.catalogue import install_hint
from v2m_core.plugins.records import PluginRecord, Source, Status
from v2m_core.schemas.base import validation_problem

ENTRY_POINT_GROUP = "v2m"
DISABLED_ENV = "V2M_DISABLED_PLUGINS"
"""Comma-separated plugin or entry-point names never to load or use (like tox's TOX_DISABLED_EXTERNAL_PLUGINS)."""
LOAD_ENV = "V2M_LOAD_PLUGINS"
"""When set, only these entry points are loaded (comma-separated; empty loads none), like llm's LLM_LOAD_PLUGINS."""

BUILTIN_MODULES: tuple[str, ...] = ("v2m_core.builtins",)
CORE_PACKAGE = "v2m"
PluginT = TypeVar("PluginT", bound=Plugin[Any])
"""The interface a lookup asks for (`manager.create(Planner, "rules")`), and so the type it returns."""


def _names(value: str | None) -> set[str]:
    return {part.strip() for part in (value or "").split(",") if part.strip()}


PLUGIN_FAILURES = (Exception, SystemExit)
"""What a plugin's import or hook may raise and only mark that plugin broken: `sys.exit()` in a plugin
module must not end the CLI. KeyboardInterrupt still stops everything."""


def _error_text(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"SystemExit: the plugin called sys.exit({error.code!r})"
    return " ".join(f"{type(error).__name__}: {error}".split())


class PluginManager:
    """Loads plugins once and answers lookups by kind and name."""

    def __init__(
        self,
        *,
        builtin_modules: Iterable[str] = BUILTIN_MODULES,
        entry_points: bool = True,
        disabled: Iterable[str] = (),
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self._pm = pluggy.PluginManager(hookspecs.PROJECT)
        self._pm.add_hookspecs(hookspecs)
        self._disabled = set(disabled) | _names(environ.get(DISABLED_ENV))
        self._allowed = _names(environ[LOAD_ENV]) if LOAD_ENV in environ else None
        self._records: list[PluginRecord] = []
        self._origin: dict[str, tuple[Source, str, str | None]] = {}
        for module_name in builtin_modules:
            self.register_module(importlib.import_module(module_name), source="builtin")
        if entry_points:
            self._load_entry_points()

    # -- loading -------------------------------------------------------------------------------

    def register_module(self, module: ModuleType, *, source: Source = "builtin", package: str = CORE_PACKAGE,
                        entry_point: str | None = None) -> None:
        """Register a module of hook implementations and collect the classes it registers."""
        name = entry_point or module.__name__
        try:
            self._pm.register(module, name=name)
            self._pm.check_pending()
        except (ValueError, pluggy.PluginValidationError) as error:
            if self._pm.is_registered(module):
                self._pm.unregister(module)
            self._broken(name, package, source, entry_point, error)
            return
        self._origin[name] = (source, package, entry_point)
        self._collect(name)

    def _load_entry_points(self) -> None:
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist
            package = dist.name if dist else entry_point.value.split(".")[0]
            version = dist.version if dist else "?"
            if entry_point.name in self._disabled or (self._allowed is not None and entry_point.name not in self._allowed):
                self._records.append(PluginRecord(entry_point.name, None, version, package, "entry-point", "disabled",
                                                  entry_point=entry_point.value))
                continue
            try:
                module = entry_point.load()
            except PLUGIN_FAILURES as error:  # any import failure marks the plugin broken
                self._broken(entry_point.name, package, "entry-point", entry_point.value, error, version)
                continue
            self.register_module(module, source="entry-point", package=package, entry_point=entry_point.name)

    def _broken(self, name: str, package: str, source: Source, entry_point: str | None, error: BaseException,
                version: str = "?") -> None:
        self._records.append(PluginRecord(name, None, version, package, source, "broken",
                                          entry_point=entry_point, error=_error_text(error)))

    def _collect(self, plugin_name: str) -> None:
        source, package, entry_point = self._origin[plugin_name]
        module = self._pm.get_plugin(plugin_name)
        for kind, hook_name in hookspecs.HOOK_OF_KIND.items():
            for impl in getattr(self._pm.hook, hook_name).get_hookimpls():
                if impl.plugin is not module:
                    continue
                def register(cls: type[Plugin[Any]], kind: PluginKind = kind) -> None:
                    self._add(kind, cls, source, package, entry_point)

                try:
                    impl.function(**{"register": register} if "register" in impl.argnames else {})
                except PLUGIN_FAILURES as error:  # a failing hook marks only this plugin broken
                    self._broken(plugin_name, package, source, entry_point, error)

    def _add(self, kind: PluginKind, cls: type[Plugin[Any]], source: Source, package: str,
             entry_point: str | None) -> None:
        interface = interface_of(kind)
        if not (isinstance(cls, type) and issubclass(cls, interface)) or not getattr(cls, "name", ""):
            raise TypeError(f"{cls!r} is not a named {interface.__name__} subclass")
        if cls.name in {member.value for member in PluginKind}:
            raise TypeError(f"{kind.value} plugin '{cls.name}' is named like a plugin kind: plugins.settings.{cls.name} "
                            f"holds the settings of {cls.name} plugins, so choose another name")
        if inspect.isabstract(cls):
            missing = ", ".join(sorted(getattr(cls, "__abstractmethods__", ())))
            raise TypeError(f"{kind.value} plugin '{cls.name}' ({cls.__module__}.{cls.__qualname__}) is abstract: "
                            f"it does not implement {missing}")
        if any(r.kind == kind and r.name == cls.name for r in self._records):
            raise ValueError(f"{kind.value} plugin '{cls.name}' is already registered")
        status: Status = "disabled" if cls.name in self._disabled or entry_point in self._disabled else "ok"
        self._records.append(PluginRecord(cls.name, kind, cls.version, package, source, status,
                                          plugin_class=cls, entry_point=entry_point))

    # -- queries -------------------------------------------------------------------------------

    def records(self, kind: PluginKind | None = None) -> list[PluginRecord]:
        """Every plugin known, broken and disabled ones included, in registration order."""
        return [r for r in self._records if kind is None or r.kind == kind]

    def names(self, kind: PluginKind) -> list[str]:
        """Names usable for `kind` (status ok)."""
        return sorted(r.name for r in self._records if r.kind == kind and r.status == "ok")

    def record(self, kind: PluginKind, name: str) -> PluginRecord:
        for record in self._records:
            if record.kind == kind and record.name == name:
                if record.status == "disabled":
                    raise UsageError(f"{kind.value} plugin '{name}' is disabled ({DISABLED_ENV} or plugins.disabled)")
                return record
        hint = install_hint(kind, name)
        if hint is not None:
            raise UsageError(hint)
        raise UnknownPluginError(kind.value, name, self.names(kind))

    @overload
    def get(self, kind: type[PluginT], name: str) -> type[PluginT]: ...

    @overload
    def get(self, kind: PluginKind, name: str) -> type[Plugin[Any]]: ...

    def get(self, kind: type[PluginT] | PluginKind, name: str) -> type[PluginT] | type[Plugin[Any]]:
        """The plugin class registered as `name`; unknown names list the valid ones.

        Asked by interface (`get(Planner, "rules")`) the class is typed as that interface, and a plugin of the
        right kind that does not subclass it (a renderer that is no LearnedRenderer, say) is a usage error.
        """
        plugin_kind = kind if isinstance(kind, PluginKind) else kind.kind
        plugin_class = self.record(plugin_kind, name).plugin_class
        if plugin_class is None:
            raise V2MError(f"{plugin_kind.value} plugin '{name}' failed to load")
        if not isinstance(kind, PluginKind) and not issubclass(plugin_class, kind):
            raise UsageError(f"{plugin_kind.value} plugin '{name}' is not a {kind.__name__}")
        return plugin_class

    @overload
    def create(self, kind: type[PluginT], name: str, settings: Mapping[str, Any] | None = None) -> PluginT: ...

    @overload
    def create(self, kind: PluginKind, name: str, settings: Mapping[str, Any] | None = None) -> Plugin[Any]: ...

    def create(self, kind: type[PluginT] | PluginKind, name: str,
               settings: Mapping[str, Any] | None = None) -> PluginT | Plugin[Any]:
        """Instantiate a plugin with its settings validated by the plugin's own Config model (typed as `get`)."""
        plugin_class = self.get(kind, name)
        try:
            config = plugin_class.Config.model_validate(dict(settings or {}))
        except ValidationError as error:
            raise UsageError(f"settings of {plugin_class.kind.value} plugin '{name}': "
                             f"{validation_problem(error)}") from None
        return plugin_class(config)
