"""The melody model's vocabulary: one token per sixteenth step, and the 12-d harmony under it.

A step is a rest, a hold (the previous note goes on) or the onset of a pitch in LOW..HIGH; pitches
outside the range fold in by octaves, so any melody can be read and transposed without loss of shape.
"""

from __future__ import annotations

import numpy as np

REST, HOLD = 0, 1
LOW, HIGH = 55, 86
"""G3..D6: a voice or lead instrument's range, a little wider than the rule melody's C4..C6."""
FIRST_PITCH = 2
TOKENS = FIRST_PITCH + HIGH - LOW + 1


def token_of(pitch: int) -> int:
    """The onset token of a MIDI pitch, folded by octaves into LOW..HIGH."""
    while pitch < LOW:
        pitch += 12
    while pitch > HIGH:
        pitch -= 12
    return FIRST_PITCH + pitch - LOW


def pitch_of(token: int) -> int:
    return LOW + token - FIRST_PITCH


def transpose(tokens: np.ndarray, harmony: np.ndarray, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """Tokens and harmony moved by `shift` semitones together, so training sees every key."""
    onsets = tokens >= FIRST_PITCH
    moved = tokens.copy()
    moved[onsets] = [token_of(pitch_of(int(t)) + shift) for t in tokens[onsets]]
    return moved, np.roll(harmony, shift, axis=-1)


def harmony(presence: np.ndarray) -> np.ndarray:
    """Sounding pitch classes (..., 12) as weights summing to 1, all zero where nothing sounds: a triad
    and a seventh chord then weigh the same however many voices double them."""
    presence = (np.asarray(presence) > 0).astype(np.float32)
    return presence / np.maximum(presence.sum(axis=-1, keepdims=True), 1.0)


def chord_harmony(pitch_classes: list[int]) -> np.ndarray:
    """The harmony vector of a chord given as pitch classes."""
    presence = np.zeros(12)
    presence[[pc % 12 for pc in pitch_classes]] = 1
    return harmony(presence)
