"""Reading and writing the released MuVi-Sync / Video2Music feature layout.

```
vevo_chord/lab_v2_norm/all/<id>.lab      "key C major", then "<second> <chord>" (C major / A minor)
vevo_emotion/<emo_model>/all/<id>.lab    "time exciting ... neutral", then "<second> p1 ... p6"
vevo_motion/all/<id>.lab                 "<second> <value>"; likewise vevo_scene_offset, vevo_loudness,
vevo_note_density/all/<id>.lab           vevo_note_density
vevo_semantic/all/<vis_model>/<id>.npy   (seconds, dim), vis_model e.g. 2d/clip_l14p
vevo_meta/split/v1/{train,val,test}.txt  one id per line
vevo_meta/chord.json, chord_root.json, chord_attr.json (+ *_inv.json), idlist.txt
```
Video2Music spells major chords as the bare root and uses sharps (`C#`, `A#:min`); v2m uses Harte
names (`C#:maj`, `Bb:min`). Its chord files are transposed to C major / A minor; exporting does the
same, with the key estimated from the chords.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from v2m_core.atomic import atomic_path, atomic_write_text
from v2m_core.chords.keys import V2M_ROOTS, estimate_key, transpose
from v2m_core.chords.lab import read_text
from v2m_core.chords.labels import NO_CHORD, UNKNOWN_CHORD, ChordLabelError, canonical_chord
from v2m_core.chords.labfiles import read_chord_labels, write_chord_lab
from v2m_core.dataset.chord_ids import extend_vocabulary
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import read_dataset, read_stream, write_dataset
from v2m_core.dataset.splits import assign_splits
from v2m_core.errors import MediaError, UsageError
from v2m_core.music.theory import pitch_class
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.schemas.manifest import SPLITS, DatasetManifest, DatasetVideo, FeatureSpec, SplitRatios
from v2m_core.step_engine.cache import file_hash
from v2m_core.steps.files import write_array

V2M_QUALITIES: tuple[str, ...] = ("maj", "dim", "sus4", "min7", "min", "sus2", "aug", "dim7", "maj6", "hdim7", "7",
                                  "min6", "maj7")
"""Video2Music's 13 qualities in its chord-ID order (chord ID = 1 + 13 x root + quality; N is 0)."""
NEAREST_QUALITY: dict[str, str] = {"minmaj7": "min", "9": "7", "11": "7", "13": "7", "maj9": "maj7",
                                   "min9": "min7", "maj(9)": "maj", "min(9)": "min", "5": "maj", "1": "maj"}
"""Harte qualities outside Video2Music's set, mapped to the nearest one it has."""
SCALAR_STREAMS: tuple[tuple[str, str], ...] = (("motion", "vevo_motion"), ("scene_offset", "vevo_scene_offset"),
                                               ("loudness", "vevo_loudness"), ("note_density", "vevo_note_density"))
CHORD_FOLDER = ("vevo_chord", "lab_v2_norm", "all")


def v2m_name(label: str) -> str:
    """Harte label -> Video2Music's chord name ('Bb:min' -> 'A#:min', 'C:maj' -> 'C'); X becomes N."""
    if label in (NO_CHORD, UNKNOWN_CHORD):
        return NO_CHORD
    root, quality = canonical_chord(label).split(":")
    quality = NEAREST_QUALITY.get(quality, quality)
    if quality not in V2M_QUALITIES:  # added degrees, e.g. min7(11): keep the chord they extend, else its triad
        base = quality.split("(", 1)[0]
        quality = base if base in V2M_QUALITIES else "min" if base.startswith("min") else "maj"
    name = V2M_ROOTS[pitch_class(root)]
    return name if quality == "maj" else f"{name}:{quality}"


def standard_chord_table() -> dict[str, int]:
    """Video2Music's chord.json: N, then 13 qualities for each of 12 roots."""
    table = {NO_CHORD: 0}
    for root in V2M_ROOTS:
        for quality in V2M_QUALITIES:
            table[root if quality == "maj" else f"{root}:{quality}"] = len(table)
    return table


def _write_lines(path: Path, lines: Sequence[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(f"{line}\n" for line in lines))


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data) + "\n")


def _feature(folder: Path, spec: FeatureSpec) -> np.ndarray:
    array = read_stream(folder / spec.file)
    array = array.reshape(array.shape[0], -1)
    return array[:, spec.columns] if spec.columns else array


def semantic_model_name(spec: FeatureSpec) -> str:
    """Video2Music's folder name for the embedding: the imported one, 2d/clip_l14p for 768-d CLIP, else the plugin's."""
    if spec.source.startswith("muvi:"):
        return spec.source.removeprefix("muvi:")
    return "2d/clip_l14p" if spec.dim == 768 and "clip" in spec.source else f"2d/{spec.source.replace('-', '_')}"


def export_muvi(root: Path, target: Path, emotion_model: str = "6c_l14p") -> int:
    """Write the dataset in Video2Music's layout under `target`; returns the number of videos."""
    layout = DatasetLayout(Path(root))
    manifest = read_dataset(layout)
    if manifest is None:
        raise UsageError(f"{root}: no dataset.json to export")
    DatasetLayout(Path(target)).create()  # the same check: a folder that takes files, before any is written
    specs = {spec.name: spec for spec in manifest.features}
    for video in manifest.videos:
        folder = layout.video_folder(video.id)
        labels = read_chord_labels(folder / "chords.lab")
        tonic, mode = estimate_key(labels)
        shift = (0 if mode == "major" else 9) - tonic
        key_line = f"key {'C major' if mode == 'major' else 'A minor'}"
        _write_lines(target.joinpath(*CHORD_FOLDER, f"{video.id}.lab"),
                     [key_line, *(f"{i} {v2m_name(transpose(label, shift))}" for i, label in enumerate(labels))])
        if "emotion" in specs:
            rows = _feature(folder, specs["emotion"])
            _write_lines(target / "vevo_emotion" / emotion_model / "all" / f"{video.id}.lab",
                         ["time " + " ".join(f"{name}_prob" for name in EMOTIONS), *(f"{i} " + " ".join(f"{p:.4f}" for p in row)
                                                          for i, row in enumerate(rows))])
        for name, folder_name in SCALAR_STREAMS:
            if name in specs:
                values = _feature(folder, specs[name])[:, 0]
                text = (lambda v: str(int(round(v)))) if name == "scene_offset" else (lambda v: f"{v:.4f}")
                _write_lines(target / folder_name / "all" / f"{video.id}.lab",
                             [f"{i} {text(float(v))}" for i, v in enumerate(values)])
        if "semantic" in specs:
            path = target / "vevo_semantic" / "all" / semantic_model_name(specs["semantic"]) / f"{video.id}.npy"
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as temporary, temporary.open("wb") as handle:
                np.save(handle, _feature(folder, specs["semantic"]).astype(np.float32))
    meta = target / "vevo_meta"
    for split in SPLITS:
        _write_lines(meta / "split" / "v1" / f"{split}.txt", [v.id for v in manifest.videos if v.split == split])
    _write_lines(meta / "idlist.txt", [v.id for v in manifest.videos])
    chords = standard_chord_table()
    roots = {NO_CHORD: 0, **{root: i + 1 for i, root in enumerate(V2M_ROOTS)}}
    attributes = {NO_CHORD: 0, **{quality: i + 1 for i, quality in enumerate(V2M_QUALITIES)}}
    for name, table in (("chord", chords), ("chord_root", roots), ("chord_attr", attributes)):
        _write_json(meta / f"{name}.json", table)
        _write_json(meta / f"{name}_inv.json", {str(v): k for k, v in table.items()})
    return len(manifest.videos)


def _read_rows(path: Path, seconds: int, width: int) -> np.ndarray:
    """`<second> v1 v2 ...` lines (header lines skipped) as (seconds, width), the last row repeated to fill."""
    rows = np.zeros((seconds, width), dtype=np.float32)
    last = -1
    for number, line in enumerate(read_text(path).splitlines(), 1):
        parts = line.split()
        if len(parts) < 1 + width or not parts[0].lstrip("-").isdigit():
            continue
        second = int(parts[0])
        if 0 <= second < seconds:
            rows[second] = _finite_values(path, number, parts[1:1 + width])
            rows[last + 1:second] = rows[last] if last >= 0 else rows[second]
            last = max(last, second)
    if last >= 0:
        rows[last + 1:] = rows[last]
    return rows


def _finite_values(path: Path, number: int, texts: Sequence[str]) -> list[float]:
    """The numbers on line `number` of `path`; anything else (text, nan, inf) is a MediaError naming the line."""
    try:
        values = [float(text) for text in texts]
    except ValueError:
        values = []
    if len(values) != len(texts) or not np.all(np.isfinite(values)):
        raise MediaError(f"{path}:{number}", f"values must be finite numbers, got {' '.join(texts)[:40]!r}")
    return values


def _chord_at(path: Path, number: int, label: str) -> str:
    try:
        return canonical_chord(label)
    except ChordLabelError as error:
        raise MediaError(f"{path}:{number}", str(error)) from None


def _chord_table(path: Path) -> dict[str, int]:
    """Video2Music's chord.json: chord names to IDs; anything else is a MediaError naming the file."""
    try:
        table = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise MediaError(path, f"not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(table, dict) or not all(isinstance(k, str) and type(v) is int for k, v in table.items()):
        raise MediaError(path, "not a table of chord names to integer IDs")
    return table


def _semantic_folder(source: Path, vis_model: str | None) -> Path | None:
    base = source / "vevo_semantic" / "all"
    if vis_model:
        return base / vis_model
    candidates = sorted(p for p in base.glob("*/*") if p.is_dir()) if base.is_dir() else []
    return candidates[0] if candidates else None


def import_muvi(source: Path, root: Path, vis_model: str | None = None, emotion_model: str = "6c_l14p",
                seed: int = 0) -> DatasetManifest:
    """Turn a Video2Music feature tree into a v2m dataset (its chord IDs and splits kept)."""
    source, layout = Path(source), DatasetLayout(Path(root))
    chord_folder = source.joinpath(*CHORD_FOLDER)
    if not chord_folder.is_dir():
        raise UsageError(f"{source}: no {'/'.join(CHORD_FOLDER)} folder: not a MuVi-Sync feature tree")
    layout.create()
    split_of = {}
    for split in SPLITS:
        listing = source / "vevo_meta" / "split" / "v1" / f"{split}.txt"
        if listing.is_file():
            split_of.update({line.strip(): split for line in read_text(listing).splitlines() if line.strip()})
    semantic_folder = _semantic_folder(source, vis_model)
    videos, labels_seen = [], []
    for lab in sorted(chord_folder.glob("*.lab")):
        identifier = lab.stem
        pairs = [line.split() for line in read_text(lab).splitlines()]
        labels = [_chord_at(lab, number, parts[1]) for number, parts in enumerate(pairs, 1)
                  if len(parts) == 2 and parts[0].isdigit()]
        if not labels:
            continue
        seconds = len(labels)
        folder = layout.video_folder(identifier)
        folder.mkdir(parents=True, exist_ok=True)
        write_chord_lab(folder / "chords.lab", labels)
        labels_seen += labels
        emotion_file = source / "vevo_emotion" / emotion_model / "all" / f"{identifier}.lab"
        if emotion_file.is_file():
            write_array(folder / "emotion.npy", _read_rows(emotion_file, seconds, len(EMOTIONS)))
        for name, folder_name in SCALAR_STREAMS:
            path = source / folder_name / "all" / f"{identifier}.lab"
            if path.is_file():
                write_array(folder / f"{name}.npy", _read_rows(path, seconds, 1))
        if semantic_folder is not None and (semantic_folder / f"{identifier}.npy").is_file():
            embedding = read_stream(semantic_folder / f"{identifier}.npy").astype(np.float32)
            padded = np.concatenate([embedding, np.repeat(embedding[-1:], max(0, seconds - len(embedding)), axis=0)])
            write_array(folder / "semantic.npy", padded[:seconds])
        files = {p.name: file_hash(p) for p in sorted(folder.iterdir()) if p.is_file()}
        videos.append(DatasetVideo(id=identifier, seconds=seconds, split="train", source=lab.name, files=files))
    if not videos:
        raise UsageError(f"{chord_folder}: no chord files")
    table_file = source / "vevo_meta" / "chord.json"
    table = _chord_table(table_file) if table_file.is_file() else standard_chord_table()
    vocabulary = extend_vocabulary(list(dict.fromkeys(canonical_chord(name) for name, _ in
                                                      sorted(table.items(), key=lambda item: item[1]))), labels_seen)
    splits = assign_splits([v.id for v in videos], split_of, SplitRatios(), seed, preserve=bool(split_of))
    first = layout.video_folder(videos[0].id)
    features = []
    for name in ("semantic", "motion", "scene_offset", "emotion", "loudness", "note_density"):
        if (first / f"{name}.npy").is_file():
            width = int(np.prod(np.load(first / f"{name}.npy", mmap_mode="r").shape[1:], dtype=int))
            source_name = f"muvi:{semantic_folder.relative_to(source / 'vevo_semantic' / 'all')}" \
                if name == "semantic" and semantic_folder is not None else "muvi"
            features.append(FeatureSpec(name=name, dim=width, source=source_name, file=f"{name}.npy"))
    manifest = DatasetManifest(
        videos=[v.model_copy(update={"split": splits[v.id]}) for v in videos], chord_vocabulary=vocabulary,
        features=features, emotion_source=f"muvi:{emotion_model}", recognizer="muvi", split_seed=seed)
    write_dataset(layout, manifest)
    return manifest
