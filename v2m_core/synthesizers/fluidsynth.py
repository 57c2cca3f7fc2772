"""FluidSynth (the Debian command-line program) renders MIDI with a General MIDI soundfont.

Reverb and chorus are on, so each channel's sends (CC91, CC93, set per role and style by the performance) are
heard: FluidSynth's default room (size 0.2) rings for a fraction of a second and a full send adds about 1 dB, so
a hall-sized room is set. Output is 32-bit float, so a loud passage never clips before mastering. The mix's
loudness table (soundfonts.FLUID_R3) was measured with these defaults: after changing them, remake it with
soundfonts.measure_loudness.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field

from v2m_core import children
from v2m_core.atomic import NO_SPACE_MESSAGES
from v2m_core.errors import DiskFullError, MediaError, MissingProgramError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.synthesizer import Synthesizer
from v2m_core.synthesizers.soundfonts import find_soundfont


class FluidSynthConfig(PluginConfig):
    gain: float = Field(default=0.5, gt=0, le=10, description="FluidSynth master gain (-g); loudness is normalised later.")
    reverb: bool = True
    chorus: bool = True
    reverb_room_size: float = Field(default=0.75, ge=0, le=1, description="Reverb room size (0 small .. 1 large).")
    reverb_damping: float = Field(default=0.4, ge=0, le=1, description="High-frequency damping of the reverb tail.")
    reverb_width: float = Field(default=0.8, ge=0, le=100, description="Stereo width of the reverb.")
    reverb_level: float = Field(default=0.9, ge=0, le=1, description="Output level of the reverb.")
    chorus_level: float = Field(default=0.4, ge=0, le=10,
                                description="Output level of the chorus. FluidR3's synth leads and pads send much of "
                                            "their sound to it: at FluidSynth's own 2.0 a saw lead is 17 dB louder.")
    chorus_depth: float = Field(default=6.0, ge=0, le=256, description="Chorus modulation depth (ms).")


class FluidSynthSynthesizer(Synthesizer[FluidSynthConfig]):
    name = "fluidsynth"
    version = "1.0.0"
    description = "Renders MIDI to WAV with the fluidsynth program and a General MIDI soundfont."

    def check(self, soundfont: Path | None = None) -> None:
        _program()
        find_soundfont(soundfont)

    def synthesize(self, midi: Path, output: Path, sample_rate: int, soundfont: Path | None = None) -> None:
        program = _program()
        font = find_soundfont(soundfont)
        settings = {"synth.reverb.room-size": self.config.reverb_room_size,
                    "synth.reverb.damp": self.config.reverb_damping, "synth.reverb.width": self.config.reverb_width,
                    "synth.reverb.level": self.config.reverb_level, "synth.chorus.level": self.config.chorus_level,
                    "synth.chorus.depth": self.config.chorus_depth}
        command = [program, "-ni", "-q", "-g", str(self.config.gain), "-r", str(sample_rate), "-T", "wav",
                   "-O", "float",
                   "-R", "1" if self.config.reverb else "0", "-C", "1" if self.config.chorus else "0",
                   *(option for name, value in settings.items() for option in ("-o", f"{name}={value}")),
                   "-F", str(output), str(font), str(midi)]
        result = children.run(command, text=True)
        if any(message in result.stderr for message in NO_SPACE_MESSAGES):
            raise DiskFullError(output)
        write_failed = "write error" in result.stderr  # fluidsynth still exits 0, its WAV cut short
        if result.returncode != 0 or write_failed or not output.is_file() or output.stat().st_size <= 44:
            lines = (result.stderr or result.stdout or "no output").strip().splitlines()
            raise MediaError(midi, f"fluidsynth failed: {lines[-1] if lines else 'no output'}")


def _program() -> str:
    """The fluidsynth program's path; MissingProgramError names the package to install when it is not there."""
    program = shutil.which("fluidsynth")
    if program is None:
        raise MissingProgramError("fluidsynth")
    return program
