"""BTC's front end as published: log-magnitude CQT, 144 bins at 24 per octave from C1, hop 2048 at 22,050 Hz.

Like the original, the CQT runs on consecutive 10-second pieces (108 frames each), so memory stays
bounded on long audio and frame k sits at k * 10/108 s.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 22050
HOP = 2048
BINS = 144
BINS_PER_OCTAVE = 24
PIECE_SECONDS = 10.0
FRAME_SECONDS = PIECE_SECONDS / 108
"""The published time unit: 108 CQT frames per 10-second piece."""


def log_cqt(samples: np.ndarray) -> np.ndarray:
    """(frames, 144) log(|CQT| + 1e-6) of mono float32 audio at 22,050 Hz."""
    import librosa

    piece = int(SAMPLE_RATE * PIECE_SECONDS)
    count = max(1, -(-len(samples) // piece))
    # All pieces go through librosa as one (pieces, samples) batch, so its filters are built once;
    # the short last piece is zero-padded (librosa's lowest octaves need the room) and keeps the
    # frames it would have had alone.
    pieces = np.pad(samples, (0, count * piece - len(samples))).reshape(count, piece)
    spectrum = librosa.cqt(pieces, sr=SAMPLE_RATE, n_bins=BINS, bins_per_octave=BINS_PER_OCTAVE, hop_length=HOP)
    last = 1 + (len(samples) - (count - 1) * piece) // HOP
    frames = [spectrum[i] if i < count - 1 else spectrum[i][:, :last] for i in range(count)]
    return np.log(np.abs(np.concatenate(frames, axis=1)) + 1e-6).T.astype(np.float32)
