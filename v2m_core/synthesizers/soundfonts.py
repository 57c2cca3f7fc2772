"""Finding a General MIDI soundfont (explicit path, $V2M_SOUNDFONT, then Debian's packages), and how loud each of
its programs and drum keys sounds, so a mix can be balanced from the notes before anything is rendered."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from v2m_core.media.loudness import integrated_lufs
from v2m_core.music.midi_file import write_midi
from v2m_core.errors import MediaError, V2MError
from v2m_core.interfaces.synthesizer import Synthesizer
from v2m_core.schemas.midi import CHORUS, EXPRESSION, REVERB, VOLUME, ControlChange, MidiTrack, Note

SOUNDFONT_ENV = "V2M_SOUNDFONT"
SYSTEM_SOUNDFONTS: tuple[Path, ...] = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),  # Debian fluid-soundfont-gm (MIT)
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),  # Debian timgm6mb-soundfont (GPL-2)
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/soundfonts/default.sf2"),
)


def find_soundfont(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The soundfont asked for (checked to be an SF2 file), else the system's General MIDI one."""
    environ = os.environ if environ is None else environ
    if explicit is not None or environ.get(SOUNDFONT_ENV):
        path = Path(explicit if explicit is not None else environ[SOUNDFONT_ENV])
        check_soundfont(path)
        return path
    for candidate in SYSTEM_SOUNDFONTS:
        if candidate.is_file():
            return candidate
    raise V2MError("no General MIDI soundfont found: apt-get install fluid-soundfont-gm (Debian/Ubuntu), or pass "
                   f"--soundfont FILE.sf2 or set {SOUNDFONT_ENV} (any General MIDI .sf2, e.g. FluidR3_GM)")


def check_soundfont(path: Path) -> None:
    """Refuse anything but an SF2 file (a RIFF file of form type 'sfbk'): given another file, FluidSynth warns and
    plays its default font, so the music would silently not be what was asked for."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(12)
    except FileNotFoundError:
        raise MediaError(path, "soundfont not found") from None
    except IsADirectoryError:
        raise MediaError(path, "is a folder, not a soundfont") from None
    except OSError as error:
        raise MediaError(path, f"cannot read the soundfont ({error.strerror})") from None
    if header[:4] != b"RIFF" or header[8:12] != b"sfbk":
        raise MediaError(path, "not an SF2 soundfont (no RIFF 'sfbk' header)")


REGISTERS: tuple[tuple[int, ...], ...] = ((33, 36, 39, 42, 45, 48), (53, 56, 59, 62, 65, 68), (67, 70, 73, 76, 79, 82))
"""Pitches played to measure a program low (a bass line), in the middle (chords) and high (a melody): minor thirds,
so that every sample zone of a preset is heard (neighbouring zones differ by a dB or two)."""
NOTE_SECONDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Note lengths measured: a decaying sound (piano, vibraphone) is quieter the longer its notes are held, a pad
with a slow attack louder."""
DRUM_KEYS = range(35, 82)
"""General MIDI percussion keys."""
DRUM_SECONDS = 0.25
"""A drum key is measured struck every this many seconds; a stroke counts for this long in an estimate."""
PLAYED_SECONDS, REST_SECONDS = 4.0, 1.5
"""Each measurement plays this long (at least each pitch of its register once), then rests while the sound dies
away."""
LONGEST_NOTE = 16.0
"""Beyond the longest length measured, a note's loudness follows the trend of the last two lengths up to this."""
REFERENCE_VELOCITY = 100
STEP_SECONDS = 0.1
"""BS.1770 measures 400 ms blocks every 100 ms; an estimate sums note power on the same steps."""
CHORUS_WET = 0.12
"""Power the synthesizer's chorus adds, relative to the sound, at a chorus send of 127."""
SEND_EXPONENT = 1.4
"""A send's wet power grows with the controller value to this power (measured: a preset's own send adds to it)."""
FULL_SEND = 127
DEFAULT_VOLUME, FULL_EXPRESSION = 100, 127
REVERB_SLOT = (1, 2)
"""(register, length) index of the slot played again with a full reverb send to measure what the send adds."""
REVERB_DRUM = 38
"""The drum key (snare) struck again with a full reverb send."""


@dataclass(frozen=True)
class LoudnessTable:
    """How loud a soundfont's sounds are, in integrated LUFS at velocity 100, the default channel volume and no
    effect sends (a preset's own sends still reach the synthesizer's reverb and chorus)."""

    programs: tuple[tuple[float, ...], ...]
    """Per General MIDI program: for each register of REGISTERS, for each length of NOTE_SECONDS (notes back to
    back), then the dB a full reverb send adds."""
    drums: tuple[float, ...]
    """Each key of DRUM_KEYS struck every DRUM_SECONDS, then the dB a full reverb send adds."""

    def note_levels(self, program: int, pitches: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Loudness of notes of `program` at velocity 100, interpolated in pitch between the registers' centres
        and in the logarithm of their length (a held pad swells on, a piano dies away past the longest measured)."""
        grid = np.asarray(self.programs[program][:-1]).reshape(len(REGISTERS), len(NOTE_SECONDS))
        measured = np.log2(NOTE_SECONDS)
        lengths = np.log2(np.clip(seconds, NOTE_SECONDS[0], LONGEST_NOTE))
        beyond = np.maximum(lengths - measured[-1], 0)
        trend = (grid[:, -1] - grid[:, -2]) / (measured[-1] - measured[-2])
        by_register = np.stack([np.interp(lengths, measured, row) for row in grid]) + trend[:, None] * beyond
        centres = np.array([np.mean(register) for register in REGISTERS])
        pitch = np.clip(pitches, centres[0], centres[-1])
        upper = np.clip(np.searchsorted(centres, pitch, side="right"), 1, len(centres) - 1)
        weight = (pitch - centres[upper - 1]) / (centres[upper] - centres[upper - 1])
        columns = np.arange(len(pitch))
        return by_register[upper - 1, columns] * (1 - weight) + by_register[upper, columns] * weight

    def drum_levels(self, keys: np.ndarray) -> np.ndarray:
        """Loudness of drum keys struck every DRUM_SECONDS; keys outside General MIDI's take the kit's median."""
        levels = np.asarray(self.drums[:-1])
        inside = (keys >= DRUM_KEYS.start) & (keys < DRUM_KEYS.stop)
        return np.where(inside, levels[np.clip(keys - DRUM_KEYS.start, 0, len(levels) - 1)], np.median(levels))

    def reverb_wet(self, track: MidiTrack) -> float:
        """Power a full reverb send adds to the track's sound, relative to it (short percussive sounds measure
        a little below zero: nothing)."""
        return max(0.0, float(10 ** ((self.drums if track.is_drum else self.programs[track.program])[-1] / 10) - 1))

    def estimate(self, track: MidiTrack, duration: float) -> float:
        """The track's integrated loudness as the synthesizer would render it alone, in LUFS: every note's power
        from the table, its velocity (40 log10: the default velocity curve), and the channel volume, expression
        and effect sends halfway through it, summed on 100 ms steps and gated as BS.1770 gates. -inf for no notes."""
        if not track.notes:
            return float("-inf")
        starts = np.array([note.start for note in track.notes])
        if track.is_drum:
            ends = starts + DRUM_SECONDS
            levels = self.drum_levels(np.array([note.pitch for note in track.notes]))
        else:
            ends = np.array([note.end for note in track.notes])
            levels = self.note_levels(track.program, np.array([note.pitch for note in track.notes]), ends - starts)
        velocities = np.array([note.velocity for note in track.notes], dtype=float)
        levels += 40 * np.log10(velocities / REFERENCE_VELOCITY) + self._control_gains(track, (starts + ends) / 2)
        power = _step_power(starts, ends, 10 ** (levels / 10), int(np.ceil(duration / STEP_SECONDS)) + 2)
        blocks = np.convolve(power, np.full(4, 0.25), mode="valid")
        blocks = blocks[blocks > 1e-7]  # BS.1770's absolute gate at -70 LUFS
        if not len(blocks):
            return float("-inf")
        relative = blocks.mean() / 10  # the relative gate, 10 LU under the mean of the blocks above the absolute one
        return float(10 * np.log10(blocks[blocks > relative].mean()))

    def _control_gains(self, track: MidiTrack, times: np.ndarray) -> np.ndarray:
        """dB the track's channel volume, expression and effect sends add at each of `times` (FluidSynth's default
        modulators: volume and expression 40 log10 of the value; the sends add wet power)."""
        def value_at(control: int, default: int) -> np.ndarray:
            events = [(c.time, c.value) for c in track.controls if c.control == control]
            if not events:
                return np.full(len(times), float(default))
            moments = np.array([time for time, _ in events])
            values = np.array([default] + [value for _, value in events], dtype=float)
            return values[np.searchsorted(moments, times, side="right")]

        volume = np.maximum(value_at(VOLUME, DEFAULT_VOLUME), 1) / DEFAULT_VOLUME
        expression = np.maximum(value_at(EXPRESSION, FULL_EXPRESSION), 1) / FULL_EXPRESSION
        wet = (self.reverb_wet(track) * (value_at(REVERB, 0) / FULL_SEND) ** SEND_EXPONENT
               + CHORUS_WET * (value_at(CHORUS, 0) / FULL_SEND) ** SEND_EXPONENT)
        return 40 * np.log10(volume) + 40 * np.log10(expression) + 10 * np.log10(1 + wet)


def _step_power(starts: np.ndarray, ends: np.ndarray, powers: np.ndarray, steps: int) -> np.ndarray:
    """Mean power over each step of STEP_SECONDS, each note counted for the part of the step it covers: the
    energy up to an edge t is the sum of power x (min(t, end) - start) over the notes begun, a running sum."""
    edges = np.arange(steps + 1) * STEP_SECONDS
    slope, offset = np.zeros(steps + 2), np.zeros(steps + 2)
    for times, sign in ((starts, 1.0), (ends, -1.0)):
        after = np.clip(np.floor(times / STEP_SECONDS).astype(int) + 1, 0, steps + 1)  # the first edge past each time
        np.add.at(slope, after, sign * powers)
        np.add.at(offset, after, sign * powers * times)
    energy = edges * np.cumsum(slope)[:steps + 1] - np.cumsum(offset)[:steps + 1]
    return np.diff(energy) / STEP_SECONDS


def measure_loudness(synthesizer: Synthesizer, folder: Path, programs: Sequence[int], drums: bool,
                     soundfont: Path | None = None, sample_rate: int = 22050) -> LoudnessTable:
    """Render and measure the rows of a LoudnessTable with `synthesizer` as it renders music: one file per program
    (and one for the kit), each measurement in its own slot, the last one again with a full reverb send. Rows not
    asked for are empty. FLUID_R3 was made with this from the fluidsynth synthesizer's defaults and FluidR3_GM,
    every program and the kit (2-3 minutes)."""
    rows: list[tuple[float, ...]] = [() for _ in range(128)]
    cells = [(register, length) for register in REGISTERS for length in NOTE_SECONDS]
    again = REVERB_SLOT[0] * len(NOTE_SECONDS) + REVERB_SLOT[1]
    for program in programs:
        slots = [[Note(pitch=pitches[k % len(pitches)], start=k * length, end=(k + 1) * length,
                       velocity=REFERENCE_VELOCITY) for k in range(max(len(pitches), round(PLAYED_SECONDS / length)))]
                 for pitches, length in cells]
        levels = _slot_levels(synthesizer, MidiTrack(name="measure", role="measure", program=program),
                              [*slots, slots[again]], folder, soundfont, sample_rate)
        rows[program] = (*levels[:-1], round(levels[-1] - levels[again], 1))
    kit: tuple[float, ...] = ()
    if drums:
        slots = [[Note(pitch=key, start=k * DRUM_SECONDS, end=k * DRUM_SECONDS + 0.05, velocity=REFERENCE_VELOCITY)
                  for k in range(int(round(PLAYED_SECONDS / DRUM_SECONDS)))] for key in DRUM_KEYS]
        snare = REVERB_DRUM - DRUM_KEYS.start
        levels = _slot_levels(synthesizer, MidiTrack(name="measure", role="drums", is_drum=True),
                              [*slots, slots[snare]], folder, soundfont, sample_rate)
        kit = (*levels[:-1], round(levels[-1] - levels[snare], 1))
    return LoudnessTable(programs=tuple(rows), drums=kit)


def _slot_levels(synthesizer: Synthesizer, track: MidiTrack, slots: list[list[Note]], folder: Path,
                 soundfont: Path | None, sample_rate: int) -> list[float]:
    """LUFS of each slot's notes played in turn on `track`, the last slot with a full reverb send; a register the
    program cannot sound takes its quietest heard level."""
    played = [max(note.end for note in slot) for slot in slots]
    starts = np.cumsum([0.0] + [seconds + REST_SECONDS for seconds in played])
    notes = [note.model_copy(update={"start": note.start + start, "end": note.end + start})
             for start, slot in zip(starts, slots) for note in slot]
    send = ControlChange(time=starts[-2], control=REVERB, value=FULL_SEND)
    midi, wav = folder / "measure.mid", folder / "measure.wav"
    write_midi([track.model_copy(update={"notes": notes, "controls": [send]})], midi)
    synthesizer.synthesize(midi, wav, sample_rate, soundfont)
    audio, _ = soundfile.read(wav, dtype="float32", always_2d=True)
    levels = [round(integrated_lufs(audio[int(start * sample_rate):int((start + seconds) * sample_rate)],
                                    sample_rate), 1) for start, seconds in zip(starts, played)]
    heard = [level for level in levels if np.isfinite(level)]
    fallback = min(heard) if heard else -70.0
    return [level if np.isfinite(level) else fallback for level in levels]


FLUID_R3 = LoudnessTable(
    programs=(
        (-26.8, -28.2, -29.9, -32.4, -33.7, -26.5, -28.2, -30.3, -32.2, -33.2, -27.7, -29.7, -32.0, -33.8, -34.8, 0.8),
        (-27.2, -28.6, -30.3, -32.8, -34.1, -26.8, -28.6, -30.7, -32.6, -33.6, -28.0, -30.1, -32.3, -34.1, -35.1, 0.8),
        (-23.6, -24.8, -26.9, -29.2, -29.6, -22.9, -24.5, -26.6, -28.6, -29.1, -24.5, -26.5, -29.5, -31.4, -31.5, 0.8),
        (-26.7, -28.4, -30.4, -32.7, -33.5, -26.7, -29.0, -31.6, -33.4, -34.4, -28.3, -30.7, -33.0, -34.6, -35.8, 1.2),
        (-29.6, -29.8, -29.6, -30.1, -31.1, -23.6, -24.2, -24.8, -26.4, -28.0, -22.0, -22.8, -24.9, -26.7, -27.3, 1.5),
        (-26.3, -27.4, -28.6, -30.1, -31.5, -26.3, -27.6, -28.9, -30.5, -32.8, -26.6, -27.6, -29.4, -31.3, -33.1, 1.7),
        (-25.2, -25.9, -27.1, -29.0, -30.2, -24.0, -25.7, -28.1, -29.6, -30.6, -22.6, -25.0, -27.1, -27.7, -28.7, 0.6),
        (-28.3, -30.0, -31.7, -33.7, -36.0, -24.5, -26.4, -28.4, -30.9, -32.2, -24.6, -26.8, -29.5, -31.2, -32.2, 0.7),
        (-24.8, -27.5, -30.1, -30.8, -31.0, -24.3, -27.2, -29.4, -30.2, -30.4, -23.8, -26.6, -29.0, -29.8, -30.0, 1.2),
        (-21.1, -23.0, -25.7, -27.3, -27.8, -22.4, -25.1, -27.7, -28.1, -28.4, -23.7, -26.7, -28.3, -28.7, -29.2, 0.4),
        (-23.7, -25.7, -28.3, -28.8, -29.1, -24.8, -27.1, -29.7, -30.2, -30.2, -24.6, -27.3, -29.1, -29.9, -29.8, 0.5),
        (-28.4, -29.6, -31.4, -33.4, -33.8, -27.0, -28.7, -31.3, -32.8, -33.3, -28.8, -30.6, -33.3, -35.0, -34.8, 1.7),
        (-25.5, -28.3, -30.5, -31.1, -31.1, -24.4, -27.3, -28.9, -29.3, -29.6, -24.2, -27.2, -28.5, -29.1, -29.7, 0.6),
        (-30.1, -33.1, -35.3, -35.8, -35.9, -32.9, -35.8, -36.7, -37.2, -37.4, -34.9, -37.2, -38.4, -39.1, -39.1, -0.7),
        (-20.2, -23.2, -26.5, -29.1, -29.8, -20.9, -24.1, -27.1, -28.7, -29.0, -21.4, -24.5, -27.1, -27.7, -28.1, 1.7),
        (-27.1, -28.8, -31.4, -33.0, -33.4, -29.7, -32.1, -35.1, -35.9, -36.0, -30.5, -33.4, -35.4, -35.9, -36.0, 1.3),
        (-29.8, -29.7, -29.3, -29.7, -30.7, -26.4, -26.4, -26.7, -27.9, -29.2, -25.5, -26.2, -27.6, -28.8, -29.5, 1.9),
        (-23.4, -24.4, -25.3, -26.1, -26.5, -22.9, -23.3, -24.1, -24.7, -25.1, -21.1, -21.7, -22.1, -23.0, -23.4, 1.0),
        (-24.4, -24.6, -24.7, -24.3, -24.2, -24.3, -24.2, -24.0, -24.0, -24.2, -24.1, -24.0, -23.9, -23.6, -23.6, 0.8),
        (-24.8, -24.3, -24.0, -24.0, -23.7, -24.2, -23.9, -23.6, -23.4, -23.3, -21.6, -22.0, -21.9, -21.8, -21.8, 1.0),
        (-26.9, -26.8, -26.7, -26.6, -26.6, -25.7, -25.5, -25.4, -25.2, -25.2, -24.4, -24.1, -23.9, -23.8, -23.8, 1.6),
        (-29.1, -26.6, -26.6, -27.6, -28.6, -26.2, -26.8, -27.9, -28.4, -28.5, -26.0, -26.2, -26.3, -26.2, -26.1, 1.4),
        (-29.4, -28.2, -28.6, -29.1, -29.4, -26.8, -27.5, -28.6, -29.3, -29.6, -23.4, -24.8, -26.0, -26.9, -27.6, 1.4),
        (-28.5, -26.8, -26.8, -27.6, -28.4, -26.1, -26.6, -27.9, -28.4, -28.6, -24.7, -25.3, -25.7, -26.3, -26.5, 0.7),
        (-21.9, -23.0, -24.2, -25.3, -27.2, -23.5, -24.9, -27.0, -28.3, -29.4, -26.8, -29.4, -31.9, -32.8, -34.2, 0.3),
        (-19.9, -22.4, -24.9, -27.1, -29.0, -23.6, -26.0, -28.6, -30.9, -31.7, -25.5, -28.1, -30.4, -31.4, -31.9, 0.6),
        (-25.8, -27.0, -27.6, -29.3, -31.4, -22.7, -24.2, -26.0, -28.1, -29.8, -20.0, -21.6, -23.7, -25.8, -27.4, 1.1),
        (-19.6, -20.3, -21.5, -23.0, -24.6, -24.3, -25.6, -27.9, -29.3, -30.6, -23.6, -25.5, -27.5, -28.8, -29.3, 0.5),
        (-25.6, -28.0, -30.5, -31.7, -32.5, -29.4, -32.1, -33.0, -33.6, -33.6, -32.8, -34.8, -35.1, -35.3, -35.3, -1.6),
        (-21.8, -21.7, -21.3, -20.9, -21.2, -21.6, -21.5, -21.3, -22.1, -24.0, -21.3, -20.2, -20.5, -21.7, -23.5, 0.6),
        (-20.3, -20.7, -21.0, -21.1, -21.7, -19.7, -19.4, -19.4, -20.6, -22.5, -18.7, -17.8, -17.5, -18.5, -20.2, 0.7),
        (-22.3, -21.8, -21.6, -21.4, -21.4, -19.9, -19.5, -19.3, -19.2, -19.1, -18.2, -18.1, -18.1, -18.0, -18.0, 0.7),
        (-24.1, -26.1, -28.5, -30.4, -31.5, -24.6, -26.7, -29.3, -29.9, -30.4, -25.8, -28.2, -30.6, -31.7, -32.2, 0.5),
        (-24.6, -25.3, -26.2, -27.9, -30.1, -23.6, -24.4, -26.0, -27.9, -29.7, -23.6, -25.3, -27.4, -29.0, -30.3, 0.4),
        (-25.1, -25.6, -26.5, -28.1, -30.3, -24.1, -25.1, -26.8, -28.9, -31.1, -23.9, -25.6, -27.9, -29.9, -31.6, 0.5),
        (-22.3, -23.1, -23.9, -25.9, -28.1, -23.4, -23.5, -24.4, -26.2, -27.9, -24.4, -25.9, -27.8, -30.0, -32.2, 0.3),
        (-27.4, -28.6, -30.8, -32.8, -35.0, -30.6, -31.6, -33.2, -35.0, -37.1, -31.6, -33.0, -35.0, -37.0, -38.8, 0.4),
        (-25.9, -27.8, -29.4, -31.6, -33.6, -28.1, -30.0, -32.5, -34.9, -37.4, -29.4, -31.5, -34.0, -36.4, -38.4, 0.5),
        (-24.5, -27.0, -29.0, -29.4, -29.8, -24.3, -27.0, -28.5, -29.1, -29.5, -25.3, -28.3, -28.7, -29.0, -29.3, -0.5),
        (-19.1, -20.4, -21.8, -22.7, -23.2, -19.8, -20.8, -21.4, -21.7, -21.8, -20.2, -20.8, -21.0, -21.1, -21.2, 0.4),
        (-31.5, -28.2, -25.6, -24.4, -23.4, -25.8, -24.4, -23.8, -23.0, -22.8, -25.6, -23.6, -23.5, -23.1, -23.0, 1.1),
        (-28.4, -26.6, -25.1, -24.4, -24.3, -26.6, -25.1, -23.8, -23.3, -23.1, -27.5, -25.2, -23.4, -22.9, -22.7, 1.2),
        (-30.5, -28.5, -26.3, -24.8, -23.9, -28.8, -25.6, -24.9, -24.3, -24.0, -26.4, -24.6, -24.0, -24.5, -24.7, 0.8),
        (-30.4, -28.3, -26.5, -25.4, -25.0, -35.4, -33.2, -31.6, -31.0, -30.7, -35.4, -35.4, -35.4, -35.4, -35.4, 0.5),
        (-28.4, -27.1, -26.0, -25.7, -25.9, -26.3, -26.0, -25.7, -25.6, -25.7, -23.8, -24.1, -23.9, -23.6, -23.5, 0.8),
        (-22.8, -25.6, -27.9, -28.2, -28.3, -23.4, -26.5, -27.5, -27.9, -27.9, -24.8, -27.9, -28.6, -29.1, -29.2, -0.9),
        (-23.6, -26.5, -29.5, -31.8, -32.6, -23.3, -26.3, -28.9, -30.2, -30.9, -26.4, -28.7, -31.8, -33.1, -33.8, 1.1),
        (-26.3, -29.0, -31.7, -33.6, -34.1, -32.1, -34.9, -38.2, -39.1, -39.4, -36.2, -39.0, -42.1, -42.9, -42.9, 1.6),
        (-29.3, -27.8, -26.4, -26.1, -26.2, -26.9, -26.5, -26.0, -25.9, -26.0, -24.4, -24.6, -24.3, -23.9, -23.8, 0.8),
        (-27.1, -24.4, -23.5, -23.2, -23.4, -25.7, -23.9, -23.3, -23.2, -23.3, -23.6, -22.3, -21.6, -21.2, -21.0, 0.8),
        (-24.2, -24.8, -24.7, -24.2, -23.5, -21.8, -22.7, -22.7, -22.6, -22.7, -20.8, -21.8, -21.8, -22.2, -22.4, 0.6),
        (-20.0, -20.8, -21.8, -22.1, -22.0, -20.7, -21.0, -21.1, -21.2, -21.7, -21.6, -21.9, -21.9, -22.2, -22.4, 0.4),
        (-27.0, -26.6, -25.9, -25.6, -25.4, -27.5, -26.9, -26.3, -25.9, -25.8, -25.3, -24.8, -24.1, -23.8, -23.7, 1.1),
        (-32.0, -30.2, -29.2, -29.7, -29.9, -23.8, -25.1, -25.9, -26.9, -27.4, -22.0, -23.3, -24.8, -25.8, -26.3, 1.9),
        (-25.7, -25.8, -25.1, -25.2, -25.2, -23.7, -24.5, -25.0, -25.1, -25.3, -22.9, -23.9, -24.1, -24.3, -24.2, 2.1),
        (-23.5, -25.4, -27.2, -29.8, -31.3, -23.5, -26.2, -29.0, -30.2, -30.5, -24.2, -27.2, -29.4, -30.2, -30.4, 1.4),
        (-28.2, -28.3, -28.5, -28.7, -28.8, -26.4, -26.6, -26.5, -26.6, -26.5, -23.6, -23.9, -23.8, -23.9, -23.9, 0.9),
        (-26.8, -26.4, -26.3, -26.3, -26.4, -21.6, -21.0, -20.6, -20.5, -20.4, -20.8, -20.1, -20.4, -20.2, -20.2, 1.0),
        (-23.9, -23.6, -23.0, -22.8, -22.7, -19.8, -20.1, -20.0, -20.1, -20.1, -22.4, -20.7, -20.8, -20.4, -20.3, 0.9),
        (-26.2, -25.9, -25.5, -25.5, -25.5, -24.4, -24.5, -24.5, -24.5, -24.5, -21.6, -21.5, -21.1, -21.1, -21.1, 0.8),
        (-24.8, -24.5, -24.4, -24.4, -24.4, -23.3, -22.5, -23.1, -23.2, -23.9, -22.6, -21.1, -22.1, -22.2, -22.6, 2.0),
        (-25.7, -24.8, -24.5, -24.3, -24.1, -24.5, -23.8, -23.5, -23.3, -23.1, -22.2, -21.8, -21.4, -21.7, -21.8, 1.8),
        (-22.2, -23.1, -24.3, -25.9, -26.5, -22.8, -23.9, -25.6, -25.5, -25.9, -23.8, -24.8, -25.1, -25.5, -24.9, 1.1),
        (-22.3, -23.4, -24.4, -25.8, -26.6, -23.4, -24.1, -25.5, -25.7, -26.8, -24.4, -25.4, -25.6, -26.0, -25.5, 1.2),
        (-25.5, -25.4, -25.7, -26.0, -26.6, -23.9, -24.1, -24.8, -25.4, -25.8, -20.7, -21.0, -21.4, -21.7, -21.9, 1.4),
        (-22.2, -22.8, -23.1, -23.3, -23.5, -22.4, -22.7, -22.9, -23.1, -23.1, -21.7, -21.9, -22.1, -22.1, -22.1, 1.4),
        (-24.7, -24.7, -24.5, -24.0, -24.1, -22.5, -22.8, -22.4, -22.1, -22.5, -22.9, -23.1, -23.0, -23.2, -24.0, 1.2),
        (-26.0, -26.2, -26.5, -26.7, -26.9, -23.8, -24.4, -24.6, -24.8, -25.1, -26.1, -25.7, -25.9, -26.0, -26.2, 1.3),
        (-29.6, -27.1, -24.6, -23.2, -23.0, -24.5, -23.3, -22.3, -22.5, -22.4, -23.4, -22.4, -20.8, -20.3, -20.2, 1.2),
        (-27.6, -26.4, -25.4, -24.1, -24.0, -28.2, -27.8, -25.6, -23.4, -22.6, -30.8, -28.2, -24.0, -21.4, -20.6, 1.1),
        (-24.6, -24.4, -24.0, -24.3, -24.4, -24.1, -23.4, -23.2, -22.8, -22.7, -23.3, -23.1, -22.3, -22.1, -21.9, 0.8),
        (-28.6, -26.1, -24.7, -23.8, -23.5, -22.4, -21.8, -21.3, -21.1, -21.1, -19.7, -19.8, -19.3, -19.3, -19.5, 1.6),
        (-41.3, -32.3, -27.0, -25.1, -24.1, -27.4, -25.3, -23.4, -22.7, -22.5, -23.9, -23.2, -22.5, -22.1, -22.2, 1.8),
        (-35.0, -29.9, -26.6, -25.3, -24.9, -26.0, -24.6, -24.1, -23.9, -23.8, -22.0, -21.8, -21.8, -21.8, -21.9, 1.3),
        (-28.8, -25.5, -24.1, -24.5, -25.0, -23.1, -23.2, -23.9, -24.5, -24.7, -21.4, -22.3, -22.8, -22.7, -22.9, 2.0),
        (-32.7, -28.5, -24.9, -23.5, -23.0, -25.8, -24.1, -23.3, -23.0, -22.9, -23.7, -23.1, -22.9, -22.9, -22.9, 1.6),
        (-28.6, -24.7, -23.8, -23.6, -24.0, -22.0, -22.2, -22.4, -22.8, -23.0, -21.7, -22.1, -22.6, -22.8, -22.9, 1.7),
        (-31.5, -26.7, -23.4, -24.2, -25.9, -20.5, -20.9, -22.9, -24.5, -25.1, -19.4, -21.6, -23.6, -24.3, -24.9, 1.9),
        (-32.2, -27.9, -22.9, -20.8, -21.3, -22.4, -20.1, -19.5, -20.5, -21.3, -18.8, -19.1, -20.1, -21.0, -21.4, 1.7),
        (-21.1, -21.0, -21.9, -22.3, -21.8, -22.6, -23.5, -22.4, -21.5, -21.0, -22.8, -22.1, -22.0, -21.7, -21.6, 0.6),
        (-21.5, -21.6, -22.8, -22.4, -22.4, -21.3, -21.8, -21.5, -21.8, -21.4, -21.1, -21.1, -21.0, -21.1, -21.1, 0.8),
        (-25.1, -25.0, -23.6, -23.1, -23.1, -23.3, -22.0, -21.7, -21.9, -21.8, -20.7, -20.8, -20.6, -20.7, -20.6, 0.2),
        (-19.9, -21.7, -22.8, -23.8, -25.1, -21.1, -22.1, -23.2, -24.4, -24.4, -21.1, -22.6, -23.9, -23.7, -24.0, 0.8),
        (-24.3, -25.7, -24.9, -24.9, -25.5, -24.2, -24.3, -24.9, -25.3, -25.0, -23.1, -25.3, -26.1, -26.4, -27.3, 0.8),
        (-25.2, -25.8, -26.8, -28.6, -30.3, -23.3, -24.0, -25.2, -27.2, -28.7, -21.3, -22.6, -24.0, -25.8, -27.1, 0.5),
        (-22.7, -21.9, -21.7, -23.5, -24.1, -21.5, -21.9, -23.1, -22.7, -22.5, -20.9, -21.7, -21.5, -21.7, -21.8, 0.8),
        (-27.4, -27.5, -28.1, -28.9, -28.7, -26.6, -27.0, -27.5, -27.2, -27.4, -26.5, -26.8, -26.4, -26.7, -27.0, 0.1),
        (-23.5, -24.3, -25.7, -27.4, -28.5, -22.6, -23.4, -25.1, -26.7, -28.0, -21.8, -23.0, -24.5, -26.3, -27.5, 0.5),
        (-22.9, -25.2, -27.3, -29.9, -31.6, -21.5, -23.8, -25.6, -28.0, -29.8, -20.7, -23.1, -24.9, -27.4, -29.0, 0.3),
        (-41.7, -33.9, -28.9, -26.8, -26.3, -34.4, -28.3, -26.6, -26.7, -26.9, -34.9, -30.3, -29.8, -29.6, -30.1, 1.8),
        (-28.4, -28.3, -26.1, -26.5, -23.8, -23.2, -24.9, -25.5, -25.9, -25.3, -22.4, -23.9, -24.7, -25.6, -25.8, 0.9),
        (-23.1, -23.9, -25.1, -26.2, -26.1, -21.6, -23.0, -24.3, -24.3, -24.4, -21.7, -23.3, -23.7, -23.9, -24.2, 2.1),
        (-21.0, -21.9, -22.6, -24.1, -25.4, -20.7, -22.1, -23.8, -24.7, -24.8, -21.7, -23.4, -24.2, -24.4, -24.4, 0.5),
        (-27.0, -23.7, -22.6, -23.2, -24.5, -25.3, -21.1, -20.5, -22.1, -22.9, -23.3, -20.6, -20.5, -22.4, -23.4, 1.2),
        (-24.3, -25.5, -24.9, -25.9, -25.0, -22.2, -23.2, -23.5, -24.2, -24.9, -21.2, -22.5, -23.4, -24.4, -24.7, 1.3),
        (-30.8, -30.0, -28.4, -24.2, -24.9, -24.2, -23.1, -22.5, -22.1, -22.5, -20.0, -20.2, -20.1, -19.6, -20.3, 0.5),
        (-23.4, -25.0, -26.4, -28.7, -30.4, -22.1, -23.7, -24.8, -26.8, -28.8, -20.5, -22.4, -23.6, -25.9, -27.5, 0.7),
        (-28.6, -29.2, -28.9, -29.4, -30.2, -24.3, -25.5, -26.4, -27.9, -29.3, -23.0, -24.6, -26.0, -27.8, -29.2, 1.2),
        (-21.4, -24.7, -27.7, -28.8, -28.8, -23.1, -25.7, -29.1, -30.1, -30.6, -24.3, -27.3, -31.3, -32.4, -32.3, 0.1),
        (-24.1, -25.1, -25.6, -27.3, -29.2, -20.9, -22.5, -24.1, -26.5, -28.3, -19.5, -21.7, -23.8, -26.3, -27.8, 1.5),
        (-20.2, -22.7, -24.3, -25.8, -27.3, -21.7, -23.0, -25.2, -26.4, -28.1, -22.1, -24.3, -25.8, -27.2, -28.3, 0.2),
        (-38.3, -32.4, -27.7, -25.3, -24.6, -37.5, -30.6, -25.6, -25.0, -24.5, -40.9, -33.6, -28.5, -26.1, -24.6, 1.1),
        (-24.9, -26.4, -27.2, -28.2, -28.6, -24.1, -25.4, -27.1, -28.1, -28.6, -23.8, -26.1, -27.6, -27.8, -27.8, 1.3),
        (-25.6, -26.5, -27.3, -29.0, -31.3, -22.4, -24.0, -25.5, -27.9, -29.7, -20.2, -22.3, -24.3, -27.1, -28.4, 1.1),
        (-23.4, -25.3, -27.7, -30.2, -31.0, -25.0, -27.3, -30.1, -32.5, -33.4, -27.8, -30.2, -33.7, -35.6, -36.2, 0.9),
        (-29.4, -32.3, -35.1, -35.9, -36.3, -25.8, -28.6, -30.6, -31.5, -31.9, -26.6, -29.5, -30.8, -31.2, -31.5, -0.2),
        (-29.3, -31.6, -34.2, -36.1, -36.7, -30.1, -32.2, -35.0, -36.6, -37.1, -31.1, -33.4, -36.3, -37.3, -37.5, 1.5),
        (-24.3, -26.9, -29.3, -29.9, -30.2, -26.5, -29.3, -31.7, -32.8, -33.0, -27.2, -29.4, -32.1, -33.5, -33.7, 0.1),
        (-34.6, -37.7, -38.6, -38.8, -38.8, -31.9, -34.5, -34.3, -34.6, -34.7, -29.3, -32.2, -33.9, -34.3, -34.4, -0.6),
        (-28.4, -27.2, -26.3, -26.0, -26.0, -25.3, -24.5, -24.0, -23.4, -23.3, -21.0, -20.8, -20.7, -20.8, -21.0, 1.5),
        (-31.5, -27.9, -25.1, -23.9, -22.9, -25.7, -24.1, -23.5, -22.7, -22.4, -25.6, -23.3, -23.1, -22.8, -22.7, 1.4),
        (-27.8, -26.7, -26.2, -26.0, -25.9, -24.8, -25.3, -25.4, -25.4, -25.5, -22.8, -23.4, -23.8, -24.1, -24.2, 0.5),
        (-25.7, -28.4, -30.9, -31.7, -31.7, -25.7, -28.6, -30.5, -30.9, -31.0, -27.6, -30.5, -30.9, -31.9, -32.1, -0.1),
        (-30.8, -33.8, -34.6, -35.4, -35.4, -30.6, -33.4, -34.3, -34.8, -34.6, -32.9, -35.3, -36.4, -36.8, -36.8, -0.6),
        (-21.1, -23.3, -25.9, -28.0, -28.6, -24.2, -27.1, -29.2, -29.9, -30.0, -26.2, -29.2, -30.5, -30.8, -31.1, 0.3),
        (-33.7, -35.7, -36.9, -37.8, -37.8, -34.5, -36.6, -37.7, -38.3, -38.4, -35.2, -37.2, -38.4, -38.9, -38.7, -1.2),
        (-25.1, -28.1, -30.2, -30.9, -30.9, -25.1, -28.2, -29.4, -29.9, -29.9, -26.0, -29.0, -29.7, -30.0, -30.0, -0.4),
        (-24.0, -26.9, -29.0, -29.4, -29.6, -25.8, -28.8, -29.7, -30.4, -30.4, -27.4, -30.2, -30.9, -31.3, -31.3, -0.9),
        (-21.3, -24.3, -25.1, -25.7, -25.9, -21.3, -24.1, -25.0, -25.6, -25.6, -21.3, -24.2, -25.2, -25.8, -25.8, -1.4),
        (-45.3, -37.7, -33.4, -26.6, -26.7, -41.1, -35.8, -30.5, -26.6, -26.7, -38.7, -34.6, -28.2, -27.0, -27.2, 0.6),
        (-23.4, -26.2, -27.2, -27.7, -27.6, -23.5, -26.5, -27.3, -27.5, -27.3, -23.8, -26.8, -27.6, -27.7, -27.7, -1.2),
        (-23.3, -25.3, -26.9, -27.5, -27.5, -23.2, -26.0, -27.3, -27.4, -27.4, -23.8, -26.7, -27.7, -27.7, -27.7, -0.5),
        (-31.9, -29.8, -28.4, -29.2, -30.8, -29.6, -27.7, -27.6, -29.8, -30.5, -28.5, -27.0, -28.0, -30.5, -30.2, 0.6),
        (-22.5, -21.3, -23.1, -23.4, -23.6, -21.1, -21.8, -23.3, -23.6, -23.7, -20.5, -22.2, -23.6, -23.7, -23.7, -0.5),
        (-23.3, -22.2, -22.6, -24.5, -24.9, -23.3, -22.3, -22.8, -24.9, -25.3, -23.2, -22.3, -23.0, -25.0, -25.3, 0.8),
        (-47.7, -43.2, -38.4, -33.0, -30.5, -47.7, -43.2, -38.3, -32.9, -30.4, -47.7, -43.3, -38.4, -32.9, -30.4, 0.4),
        (-29.8, -25.9, -23.0, -22.3, -22.7, -29.6, -25.7, -22.8, -22.1, -22.5, -29.4, -25.6, -22.7, -22.0, -22.4, 0.3),
        (-20.3, -23.2, -25.3, -25.8, -26.2, -21.0, -23.9, -25.5, -26.2, -26.4, -21.4, -24.4, -25.9, -26.5, -26.6, -0.6),
    ),
    drums=(
        -31.6, -31.6, -31.3, -28.2, -27.3, -30.5, -26.3, -36.3, -25.1, -35.8, -29.4, -35.6, -28.8, -29.1, -23.7, -30.4,
        -34.7, -28.8, -32.1, -27.9, -30.5, -32.2, -24.6, -23.5, -35.7, -31.6, -30.4, -34.4, -28.9, -27.7, -27.7, -26.3,
        -33.1, -32.2, -28.2, -32.5, -27.7, -26.1, -29.3, -31.2, -28.3, -30.5, -30.0, -24.2, -20.5, -37.8, -34.8, 1.6,
    ),
)
"""FluidR3_GM (Debian's fluid-soundfont-gm) measured by `measure_loudness`; other General MIDI fonts follow
the same families closely enough to balance a mix by it."""
