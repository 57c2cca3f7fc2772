"""Chord tokens: the dataset's vocabulary, closed under transposition, plus END, PAD and START.

Each token is embedded as root + quality + major/minor flag (Video2Music's decomposition), so the
model shares what it learns about a quality across the 12 roots. The dataset's chord IDs keep their
positions; chords a key shift would need but the dataset lacks are appended after them, so
transposition augmentation always has a token to move to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from v2m_core.chords.labels import NO_CHORD, UNKNOWN_CHORD, parse
from v2m_core.errors import UsageError
from v2m_core.music.theory import NOTE_NAMES, pitch_class

END, PAD, START = "<end>", "<pad>", "<start>"
NO_ROOT = 12
"""Root index of tokens without a root (N, X and the special tokens)."""
MINOR, MAJOR, NEITHER = 0, 1, 2


def split_label(label: str) -> tuple[int, str] | None:
    """(root pitch class, Harte quality) of a canonical chord label; None for N, X and special tokens."""
    if label in (NO_CHORD, UNKNOWN_CHORD, END, PAD, START):
        return None
    try:
        root, quality = label.split(":")
        return pitch_class(root), quality
    except ValueError:
        raise UsageError(f"chord label {label!r} is not 'ROOT:QUALITY'") from None


def third_flag(quality: str) -> int:
    """MINOR with a minor third and no major third, MAJOR with a major third, else NEITHER (sus, power)."""
    chord = parse(f"C:{quality}")
    intervals = chord.intervals if chord else frozenset()
    if 4 in intervals:
        return MAJOR
    return MINOR if 3 in intervals else NEITHER


@dataclass(frozen=True)
class ChordTokens:
    """Token i is `labels[i]`; the model predicts the chords and END (`outputs` classes), never PAD or START."""

    labels: tuple[str, ...]

    @classmethod
    def from_vocabulary(cls, vocabulary: list[str]) -> "ChordTokens":
        chords = [label for label in vocabulary if label not in (END, PAD, START)]
        qualities = sorted({parts[1] for label in chords if (parts := split_label(label))})
        closed = [f"{NOTE_NAMES[root]}:{quality}" for quality in qualities for root in range(12)]
        extra = [label for label in closed if label not in chords]
        return cls((*chords, *extra, END, PAD, START))

    def __len__(self) -> int:
        return len(self.labels)

    @cached_property
    def index(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels)}

    @property
    def end(self) -> int:
        return self.index[END]

    @property
    def pad(self) -> int:
        return self.index[PAD]

    @property
    def start(self) -> int:
        return self.index[START]

    @property
    def outputs(self) -> int:
        """Classes of the output layer: every chord, then END (its index equals `end`)."""
        return self.end + 1

    @cached_property
    def qualities(self) -> tuple[str, ...]:
        """Quality vocabulary: the chords' qualities, then one pseudo-quality per rootless token."""
        found = sorted({parts[1] for label in self.labels if (parts := split_label(label))})
        return (*found, *(label for label in self.labels if split_label(label) is None))

    @cached_property
    def parts(self) -> tuple[tuple[int, int, int], ...]:
        """(root index, quality index, flag) per token."""
        table = []
        for label in self.labels:
            parts = split_label(label)
            if parts is None:
                table.append((NO_ROOT, self.qualities.index(label), NEITHER))
            else:
                table.append((parts[0], self.qualities.index(parts[1]), third_flag(parts[1])))
        return tuple(table)

    @cached_property
    def chord_ids(self) -> tuple[int, ...]:
        """Tokens that are pitched chords (generation may emit only these)."""
        return tuple(i for i, label in enumerate(self.labels) if split_label(label) is not None)

    def transposition(self, semitones: int) -> list[int]:
        """Token -> token `semitones` up; rootless tokens stay. Total, thanks to the closure above."""
        table = []
        for label in self.labels:
            parts = split_label(label)
            if parts is None:
                table.append(self.index[label])
            else:
                table.append(self.index[f"{NOTE_NAMES[(parts[0] + semitones) % 12]}:{parts[1]}"])
        return table
