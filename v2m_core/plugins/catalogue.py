"""Plugins v2m knows about but that live in their own packages (nerfstudio's ExternalMethod idea).

Asking for one that is not installed is answered with how to install it instead of a bare
"unknown name".
"""

from __future__ import annotations

from v2m_core.interfaces.base import PluginKind

PACKAGE_OF: dict[tuple[PluginKind, str], str] = {
    (PluginKind.RECOGNIZER, "madmom"): "v2m-madmom",
    (PluginKind.RECOGNIZER, "essentia"): "v2m-essentia",
    (PluginKind.RECOGNIZER, "btc"): "v2m-btc",
    (PluginKind.RECOGNIZER, "btc-large"): "v2m-btc",
    (PluginKind.RECOGNIZER, "omnizart"): "v2m-omnizart",
    (PluginKind.STEP, "transcription"): "v2m-basic-pitch",
    (PluginKind.STEP, "semantic-efficientnet"): "v2m-semantic",
    (PluginKind.STEP, "semantic-clip"): "v2m-semantic",
    (PluginKind.STEP, "emotion-clip"): "v2m-semantic",
    (PluginKind.EXECUTOR, "ray"): "v2m-ray",
}


def install_hint(kind: PluginKind, name: str) -> str | None:
    """How to get a known plugin that is not installed, or None for names v2m does not know."""
    package = PACKAGE_OF.get((kind, name))
    if package is None:
        return None
    return (f"{kind.value} plugin '{name}' is not installed: it comes with the package {package}; from a v2m "
            f"checkout run `pip install ./plugins/{package}` (`make setup` installs every plugin)")
