"""`--original-audio auto`: speech in the video's soundtrack is kept and the music ducked under it; else replaced.

The dialogue is spoken by espeak-ng (scripts/setup.sh installs it) with pauses between sentences;
where speech really is comes from the clean speech's energy, not from the detector under test, and
the ducking is measured from the delivered files (v2m_core/evaluation/ducking.py).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.audio_input import resample
from v2m_core.compose.pipeline import compose
from v2m_core.evaluation.ducking import measure_ducking
from v2m_core.media.mux import ATTACK_SECONDS, CONTROL_RATE, RELEASE_SECONDS, ducking_gain_db
from v2m_core.media.speech import (VAD_FRAME, VAD_SAMPLE_RATE, SpeechActivity, detect_speech, speech_in_blocks,
                                   speech_segments)
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.composition import Composition
from v2m_core.schemas.config import ComposeConfig

LINES = (("en-us", "Good morning. Today we walk along the river to the old stone bridge."),
         ("en-gb+f3", "Could you hold the camera for a moment? The light is lovely right now."),
         ("en-us", "It was built two hundred years ago, and it still carries traffic every day."))
PAUSES = (1.0, 1.8, 1.5, 2.0)
"""Silence before each line and after the last, seconds."""


@dataclass
class Dialogue:
    video: Path
    truth: SpeechActivity
    """Where the speech is, from the clean speech's frame energy (within 40 dB of its loudest frame)."""
    folder: Path


def _speak(folder: Path) -> tuple[np.ndarray, int]:
    pieces, rate = [], VAD_SAMPLE_RATE
    for index, ((voice, text), pause) in enumerate(zip(LINES, PAUSES)):
        wav = folder / f"line{index}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
        line, rate = soundfile.read(wav, dtype="float32")
        pieces += [np.zeros(int(pause * rate), np.float32), line]
    pieces.append(np.zeros(int(PAUSES[-1] * rate), np.float32))
    return np.concatenate(pieces), rate


def _energy_truth(speech: np.ndarray, rate: int) -> SpeechActivity:
    hop = VAD_FRAME * rate // VAD_SAMPLE_RATE
    frames = speech[:len(speech) // hop * hop].reshape(-1, hop).astype(np.float64)
    level_db = 10 * np.log10((frames ** 2).mean(axis=1) + 1e-12)
    return speech_segments((level_db > level_db.max() - 40).astype(np.float32), hop / rate)


@pytest.fixture(scope="module")
def dialogue(tmp_path_factory: pytest.TempPathFactory) -> Dialogue:
    folder = tmp_path_factory.mktemp("dialogue")
    speech, rate = _speak(folder)
    soundfile.write(folder / "speech.wav", speech, rate)
    video = folder / "talk.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=160x90:rate=15:duration={len(speech) / rate}",
                    "-i", str(folder / "speech.wav"), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", "-shortest", str(video)], check=True)
    return Dialogue(video, _energy_truth(speech, rate), folder)


@pytest.fixture(scope="module")
def ducked(dialogue: Dialogue) -> Composition:
    return compose(dialogue.video, dialogue.folder / "auto.mp4", ComposeConfig(), keep=dialogue.folder / "auto")


def test_speech_is_kept_and_the_music_ducked_at_least_10_db_under_it(dialogue: Dialogue, ducked: Composition) -> None:
    decision = ducked.original_audio
    assert decision is not None and decision.action == "ducked" and decision.summary.startswith("ducked under speech")
    assert decision.speech_seconds == pytest.approx(dialogue.truth.seconds, abs=1.0)
    measured = measure_ducking(dialogue.video, dialogue.folder / "auto.mp4", dialogue.truth.segments)
    assert abs(measured.original_gain_db) <= 1.0, "the speech must stay at its own level"
    assert len(measured.margin.margins_db) == len(LINES)
    assert measured.margin.worst_db >= 10.0, measured.margin
    assert measured.music_lufs_elsewhere - measured.music_lufs_during_speech >= 10.0, "ducked only where people talk"
    assert decision.mix_loudness is not None and decision.mix_loudness.true_peak_dbtp <= -0.9


def test_without_ducking_the_music_buries_the_speech(dialogue: Dialogue) -> None:
    """The measure tells a bad mix from a good one: `mix` keeps the speech 12 dB down and the music on top."""
    output = dialogue.folder / "mix.mp4"
    composition = compose(dialogue.video, output, ComposeConfig(original_audio="mix"))
    assert composition.original_audio is not None and composition.original_audio.action == "mixed"
    measured = measure_ducking(dialogue.video, output, dialogue.truth.segments)
    assert measured.original_gain_db == pytest.approx(-12.0, abs=1.0)
    assert measured.margin.worst_db < 0.0


def test_explicit_replace_drops_the_speech(dialogue: Dialogue) -> None:
    output = dialogue.folder / "replace.mp4"
    composition = compose(dialogue.video, output, ComposeConfig(original_audio="replace"))
    assert composition.original_audio is not None and composition.original_audio.action == "replaced"
    assert measure_ducking(dialogue.video, output, dialogue.truth.segments).original_gain_db < -20.0


def test_tone_and_noise_soundtrack_is_replaced(tmp_path: Path) -> None:
    video = tmp_path / "tone.mp4"
    make_video(video, [SceneSpec(2.0, "testsrc2", motion="fast"), SceneSpec(2.0, "smptebars")], size=(160, 90), fps=15,
               audio=True)
    composition = compose(video, tmp_path / "out.mp4", ComposeConfig())
    decision = composition.original_audio
    assert decision is not None and decision.action == "replaced" and decision.speech_seconds == 0.0
    assert "no speech" in decision.summary


def test_the_summary_says_what_was_decided_and_the_music_is_the_same(cli, dialogue: Dialogue, ducked: Composition,
                                                                      tmp_path: Path) -> None:
    result = cli("compose", str(dialogue.video), "-o", str(tmp_path / "out.mp4"), "--keep", str(tmp_path / "work"),
                 "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["original_audio"].startswith("ducked under speech (")
    assert (tmp_path / "work" / "music.wav").read_bytes() == (dialogue.folder / "auto" / "music.wav").read_bytes()
    assert (tmp_path / "work" / "mix.wav").read_bytes() == (dialogue.folder / "auto" / "mix.wav").read_bytes()


def test_the_detector_hears_speech_not_music_or_noise(dialogue: Dialogue, ducked: Composition) -> None:
    """The project's own FluidSynth music and pink noise hold no speech; the dialogue is found where it is."""
    music, rate = soundfile.read(dialogue.folder / "auto" / "music.wav", dtype="float32")
    assert rate == 44100
    assert detect_speech(resample(music.mean(axis=1), rate, VAD_SAMPLE_RATE)).seconds < 0.5
    spectrum = np.fft.rfft(np.random.default_rng(0).standard_normal(VAD_SAMPLE_RATE * 10))
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))
    pink = np.fft.irfft(spectrum)
    assert detect_speech((0.1 * pink / pink.std()).astype(np.float32)).seconds == 0.0
    speech, rate = soundfile.read(dialogue.folder / "speech.wav", dtype="float32")
    found = detect_speech(resample(speech, rate, VAD_SAMPLE_RATE))
    assert len(found.segments) == len(LINES)
    for (start, end), (true_start, true_end) in zip(found.segments, dialogue.truth.segments):
        assert abs(start - true_start) <= 0.1 and abs(end - true_end) <= 0.3
    blocks = (speech[start:start + 12345] for start in range(0, len(speech), 12345))  # a soundtrack as decoded
    assert speech_in_blocks(blocks, rate) == detect_speech(speech, rate) == found


def test_gain_envelope_attacks_before_speech_and_releases_after() -> None:
    segments = ((1.0, 2.0), (2.3, 3.0), (5.0, 5.5))
    gain = ducking_gain_db(segments, np.array([12.0, 20.0, 15.0]), 6.0)
    at = lambda seconds: gain[round(seconds * CONTROL_RATE)]  # noqa: E731
    assert at(1.0 - ATTACK_SECONDS - 0.01) == 0.0 and at(1.0 - ATTACK_SECONDS / 2) == pytest.approx(-6.0, abs=0.3)
    assert at(1.0) == at(1.99) == -12.0
    assert max(gain[round(2.0 * CONTROL_RATE):round(2.3 * CONTROL_RATE)]) <= -12.0 * (1 - 0.3 / RELEASE_SECONDS) + 0.1
    assert at(2.5) == -20.0 and at(3.0 + RELEASE_SECONDS / 2) == pytest.approx(-10.0, abs=0.3)
    assert at(3.0 + RELEASE_SECONDS + 0.01) == 0.0 and at(5.2) == -15.0 and gain[-1] == 0.0


def test_segments_hold_short_pauses_and_drop_blips() -> None:
    hop = VAD_FRAME / VAD_SAMPLE_RATE
    frames = np.zeros(400, dtype=np.float32)
    frames[10:40] = 0.9  # ~1 s of speech
    frames[40:45] = 0.4  # above the offset threshold: still speech
    frames[50:80] = 0.8  # after a 0.16 s pause: the same segment
    frames[150:155] = 0.9  # 0.16 s: a blip
    frames[200:260] = 0.7
    activity = speech_segments(frames, hop)
    assert np.allclose(activity.segments, [(10 * hop, 80 * hop), (200 * hop, 260 * hop)])
