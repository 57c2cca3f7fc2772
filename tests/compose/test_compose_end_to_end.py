"""`compose` on generated videos with known cuts: stream copy, sync, loudness, cuts, harmony, determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi
import pyloudnorm

from tests.compose.conftest import Composed, decoded_audio, stream_facts, video_stream_md5
from v2m_core.music.theory import is_chord_tone
from v2m_core.schemas.plan import PlannedChord

TOLERANCE = 0.060


def _instrument(work: Path, name: str) -> pretty_midi.Instrument:
    midi = pretty_midi.PrettyMIDI(str(work / "music.mid"))
    return next(i for i in midi.instruments if i.name.lower() == name)


def test_video_stream_is_copied_bit_for_bit(composed_with_cuts: Composed) -> None:
    assert video_stream_md5(composed_with_cuts.output) == video_stream_md5(composed_with_cuts.video)


def test_one_audio_stream_as_long_as_the_video(composed_with_cuts: Composed) -> None:
    streams = stream_facts(composed_with_cuts.output)
    video = [s for s in streams if s["codec_type"] == "video"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert len(video) == 1 and len(audio) == 1
    assert abs(float(audio[0]["duration"]) - float(video[0]["duration"])) <= 0.050


def test_audio_is_loud_at_the_target(composed_with_cuts: Composed, tmp_path: Path) -> None:
    audio, rate = decoded_audio(composed_with_cuts.output, tmp_path)
    assert np.sqrt(np.mean(audio ** 2)) > 0.01
    loudness = pyloudnorm.Meter(rate).integrated_loudness(audio)
    assert abs(loudness - (-14.0)) <= 1.0
    report = composed_with_cuts.composition.loudness
    assert abs(report.integrated_lufs + 14.0) <= 0.3 and report.true_peak_dbtp <= -1.0 + 1e-6


def test_structural_cuts_get_a_downbeat_and_a_chord_change_and_the_rest_sit_on_the_grid(composed_with_cuts: Composed) -> None:
    plan = composed_with_cuts.composition.plan
    midi = pretty_midi.PrettyMIDI(str(composed_with_cuts.work / "music.mid"))
    downbeats, beats = midi.get_downbeats(), midi.get_beats()
    assert np.max(np.abs(downbeats - np.array(plan.downbeats()))) <= 0.001  # a DAW's bar lines are the plan's
    chord_starts = np.array([c.start for c in plan.chords[1:]])
    chord_onsets = np.array([n.start for n in _instrument(composed_with_cuts.work, "chords").notes])
    structural = plan.structural_cuts()
    assert structural
    for cut in structural:
        assert np.min(np.abs(downbeats - cut)) <= 0.001
        assert np.min(np.abs(chord_starts - cut)) <= 0.001 and np.min(np.abs(chord_onsets - cut)) <= TOLERANCE
    eighths = np.concatenate([beats, beats[:-1] + np.diff(beats) / 2])
    on_grid = [cut for cut in plan.cuts if np.min(np.abs(eighths - cut)) <= TOLERANCE]
    assert len(on_grid) >= 0.8 * len(plan.cuts)
    detected = composed_with_cuts.composition.analysis.cuts
    assert len(detected) == len(composed_with_cuts.cuts)
    assert np.max(np.abs(np.array(detected) - composed_with_cuts.cuts)) <= 0.041  # within one frame at 25 fps


def test_melody_on_strong_beats_uses_chord_tones(composed_with_cuts: Composed) -> None:
    """A strong-beat note is a chord tone, or an appoggiatura: the next note resolves it by step to one."""
    plan = composed_with_cuts.composition.plan
    strong = [b.time for b in plan.beats if b.position % 2 == 0]
    notes = sorted(_instrument(composed_with_cuts.work, "melody").notes, key=lambda n: n.start)
    on_strong = [i for i, n in enumerate(notes) if np.min(np.abs(np.array(strong) - n.start)) <= 0.01]
    assert len(on_strong) >= 5

    def chord_at(time: float) -> PlannedChord:
        return [c for c in plan.chords if c.start <= time + 0.01][-1]  # MIDI ticks round times by < 1 ms

    for i in on_strong:
        note = notes[i]
        if not is_chord_tone(note.pitch, chord_at(note.start)):
            following = notes[i + 1]
            assert abs(following.pitch - note.pitch) <= 2 and is_chord_tone(following.pitch, chord_at(following.start)), note


def test_keep_folder_has_midi_wav_and_plan(composed_with_cuts: Composed) -> None:
    for name in ("music.mid", "music.wav", "plan.json", "composition.json", "analysis/visual.npy"):
        assert (composed_with_cuts.work / name).is_file(), name


def test_calm_dark_and_fast_bright_videos_get_different_music(calm_and_busy: tuple[Composed, Composed]) -> None:
    calm, busy = (c.composition.plan for c in calm_and_busy)
    mean_tempo = [np.mean([s.tempo for s in plan.sections]) for plan in (calm, busy)]
    assert mean_tempo[1] > mean_tempo[0] * 1.15
    assert (calm.key.mode, busy.key.mode) == ("minor", "major")
    density = []
    for composed in calm_and_busy:
        midi = pretty_midi.PrettyMIDI(str(composed.work / "music.mid"))
        density.append(sum(len(i.notes) for i in midi.instruments) / composed.composition.plan.duration)
    assert density[1] > density[0] * 1.5
