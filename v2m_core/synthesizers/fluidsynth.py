"""FluidSynth (the Debian command-line program) renders MIDI with a General MIDI soundfont."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pydantic import Field

from v2m_core.errors import MediaError, V2MError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.synthesizer import Synthesizer
from v2m_core.synthesizers.soundfonts import find_soundfont


class FluidSynthConfig(PluginConfig):
    gain: float = Field(default=0.5, gt=0, le=10, description="FluidSynth master gain (-g); loudness is normalised later.")
    reverb: bool = True
    chorus: bool = False


class FluidSynthSynthesizer(Synthesizer):
    name = "fluidsynth"
    version = "1.0.0"
    description = "Renders MIDI to WAV with the fluidsynth program and a General MIDI soundfont."
    Config = FluidSynthConfig

    def synthesize(self, midi: Path, output: Path, sample_rate: int, soundfont: Path | None = None) -> None:
        assert isinstance(self.config, FluidSynthConfig)
        program = shutil.which("fluidsynth")
        if program is None:
            raise V2MError("fluidsynth is not installed: apt-get install fluidsynth (make setup does)")
        font = find_soundfont(soundfont)
        command = [program, "-ni", "-q", "-g", str(self.config.gain), "-r", str(sample_rate), "-T", "wav",
                   "-R", "1" if self.config.reverb else "0", "-C", "1" if self.config.chorus else "0",
                   "-F", str(output), str(font), str(midi)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not output.is_file() or output.stat().st_size <= 44:
            lines = (result.stderr or result.stdout or "no output").strip().splitlines()
            raise MediaError(midi, f"fluidsynth failed: {lines[-1] if lines else 'no output'}")
