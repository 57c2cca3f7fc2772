"""Built-in music renderers, one per role."""

from v2m_core.renderers.bass import BassRenderer
from v2m_core.renderers.chords import ChordsRenderer
from v2m_core.renderers.drums import DrumsRenderer
from v2m_core.renderers.melody import MelodyRenderer

__all__ = ["BassRenderer", "ChordsRenderer", "DrumsRenderer", "MelodyRenderer"]
