"""iter_decoded(): frames left unconverted until a reader asks, whole and upright, or scaled by FrameScaler."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from v2m_core.media.decode import FrameScaler, iter_decoded, iter_frames
from v2m_core.media.probe import probe
from v2m_core.media.synthetic import make_rotated_video


def test_whole_frames_come_upright_and_agree_with_the_scaled_ones(tmp_path: Path) -> None:
    video = tmp_path / "phone.mp4"
    make_rotated_video(video, rotation=90, duration=1.0, size=(192, 108))
    info = probe(video)
    decoded = list(iter_decoded(video, info))
    scaled = list(iter_frames(video, 54, info))
    assert [(frame.index, frame.time) for frame in decoded] == [(frame.index, frame.time) for frame in scaled]
    whole = decoded[0].rgb()
    assert whole.shape == (192, 108, 3) and whole.flags.c_contiguous
    assert np.array_equal(FrameScaler(info, 54)(decoded[0]).rgb, scaled[0].rgb)
    shrunk = cv2.resize(whole, (54, 96), interpolation=cv2.INTER_AREA).astype(float)
    error = np.abs(shrunk - scaled[0].rgb).mean()
    upside_down = np.abs(np.rot90(shrunk, 2) - scaled[0].rgb).mean()
    assert error < 6 and error < upside_down / 2
