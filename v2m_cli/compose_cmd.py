"""`v2m compose` and `v2m demo`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from v2m_cli.output import OutputFormat, emit_record
from v2m_cli.progress import stage_progress
from v2m_cli.state import state
from v2m_core.schemas.composition import Composition

# v2m_core.compose.pipeline (numpy, scipy, PyAV, OpenCV) is imported inside the commands, so
# `v2m --help` and `v2m plugins list` start fast.


def _overrides(**options: object) -> list[str]:
    """CLI options become `compose.KEY=VALUE` overrides, so `config show` rules apply to them too."""
    overrides = []
    for key, value in options.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = [part.strip() for item in value for part in str(item).split(",") if part.strip()]
        overrides.append(f"compose.{key}={json.dumps(value)}")
    return overrides


def _summary(composition: Composition, fmt: OutputFormat) -> None:
    plan = composition.plan
    tempi = [s.tempo for s in plan.sections]
    row = {
        "output": composition.output,
        "duration_s": round(plan.duration, 2),
        "style": plan.style,
        "key": f"{['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'][plan.key.tonic]} {plan.key.mode}",
        "tempo_bpm": f"{min(tempi):.0f}-{max(tempi):.0f}" if len(tempi) > 1 else f"{tempi[0]:.0f}",
        "sections": len(plan.sections),
        "cuts": len(plan.cuts),
        "chords": len(plan.chords),
        "loudness_lufs": round(composition.loudness.integrated_lufs, 1),
        "true_peak_dbtp": round(composition.loudness.true_peak_dbtp, 1),
        "original_audio": composition.original_audio.summary if composition.original_audio else "none (music only)",
        "seconds": round(sum(composition.timings.values()), 1),
    }
    emit_record(row, fmt, title="v2m compose")


def compose_command(
    ctx: typer.Context,
    video: Annotated[Path, typer.Argument(help="Input video.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output video (.mp4/.mov/.mkv) or .wav for music only.")],
    planner: Annotated[str | None, typer.Option(help="Planner plugin (default: rules).")] = None,
    model: Annotated[Path | None, typer.Option("--model", help="Checkpoint for --planner amt (plugins.settings.amt.model).")] = None,
    renderers: Annotated[list[str] | None, typer.Option("--renderers", "-r", help="Renderer plugins, comma-separated.")] = None,
    drum_model: Annotated[Path | None, typer.Option(
        "--drum-model", help="Model from `v2m train drums`: plays drums-learned (in place of drums).")] = None,
    melody_model: Annotated[Path | None, typer.Option(
        "--melody-model", help="Model from `v2m train melody`: plays melody-learned (in place of melody).")] = None,
    synthesizer: Annotated[str | None, typer.Option(help="Synthesizer plugin (default: fluidsynth).")] = None,
    style: Annotated[str | None, typer.Option(help="auto, cinematic, pop, ambient or electronic.")] = None,
    emotion: Annotated[str | None, typer.Option(
        help="Step plugin for the emotion (emotion-clip with v2m-semantic) instead of colour and motion.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed: the same seed gives the same music.")] = None,
    tempo: Annotated[float | None, typer.Option(help="Tempo in bpm instead of following the motion.")] = None,
    key: Annotated[str | None, typer.Option(help="Key such as 'D minor' instead of following the mood.")] = None,
    instrument: Annotated[list[str] | None, typer.Option("--instrument", "-i", help="ROLE=GM_PROGRAM, e.g. melody=73.")] = None,
    soundfont: Annotated[Path | None, typer.Option(help="SF2 soundfont (default: the system's General MIDI one).")] = None,
    original_audio: Annotated[Literal["auto", "replace", "mix", "keep"] | None, typer.Option(
        help="The video's own audio: auto (default: kept, music ducked under it, where people talk; else "
             "replaced), replace, mix or keep.")] = None,
    mix_gain_db: Annotated[float | None, typer.Option(help="Gain of the original audio with --original-audio mix.")] = None,
    target_lufs: Annotated[float | None, typer.Option(help="Integrated loudness target (default -14).")] = None,
    stems: Annotated[bool, typer.Option(help="Also write a WAV per track.")] = False,
    keep: Annotated[Path | None, typer.Option(help="Keep the work folder here: analysis, MIDI, WAV, plan JSON.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of features, cuts, chords and beats.")] = None,
    overrides: Annotated[list[str] | None, typer.Option("--set", "-s", help="Any config KEY=VALUE.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = OutputFormat.table,
) -> None:
    """Compose music that follows VIDEO and write it into OUTPUT."""
    cli = state(ctx)
    instruments = dict(item.split("=", 1) for item in instrument or [] if "=" in item)
    if instrument and len(instruments) != len(instrument):
        raise typer.BadParameter("use ROLE=PROGRAM, e.g. melody=73", param_hint="--instrument")
    options = _overrides(planner=planner, renderers=renderers, synthesizer=synthesizer, style=style, emotion=emotion, seed=seed,
                         tempo=tempo, key=key, soundfont=str(soundfont) if soundfont else None,
                         original_audio=original_audio, mix_gain_db=mix_gain_db, target_lufs=target_lufs)
    options += [f"compose.instruments.{role}={program}" for role, program in instruments.items()]
    if model is not None:
        options.append(f"plugins.settings.amt.model={json.dumps(str(model))}")
    loaded = cli.config([*(overrides or []), *options])
    request, settings = loaded.config.compose, loaded.config.plugins.settings
    learned = {name: path for name, path in (("drums-learned", drum_model), ("melody-learned", melody_model)) if path}
    if learned:
        request = request.model_copy(update={"renderers": _with_learned(request.renderers, learned)})
        settings = {**settings, **{name: {**settings.get(name, {}), "model": str(path)} for name, path in learned.items()}}
    from v2m_core.compose.pipeline import compose

    with stage_progress(cli.console) as progress:
        composition = compose(video, output, request, plugin_settings=settings,
                              keep=keep, stems=stems, plot=plot, plugins=cli.plugins, progress=progress)
    _summary(composition, fmt)


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
    folder: Annotated[Path, typer.Option("--output", "-o", help="Folder for the demo files.")] = Path("demo"),
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Make a ~30 s demo video with ffmpeg (scenes, cuts, motion) and compose music for it."""
    from v2m_core.compose.pipeline import compose
    from v2m_core.media.synthetic import make_demo_video

    cli = state(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "demo-input.mp4"
    cuts = make_demo_video(source)
    cli.console.print(f"made {source} ({len(cuts)} cuts at {', '.join(f'{c:.2f}' for c in cuts)} s)")
    loaded = cli.config([f"compose.seed={seed}", "compose.original_audio=\"replace\""])
    with stage_progress(cli.console) as progress:
        composition = compose(source, folder / "demo.mp4", loaded.config.compose,
                              plugin_settings=loaded.config.plugins.settings, keep=folder / "work",
                              plot=folder / "demo.png", plugins=cli.plugins, progress=progress)
    _summary(composition, OutputFormat.table)
    cli.console.print(f"open {folder / 'demo.mp4'} to watch it; {folder / 'demo.png'} shows the plan")
