"""`v2m compose` and `v2m demo`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from v2m_cli.output import OutputFormat, emit_record
from v2m_cli.overrides import option_overrides
from v2m_cli.progress import stage_progress
from v2m_cli.state import state

if TYPE_CHECKING:
    from v2m_core.schemas.composition import Composition

# v2m_core.compose.pipeline (numpy, scipy, PyAV, OpenCV) and the schemas are imported inside the commands, so
# `v2m --help` and `v2m plugins list` start fast.


def _tempo_map(composition: Composition) -> str:
    """'112 bpm' or '112 bpm, 2 changes (96-120)': the tempo most beats have, and the steps between sections
    (more than 3%; the map's small nudges at cuts are not changes a listener counts)."""
    plan = composition.plan
    beats = sorted(60.0 / beat.duration for beat in plan.beats) or [section.tempo for section in plan.sections]
    tempi = [section.tempo for section in plan.sections]
    changes = sum(abs(after / before - 1) > 0.03 for before, after in zip(tempi, tempi[1:]))
    main = f"{beats[len(beats) // 2]:.0f} bpm"
    if not changes:
        return main
    return f"{main}, {changes} change{'s' if changes > 1 else ''} ({min(tempi):.0f}-{max(tempi):.0f})"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _summary(composition: Composition, fmt: OutputFormat, written: Mapping[str, Path | None],
             replaced: set[Path]) -> None:
    """What was written (each file, and whether it replaced one) and decided, then what was measured."""
    from v2m_core.music.theory import key_name

    plan = composition.plan

    def shown(path: Path | None) -> str | None:
        if path is None or fmt is OutputFormat.json:
            return None if path is None else str(path)
        return f"{path} (replaced)" if path in replaced else str(path)

    stems = written.get("stems")
    files = {"output": shown(written.get("output")), "midi": shown(written.get("midi")),
             "stems": f"{stems}/ ({len(composition.stems)} WAVs{', replaced' if stems in replaced else ''})"
             if stems and composition.stems else None,
             "plot": shown(written.get("plot")), "keep": shown(written.get("keep"))}
    row: dict[str, Any] = {
        **{name: value for name, value in files.items() if value is not None},
        "style": plan.style,
        "key": key_name(plan.key),
        "tempo": _tempo_map(composition),
        "original_audio": composition.original_audio.summary if composition.original_audio else "none (music only)",
        **({"video": composition.video_stream} if composition.video_stream else {}),
        "duration_s": round(plan.duration, 2),
        "sections": len(plan.sections),
        "cuts": len(plan.cuts),
        "chords": len(plan.chords),
        "loudness_lufs": _rounded(composition.loudness.integrated_lufs),
        "true_peak_dbtp": _rounded(composition.loudness.true_peak_dbtp),
        "seconds": round(sum(composition.timings.values()), 1),
    }
    if fmt is OutputFormat.json:
        row |= {"stems": composition.stems or None, "replaced": sorted(str(path) for path in replaced)}
    emit_record(row, fmt, title="v2m compose")


def compose_command(
    ctx: typer.Context,
    video: Annotated[Path, typer.Argument(metavar="VIDEO", help="Input video: anything ffmpeg reads.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="FILE",
        help="Output video (.mp4, .m4v, .mov, .mkv) or .wav for the music alone. Missing folders are created; an "
             "existing file is replaced (the summary says so).")],
    planner: Annotated[str | None, typer.Option(
        metavar="NAME", help="Planner plugin: rules (default) or amt (with --model); `v2m plugins list -k planner` "
                             "lists what is installed.")] = None,
    model: Annotated[Path | None, typer.Option(
        "--model", metavar="CKPT", help="Checkpoint from `v2m train amt`: composes with the amt planner (implies "
                                        "--planner amt).")] = None,
    renderers: Annotated[list[str] | None, typer.Option(
        "--renderers", "-r", metavar="NAME[,NAME...]",
        help="Renderer plugins to combine: chords, bass, melody, drums (the default: all four), drums-learned, "
             "melody-learned.")] = None,
    drum_model: Annotated[Path | None, typer.Option(
        "--drum-model", metavar="CKPT", help="Model from `v2m train drums`: plays drums-learned (in place of drums).")] = None,
    melody_model: Annotated[Path | None, typer.Option(
        "--melody-model", metavar="CKPT",
        help="Model from `v2m train melody`: plays melody-learned (in place of melody).")] = None,
    synthesizer: Annotated[str | None, typer.Option(metavar="NAME", help="Synthesizer plugin (default: fluidsynth).")] = None,
    style: Annotated[str | None, typer.Option(
        metavar="STYLE", help="auto (default: from the mood and energy), cinematic, pop, ambient or electronic.")] = None,
    emotion: Annotated[str | None, typer.Option(
        metavar="STEP", help="Step plugin for the emotion (emotion-clip with v2m-semantic) instead of colour and "
                             "motion.")] = None,
    seed: Annotated[int | None, typer.Option(metavar="N", help="Random seed: the same seed gives the same music.")] = None,
    tempo: Annotated[float | None, typer.Option(metavar="BPM", help="Tempo in bpm instead of following the motion.")] = None,
    key: Annotated[str | None, typer.Option(
        metavar="KEY", help="Key such as 'D minor' or 'F# major' instead of following the mood.")] = None,
    instrument: Annotated[list[str] | None, typer.Option(
        "--instrument", "-i", metavar="ROLE=PROGRAM", help="General MIDI program for a role, e.g. melody=73 "
                                                            "(repeatable).")] = None,
    soundfont: Annotated[Path | None, typer.Option(
        metavar="FILE.sf2", help="SF2 soundfont (default: the system's General MIDI one).")] = None,
    original_audio: Annotated[str | None, typer.Option(
        metavar="MODE", help="The video's own audio: auto (default: kept, music ducked under it, where people talk; "
                             "else replaced), replace, mix (under the music) or keep (a second stream).")] = None,
    mix_gain_db: Annotated[float | None, typer.Option(
        metavar="DB", help="Gain of the original audio with --original-audio mix (default -12).")] = None,
    target_lufs: Annotated[float | None, typer.Option(
        metavar="LUFS", help="Integrated loudness of the music (default -14).")] = None,
    copy_video: Annotated[bool, typer.Option(
        "--copy-video", metavar="", help="Copy the picture as it is, or fail where the output's container cannot hold "
                                         "it (default: re-encode it as H.264 there, and say so).")] = False,
    stems: Annotated[bool, typer.Option(
        "--stems", metavar="", help="Also write a WAV per track (into --keep DIR/stems, else NAME.stems/ beside the "
                                    "output).")] = False,
    midi: Annotated[Path | None, typer.Option(metavar="FILE.mid", help="Also write the MIDI file.")] = None,
    keep: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Keep the work folder here: analysis, MIDI, WAV, plan and composition JSON.")] = None,
    plot: Annotated[Path | None, typer.Option(
        metavar="FILE.png", help="Write a PNG of features, cuts, chords and beats.")] = None,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="KEY=VALUE", help="Any configuration key, e.g. compose.analysis_width=240 "
                                                  "(repeatable; see `v2m config show`).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as a table or JSON.")] = OutputFormat.table,
) -> None:
    """Compose music that follows VIDEO and write it into OUTPUT.

    Everything is checked before the video is analysed; the outputs appear together at the end, or none.

    Examples:

      v2m compose clip.mp4 -o scored.mp4

      v2m compose clip.mp4 -o scored.mp4 --style pop --key "Bb minor" --seed 3

      v2m compose old.avi -o scored.mkv --copy-video

      v2m compose clip.mp4 -o music.wav --midi music.mid --stems --plot plan.png
    """
    from v2m_core.compose.request import ORIGINAL_AUDIO, STYLES, check_choice
    from v2m_core.errors import UsageError

    cli = state(ctx)
    instruments = dict(item.split("=", 1) for item in instrument or [] if "=" in item)
    if instrument and len(instruments) != len(instrument):
        raise UsageError("--instrument: use ROLE=PROGRAM, e.g. melody=73")
    if model is not None and planner not in (None, "amt"):
        raise UsageError(f"--model is the amt planner's checkpoint: use it with --planner amt (or alone), "
                         f"not with --planner {planner}")
    options = option_overrides("compose", planner="amt" if model is not None else planner, renderers=renderers,
                               synthesizer=synthesizer,
                               style=check_choice(style, STYLES, "style") if style is not None else None, emotion=emotion,
                               seed=seed, tempo=tempo, key=key, soundfont=str(soundfont) if soundfont else None,
                               original_audio=check_choice(original_audio, ORIGINAL_AUDIO, "--original-audio mode")
                               if original_audio is not None else None,
                               mix_gain_db=mix_gain_db, target_lufs=target_lufs)
    options += [f"compose.instruments.{role}={program}" for role, program in instruments.items()]
    if model is not None:
        options.append(f"plugins.settings.amt.model={json.dumps(str(model))}")
    loaded = cli.config([*(overrides or []), *options])
    learned = {name: path for name, path in (("drums-learned", drum_model), ("melody-learned", melody_model)) if path}
    if learned:  # overrides too, on the renderers the rest of the configuration chose
        options += option_overrides("compose", renderers=_with_learned(loaded.config.compose.renderers, learned))
        options += [f"plugins.settings.{name}.model={json.dumps(str(path))}" for name, path in learned.items()]
        loaded = cli.config([*(overrides or []), *options])
    request, settings = loaded.config.compose, loaded.config.plugins.settings
    from v2m_core.compose.pipeline import check_outputs, compose

    outputs = check_outputs(video, output, midi=midi, plot=plot, keep=keep, stems=stems)
    replaced = {path for path in (outputs.output, outputs.midi, outputs.plot, outputs.stems) if path and path.exists()}
    with stage_progress(cli.console) as progress:
        composition = compose(video, output, request, plugin_settings=settings, keep=keep, stems=stems, plot=plot,
                              midi=midi, copy_video=copy_video, plugins=cli.plugins, progress=progress)
    _summary(composition, fmt, {"output": outputs.output, "midi": outputs.midi, "plot": outputs.plot,
                                "stems": outputs.stems or (keep / "stems" if keep and stems else None), "keep": keep},
             replaced)


def _with_learned(renderers: list[str], learned: dict[str, Path]) -> list[str]:
    """The renderer list with each learned renderer in place of its rule twin ("drums" for "drums-learned"),
    or added when neither is there."""
    chosen = list(renderers)
    for name in learned:
        if name not in chosen:
            twin = name.removesuffix("-learned")
            chosen = [name if r == twin else r for r in chosen] if twin in chosen else [*chosen, name]
    return chosen


def demo_command(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Folder for the demo files.")] = Path("demo"),
    seed: Annotated[int, typer.Option(metavar="N", help="Random seed.")] = 0,
) -> None:
    """Make a ~30 s demo video with ffmpeg (scenes, cuts, motion) and compose music for it.

    Example: v2m demo -o demo/ && open demo/demo.mp4
    """
    from v2m_core.compose.pipeline import compose
    from v2m_core.media.synthetic import make_demo_video

    cli = state(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "demo-input.mp4"
    cuts = make_demo_video(source)
    cli.console.print(f"made {source} ({len(cuts)} cuts at {', '.join(f'{c:.2f}' for c in cuts)} s)")
    loaded = cli.config([f"compose.seed={seed}", "compose.original_audio=\"replace\""])
    written = {"output": folder / "demo.mp4", "plot": folder / "demo.png", "keep": folder / "work"}
    replaced = {path for path in (written["output"], written["plot"]) if path.exists()}
    with stage_progress(cli.console) as progress:
        composition = compose(source, written["output"], loaded.config.compose,
                              plugin_settings=loaded.config.plugins.settings, keep=written["keep"],
                              plot=written["plot"], plugins=cli.plugins, progress=progress)
    _summary(composition, OutputFormat.table, written, replaced)
    cli.console.print(f"open {folder / 'demo.mp4'} to watch it; {folder / 'demo.png'} shows the plan")
