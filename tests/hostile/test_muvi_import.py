"""A damaged Video2Music feature tree: `v2m dataset import-muvi` names the file (and line) in one line, exit 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.dataset.test_dataset_interop import write_muvi_tree

CHORDS = Path("vevo_chord", "lab_v2_norm", "all", "001.lab")
EMOTION = Path("vevo_emotion", "6c_l14p", "all", "001.lab")


def _append(relative: Path, data: bytes) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        with (root / relative).open("ab") as handle:
            handle.write(data)
    return damage


def _replace(relative: Path, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / relative).write_bytes(data)


def _pickled_semantic(root: Path) -> None:
    np.save(root / "vevo_semantic" / "all" / "2d" / "clip_l14p" / "001.npy", np.array([{"a": 1}], dtype=object),
            allow_pickle=True)


@pytest.mark.parametrize(("damage", "mentions"), [
    (_append(CHORDS, b"6 \xff\xfe\n"), ("001.lab", "not UTF-8")),
    (_append(CHORDS, b"6 H:maj\n"), ("001.lab:8", "H:maj")),
    (_append(EMOTION, b"5 nan 0.1 0.1 0.1 0.1 0.1\n"), ("001.lab:8", "finite numbers")),
    (_append(EMOTION, b"5 x 0.1 0.1 0.1 0.1 0.1\n"), ("001.lab:8", "finite numbers")),
    (_replace(Path("vevo_meta", "chord.json"), b"{not json"), ("chord.json", "not JSON")),
    (_replace(Path("vevo_meta", "chord.json"), b'["C:maj"]'), ("chord.json", "not a table")),
    (_replace(Path("vevo_meta", "split", "v1", "train.txt"), b"\xff001\n"), ("train.txt", "not UTF-8")),
    (_pickled_semantic, ("001.npy", "not a readable .npy")),
], ids=["chords-not-utf8", "bad-chord-label", "nan-emotion", "text-emotion", "chord-table-not-json",
        "chord-table-list", "split-not-utf8", "pickled-semantic"])
def test_a_damaged_tree_is_one_line_naming_the_file(cli, tmp_path: Path, damage: Callable[[Path], None],
                                                    mentions: tuple[str, ...]) -> None:
    write_muvi_tree(tmp_path / "muvi")
    damage(tmp_path / "muvi")
    result = cli("dataset", "import-muvi", str(tmp_path / "muvi"), "-o", str(tmp_path / "dataset"))
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and lines[0].startswith("error:"), result.err
    for mention in mentions:
        assert mention in result.err, (mention, result.err)
