"""decode_audio_blocks() through a pipe, and listening for speech in a child process (media/listen.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from v2m_core.errors import MediaError
from v2m_core.media.audio import decode_audio_blocks, extract_audio, read_wav
from v2m_core.media.listen import listen, listening
from v2m_core.media.synthetic import SceneSpec, make_video


def _talking_clip(folder: Path) -> Path:
    """A 4 s clip whose stereo soundtrack is speech on the left and a tone on the right."""
    speech, video = folder / "speech.wav", folder / "talk.mp4"
    subprocess.run(["espeak-ng", "-w", str(speech), "Good morning. We walk along the river to the bridge."],
                   check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x54:rate=10:duration=4",
                    "-i", str(speech), "-f", "lavfi", "-i", "sine=f=330:d=4",
                    "-filter_complex", "[1:a]apad,atrim=0:4[s];[s][2:a]amerge=inputs=2[a]", "-map", "0:v",
                    "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    str(video)], check=True)
    return video


def test_decoded_samples_are_those_of_the_extracted_wav(tmp_path: Path) -> None:
    video = _talking_clip(tmp_path)
    assert extract_audio(video, tmp_path / "out.wav", sample_rate=44100)
    expected = read_wav(tmp_path / "out.wav")[0]
    stereo, mono = decode_audio_blocks(video, 44100, block_seconds=0.7), decode_audio_blocks(video, 44100, True, 0.7)
    assert stereo is not None and mono is not None and stereo[0] == mono[0] == expected.shape[1] == 2
    blocks = list(stereo[1])
    assert len(blocks) == 6 and all(len(block) == int(0.7 * 44100) for block in blocks[:-1])
    np.testing.assert_array_equal(np.concatenate(blocks), expected)
    np.testing.assert_array_equal(np.concatenate(list(mono[1])), expected.mean(axis=1))


def test_no_soundtrack_decodes_to_none_and_no_speech(tmp_path: Path) -> None:
    video = tmp_path / "silent.mp4"
    make_video(video, [SceneSpec(0.5, "smptebars")], size=(96, 54), fps=10)
    assert decode_audio_blocks(video, 16000) is None
    assert listen(video, 16000).segments == ()


def test_the_child_hears_what_listening_here_hears(tmp_path: Path) -> None:
    video = _talking_clip(tmp_path)
    with listening(video, 44100) as answer:
        heard = answer()
    assert heard.seconds > 1.0
    assert heard == listen(video, 44100)


def test_a_failing_child_raises_the_error_listening_here_raises(tmp_path: Path) -> None:
    video = _talking_clip(tmp_path)
    with pytest.raises(MediaError) as here:
        listen(video, -5)  # a rate ffmpeg refuses
    with listening(video, -5) as answer, pytest.raises(MediaError) as there:
        answer()
    assert str(there.value) == str(here.value) and "talk.mp4: ffmpeg failed" in str(here.value)
