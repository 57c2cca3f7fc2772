"""Finding a General MIDI soundfont: explicit path, $V2M_SOUNDFONT, then Debian's packages."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from v2m_core.errors import MediaError, V2MError

SOUNDFONT_ENV = "V2M_SOUNDFONT"
SYSTEM_SOUNDFONTS: tuple[Path, ...] = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),  # Debian fluid-soundfont-gm (MIT)
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),  # Debian timgm6mb-soundfont (GPL-2)
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/soundfonts/default.sf2"),
)


def find_soundfont(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if explicit is not None or environ.get(SOUNDFONT_ENV):
        path = Path(explicit if explicit is not None else environ[SOUNDFONT_ENV])
        if not path.is_file():
            raise MediaError(path, "soundfont not found")
        return path
    for candidate in SYSTEM_SOUNDFONTS:
        if candidate.is_file():
            return candidate
    raise V2MError("no General MIDI soundfont found: install Debian's fluid-soundfont-gm (make setup does) "
                   "or pass --soundfont PATH")
