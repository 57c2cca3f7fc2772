"""`v2m report`: the page a user shares about one composition.

Its title and settings; the video with a soundtrack switch (the new music, the original sound, or one stem)
over a timeline of sections, phrases, chords, beats, tempo and cuts and a piano roll of music.mid, with a
playhead that follows the video; download links for the MIDI and the WAV; and every measure of `v2m eval music`
beside its target. One HTML file: script and style inline, media embedded or linked (v2m_core/report/media.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from v2m_core import __version__
from v2m_core.atomic import atomic_write_text
from v2m_core.evaluation.music import MusicEvaluation, evaluate_target
from v2m_core.evaluation.target import EvalTarget, load_target
from v2m_core.media.mux import CONTAINERS
from v2m_core.music.theory import key_name
from v2m_core.report.measures import MeasureRow, measure_rows, median_shot_seconds
from v2m_core.report.media import EMBED_LIMIT, PageMedia
from v2m_core.report.shell import asset, html_page, text
from v2m_core.report.timeline import timeline_data
from v2m_core.schemas.composition import Composition
from v2m_core.scratch import scratch_folder


@dataclass(frozen=True)
class Sources:
    """What the page plays, as src attributes (data URIs or relative links); None where there is none."""

    picture: str | None
    picture_is_new: bool
    """Whether the picture is the composed video, whose own sound is the new soundtrack."""
    new: str | None
    original: str | None
    stems: list[tuple[str, str]]
    midi: str | None
    wav: str | None


def write_report(target: Path, output: Path, embed_limit: int = EMBED_LIMIT) -> list[Path]:
    """Write the page for a `--keep` folder or a composed video; return the media files it links rather than
    embeds (it must stay beside them)."""
    loaded = load_target(Path(target))
    evaluation = evaluate_target(loaded)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    media = PageMedia(output.parent, embed_limit)
    with scratch_folder("report") as scratch:
        sources = _sources(loaded, media, Path(scratch))
    atomic_write_text(output, render_report(loaded, evaluation, sources, media.linked))
    return media.linked


def _input_video(composition: Composition | None) -> Path | None:
    """The video that was composed for, where it still is (a relative path is read from the current folder, as
    compose wrote it)."""
    if composition is None:
        return None
    path = Path(composition.video)
    path = path if path.is_absolute() else Path.cwd() / path
    return path if path.is_file() else None


def _sources(target: EvalTarget, media: PageMedia, scratch: Path) -> Sources:
    """Embed in order of importance while the budget lasts: the MIDI, the picture, the soundtracks, the stems,
    the WAV download."""
    composed = target.video if target.video is not None and target.video.suffix.lower() in CONTAINERS else None
    original = _input_video(target.composition)
    picture = composed or original
    midi = target.source / "music.mid" if target.source.is_dir() else None
    midi_source = media.source(midi) if midi is not None and midi.is_file() else None
    picture_source = media.source(picture) if picture is not None else None
    new = media.player(target.audio_path, scratch) if composed is None and target.audio_path is not None else None
    heard = target.composition is not None and target.composition.analysis.probe.has_audio
    original_source = media.player(original, scratch) if original is not None and heard else None
    stems = [(stem.stem.split("-", 1)[-1], media.player(stem, scratch)) for stem in target.stems]
    wav = media.source(target.audio_path) if target.audio_path is not None else None
    return Sources(picture_source, composed is not None, new, original_source, stems, midi_source, wav)


def render_report(target: EvalTarget, evaluation: MusicEvaluation, sources: Sources, linked: list[Path]) -> str:
    composition = target.composition
    name = Path(composition.video).name if composition else target.source.name
    title = f"Music for {name}"
    body = [_header(title, target, composition), _watch(target, sources), _stems(sources), _downloads(sources, name),
            _measures(evaluation, median_shot_seconds(target.analysis)), _notes(evaluation, linked)]
    data = timeline_data(target.plan, target.analysis, target.tracks) if target.plan is not None else None
    return html_page(f"{title} · v2m", "\n".join(body), [asset("v2m_core.report", "report.css")],
                     asset("v2m_core.report", "report.js"), data)


def _header(title: str, target: EvalTarget, composition: Composition | None) -> str:
    if composition is None:
        return (f"<header><h1>{text(title)}</h1><p class='sub'>v2m {__version__} report of a composed video. "
                "Settings, the timeline and the note measures need a folder: compose with --keep DIR and report DIR."
                "</p></header>")
    plan, probe, loudness = composition.plan, composition.analysis.probe, composition.loudness
    tempi = [section.tempo for section in plan.sections]
    tempo = (f"{min(tempi):.0f}-{max(tempi):.0f} bpm over {len(tempi)} sections" if max(tempi) - min(tempi) >= 0.5
             else f"{tempi[0]:.0f} bpm") + f", {len(plan.beats)} beats fitted to {len(plan.cuts)} cuts"
    settings = {
        "Video": f"{Path(probe.path).name}: {probe.duration:.1f} s, {probe.width}x{probe.height}, {probe.fps:.3g} fps",
        "Style": plan.style, "Key": key_name(plan.key), "Tempo map": tempo, "Seed": plan.seed,
        "Planner": plan.planner, "Renderers": ", ".join(composition.renderers), "Synthesizer": composition.synthesizer,
        "Picture read by": composition.analysis.affect_source,
        "Original sound": composition.original_audio.summary if composition.original_audio else "none (music only)",
        "Loudness": loudness.describe(),
    }
    items = "".join(f"<div><dt>{text(key)}</dt><dd>{text(value)}</dd></div>" for key, value in settings.items())
    return (f"<header><h1>{text(title)}</h1><p class='sub'>v2m {__version__} report of {text(target.source.name)}"
            f"</p><dl class='settings'>{items}</dl></header>")


def _watch(target: EvalTarget, sources: Sources) -> str:
    players = []
    if sources.picture is not None:
        role = " data-soundtrack='new'" if sources.picture_is_new else ""
        players.append(f"<video id='video' data-clock controls preload='auto' playsinline{role} "
                       f"src='{text(sources.picture)}'></video>")
    if sources.new is not None:
        clock = "" if sources.picture is not None else " data-clock controls"
        players.append(f"<audio id='track-new' data-soundtrack='new' preload='auto'{clock} "
                       f"src='{text(sources.new)}'></audio>")
    if sources.original is not None:
        players.append(f"<audio id='track-original' data-soundtrack='original' preload='auto' "
                       f"src='{text(sources.original)}'></audio>")
    if not players:
        return "<section><h2>Watch</h2><p class='note'>No video or music file to play.</p></section>"
    disabled = "" if sources.original is not None else " disabled"
    why = "" if sources.original is not None else (
        "<p class='note'>The original sound is not here: the input video is gone, has no sound, or this is a bare "
        "composed video.</p>")
    switch = ("<div class='switch' role='radiogroup' aria-label='Soundtrack'>"
              "<label title='key a'><input type='radio' name='soundtrack' value='new' checked> A · new soundtrack"
              f"</label><label title='key b'><input type='radio' name='soundtrack' value='original'{disabled}> "
              "B · original</label>"
              f"</div>{why}")
    timeline = ("<p class='note'>The timeline needs plan.json: compose with --keep DIR and report DIR.</p>"
                if target.plan is None else
                "<div class='zoom'><button id='zoom-out' title='zoom out'>−</button> "
                "<button id='zoom-in' title='zoom in'>+</button> <button id='zoom-fit'>fit</button></div>"
                "<div id='now'></div>"
                "<div class='timeline'><div class='lane-names' id='lane-names'></div><div id='scroll'><div id='inner'>"
                "<div id='playhead'></div></div></div></div><div class='legend' id='legend'></div>"
                "<p class='note'>Click or drag on the timeline to seek; space plays or pauses; red lines are cuts "
                "(solid: a new section). Hover for details.</p>")
    return f"<section id='watch'>{''.join(players)}{switch}{timeline}</section>"


def _stems(sources: Sources) -> str:
    if not sources.stems:
        return ""
    rows = "".join(
        f"<tr><td>{text(role)}</td><td><audio id='stem-{index}' data-soundtrack='stem-{index}' controls "
        f"preload='auto' src='{text(source)}'></audio></td><td><label><input type='radio' name='soundtrack' "
        f"value='stem-{index}'> with the picture</label></td></tr>"
        for index, (role, source) in enumerate(sources.stems))
    return f"<section><h2>Stems</h2><table class='stems'>{rows}</table></section>"


def _downloads(sources: Sources, name: str) -> str:
    stem = Path(name).stem
    links = [f"<a download='{text(stem)}.{suffix}' href='{text(source)}'>{label}</a>"
             for suffix, label, source in (("mid", "MIDI (music.mid)", sources.midi),
                                           ("wav", "WAV (music.wav)", sources.wav))
             if source is not None]
    if not links:
        return ""
    return f"<section class='downloads'><h2>Downloads</h2>{''.join(links)}</section>"


def _value(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def _measures(evaluation: MusicEvaluation, pacing: float | None) -> str:
    rows: list[MeasureRow] = measure_rows(evaluation, pacing)
    passed = sum(row.verdict == "pass" for row in rows)
    judged = sum(row.verdict != "info" for row in rows)
    cells, group = [], ""
    for row in rows:
        if row.group != group:
            group = row.group
            cells.append(f"<tr class='group'><th colspan='5'>{text(group)}</th></tr>")
        badge = {"pass": "pass", "warn": "warn", "info": "–"}[row.verdict]
        cells.append(f"<tr class='{row.verdict}' id='measure-{text(row.name)}'><td><code>{text(row.name)}</code></td>"
                     f"<td class='num'>{_value(row.value)}</td><td class='num'>{text(row.target or '–')}</td>"
                     f"<td><span class='badge'>{badge}</span></td><td>{text(row.explanation)}</td></tr>")
    pace = f" Median shot {pacing:.2f} s." if pacing is not None else ""
    return (f"<section id='measures'><h2>Measures</h2><p><strong>{passed} of {judged}</strong> targets met.{pace} "
            "Measures without a target are shown for reading; definitions in docs/music-evaluation.md.</p>"
            "<table><tr><th>measure</th><th>value</th><th>target</th><th></th><th>what it says</th></tr>"
            f"{''.join(cells)}</table></section>")


def _notes(evaluation: MusicEvaluation, linked: list[Path]) -> str:
    lines = [*evaluation.missing]
    if linked:
        lines.append("Linked, not embedded (too big for one page; keep this page beside them): "
                     + ", ".join(path.name for path in linked))
    return "".join(f"<p class='note'>{text(line)}</p>" for line in lines)
