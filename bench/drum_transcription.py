"""How well and how fast `v2m_core.drums.transcribe` hears drums: alone and in v2m's own full mixes.

Renders generated drum grooves with FluidSynth (drums alone), and composes generated videos with
the rule renderers (`v2m compose --keep`: chords, bass, melody and drums, mastered), then
transcribes each WAV and scores the hits against the MIDI that made it: onset precision, recall
and F-measure within 50 ms (mir_eval) per reported class, and the speed as a multiple of real time.

    .venv/bin/python bench/drum_transcription.py [--grooves 4] [--seconds 30 40 50] [--folder bench-transcription]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import mir_eval
import numpy as np
import pretty_midi
from rich.console import Console
from rich.table import Table

from v2m_core.drums.kit import class_of, index
from v2m_core.drums.synthetic import write_drum_collection
from v2m_core.drums.transcribe import OBSERVED, SAMPLE_RATE, kit_templates, read_mono, transcribe_drums
from v2m_core.media.synthetic import make_video, varied_scenes
from v2m_core.synthesizers.fluidsynth import FluidSynthConfig, FluidSynthSynthesizer


def _pairs(folder: Path, grooves: int, seconds: list[float]) -> dict[str, list[tuple[Path, Path]]]:
    """(MIDI, WAV) pairs of drums alone and of full composed mixes."""
    alone = []
    for midi in write_drum_collection(folder / "grooves", files=grooves, seed=7):
        FluidSynthSynthesizer(FluidSynthConfig()).synthesize(midi, midi.with_suffix(".wav"), SAMPLE_RATE)
        alone.append((midi, midi.with_suffix(".wav")))
    mixes = []
    for number, length in enumerate(seconds):
        video, work = folder / f"video-{length:g}s.mp4", folder / f"mix-{length:g}s"
        make_video(video, varied_scenes(length), size=(320, 180), fps=25)
        command = [sys.executable, "-m", "v2m_cli", "compose", str(video), "-o", str(work.with_suffix(".wav")),
                   "--seed", str(number), "--keep", str(work)]
        subprocess.run(command, check=True, capture_output=True)
        mixes.append((work / "music.mid", work / "music.wav"))
    return {"drums alone": alone, "full mix": mixes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grooves", type=int, default=4)
    parser.add_argument("--seconds", type=float, nargs="+", default=[30.0, 40.0, 50.0])
    parser.add_argument("--folder", type=Path, default=Path("bench-transcription"))
    args = parser.parse_args()
    templates = kit_templates()
    table = Table(title="drum transcription: onset precision / recall / F-measure (50 ms), summed over files")
    for column in ("material", "audio s", "x real time", *OBSERVED):
        table.add_column(column)
    for material, pairs in _pairs(args.folder, args.grooves, args.seconds).items():
        counts = {name: np.zeros(3) for name in OBSERVED}  # reference, estimated, matched
        audio_seconds = work_seconds = 0.0
        for midi, wav in pairs:
            audio = read_mono(wav)
            began = time.perf_counter()
            hits = transcribe_drums(audio, templates)
            work_seconds += time.perf_counter() - began
            audio_seconds += len(audio) / SAMPLE_RATE
            notes = [n for i in pretty_midi.PrettyMIDI(str(midi)).instruments if i.is_drum for n in i.notes]
            for name in OBSERVED:
                reference = np.unique(np.round([n.start for n in notes if class_of(n.pitch) == index(name)], 4))
                estimated = np.array([t for t, kind, _ in hits if kind == index(name)])
                matched = len(mir_eval.util.match_events(reference, estimated, 0.05))
                counts[name] += (len(reference), len(estimated), matched)
        cells = []
        for reference, estimated, matched in counts.values():
            precision, recall = matched / max(estimated, 1), matched / max(reference, 1)
            cells.append(f"{precision:.2f} / {recall:.2f} / {2 * precision * recall / max(precision + recall, 1e-9):.2f}")
        table.add_row(material, f"{audio_seconds:.0f}", f"{audio_seconds / work_seconds:.0f}", *cells)
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
