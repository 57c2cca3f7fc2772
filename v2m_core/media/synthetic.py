"""Generated test videos with known cuts, built from ffmpeg's lavfi sources (nothing downloaded).

Each scene is one lavfi source, frozen or scrolled to set its motion and passed through a luma/chroma
look-up table to set its brightness and saturation; scenes are concatenated with hard cuts on frame
boundaries, so the returned cut times are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from v2m_core.media.ffmpeg import run_ffmpeg

Pattern = Literal["testsrc2", "mandelbrot", "smptebars", "color", "cellauto", "life", "rgbtestsrc"]
Motion = Literal["static", "slow", "fast"]

DEFAULT_CODEC_ARGS: tuple[str, ...] = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p")
FAST_CODEC_ARGS: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p")
"""For long benchmark videos, where encoding time matters more than file size."""

_SOURCES: dict[str, str] = {
    "testsrc2": "testsrc2=size={size}:rate={rate}",
    "mandelbrot": "mandelbrot=size={size}:rate={rate}:maxiter=64:start_scale=1.5:end_scale=0.05",
    "smptebars": "smptebars=size={size}:rate={rate}",
    "color": "color=size={size}:rate={rate}:c=0x3050a0",
    "cellauto": "cellauto=size={cells}:rate=4:rule=30:random_fill_ratio=0.5:seed=7:scroll=1,{calm}",
    "life": "life=size={cells}:rate=4:ratio=0.3:seed=7:mold=10:life_color=0xffd040:death_color=0x403010"
            ":mold_color=0xa08020,{calm}",
    "rgbtestsrc": "rgbtestsrc=size={size}:rate={rate}",
}
"""Each pattern's lavfi source. Cellular automata change cells at random, which a cut detector cannot
tell from a cut: they use cells of 4x4 pixels, blurred, in one hue, and evolve 4 times a second with
cross-fades in between."""

MONTAGE_SIGMA = 0.5
"""Spread of log shot length: about two thirds of shots within 0.6x..1.65x the median."""
SHORTEST_SHOT = 0.4
MONTAGE_PATTERNS: tuple[Pattern, ...] = ("testsrc2", "mandelbrot", "smptebars", "color", "cellauto", "life", "rgbtestsrc")
CALM_PATTERNS = ("cellauto", "life", "color", "mandelbrot")
"""Static or slow only: a random texture scrolled fast changes per frame as much as a cut, and the fast
motion's hue cycle turns a flat colour or the Mandelbrot zoom into false cuts every few seconds."""
_SCROLL: dict[str, str] = {
    "static": "loop=loop=-1:size=1:start=0,setpts=N/FRAME_RATE/TB",
    "slow": "scroll=horizontal=0.002:vertical=0.001",
    "fast": "scroll=horizontal=0.012:vertical=0.008,hue=H=2*PI*t/4",
}


@dataclass(frozen=True)
class SceneSpec:
    """One shot: `brightness` and `saturation` are gains on luma and chroma (1 keeps the source).

    Keep "cellauto" and "life" static or slow: a random texture scrolled fast changes as much per
    frame as a cut does.
    """

    duration: float
    pattern: Pattern = "testsrc2"
    brightness: float = 1.0
    saturation: float = 1.0
    motion: Motion = "slow"


DEMO_SCENES: tuple[SceneSpec, ...] = (
    SceneSpec(4.0, "smptebars", brightness=0.3, saturation=0.35, motion="static"),
    SceneSpec(6.5, "mandelbrot", brightness=0.8, saturation=0.8, motion="slow"),
    SceneSpec(3.0, "testsrc2", brightness=1.5, saturation=1.8, motion="fast"),
    SceneSpec(7.0, "color", brightness=0.45, saturation=0.6, motion="static"),
    SceneSpec(5.5, "smptebars", brightness=1.6, saturation=1.6, motion="fast"),
    SceneSpec(4.0, "life", brightness=0.9, saturation=1.0, motion="slow"),
)
"""About 30 s: dark and still, slow, bright and fast, dark, bright and fast, slow; hard cuts between."""


def make_video(
    path: Path,
    scenes: Sequence[SceneSpec],
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
    audio: bool = False,
    codec_args: Sequence[str] = DEFAULT_CODEC_ARGS,
) -> list[float]:
    """Write the scenes back to back to `path`; return the cut times (start of every scene but the first)."""
    if not scenes:
        raise ValueError("make_video needs at least one scene")
    frames = [max(1, round(scene.duration * fps)) for scene in scenes]
    chains = [f"{_scene_filter(scene, size, fps, count)}[v{i}]" for i, (scene, count) in enumerate(zip(scenes, frames))]
    labels = "".join(f"[v{i}]" for i in range(len(scenes)))
    graph = ";".join([*chains, f"{labels}concat=n={len(scenes)}:v=1:a=0,setpts=N/{fps}/TB[v]"])
    total = sum(frames) / fps
    inputs: list[str] = []
    outputs = ["-map", "[v]"]
    if audio:
        inputs = [
            "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=44100:duration={total}",
            "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.05:sample_rate=44100:seed=3:duration={total}",
        ]
        graph += ";[0:a]volume=0.1[tone];[tone][1:a]amix=inputs=2:normalize=0[a]"
        outputs += ["-map", "[a]", "-c:a", "aac", "-b:a", "96k"]
    arguments = [*inputs, "-filter_complex", graph, *outputs, *codec_args, "-r", str(fps), "-t", f"{total:.6f}"]
    run_ffmpeg([*arguments, str(path)], blame=Path(path))
    return [count / fps for count in accumulate(frames[:-1])]


def _scene_filter(scene: SceneSpec, size: tuple[int, int], fps: int, frame_count: int) -> str:
    """One scene's filter chain: source, motion, colour gains, then exactly `frame_count` frames."""
    width, height = size
    calm = f"scale={width}:{height}:flags=bilinear,framerate=fps={fps}:scene=100"
    cells = f"{max(8, width // 4)}x{max(8, height // 4)}"
    source = _SOURCES[scene.pattern].format(size=f"{width}x{height}", cells=cells, rate=fps, calm=calm)
    colour = (
        f"format=yuv420p,lutyuv=y='clip(val*{scene.brightness},16,235)'"
        f":u='clip(128+(val-128)*{scene.saturation},16,240)':v='clip(128+(val-128)*{scene.saturation},16,240)'"
    )
    return f"{source},{_SCROLL[scene.motion]},{colour},trim=end_frame={frame_count},setpts=PTS-STARTPTS,setsar=1"


def make_demo_video(path: Path) -> list[float]:
    """The ~30 s demo clip with a quiet tone-and-noise soundtrack, so mixing with original audio can be shown."""
    return make_video(path, DEMO_SCENES, audio=True)


def varied_scenes(total_seconds: float) -> list[SceneSpec]:
    """Cycle through the demo scenes with deterministic, varied lengths (2-12 s) until `total_seconds` is filled."""
    scenes: list[SceneSpec] = []
    remaining = total_seconds
    while remaining > 1e-9:
        duration = 2.0 + (len(scenes) * 7 % 11)
        duration = remaining if remaining - duration < 1.0 else duration
        scenes.append(replace(DEMO_SCENES[len(scenes) % len(DEMO_SCENES)], duration=duration))
        remaining -= duration
    return scenes


def montage_scenes(rng: np.random.Generator, median: float, seconds: float, fps: int = 25) -> list[SceneSpec]:
    """Lognormal shot lengths in whole frames (at least SHORTEST_SHOT) filling `seconds` exactly; every shot
    differs from the one before in pattern, and draws its brightness, saturation and motion."""
    scenes: list[SceneSpec] = []
    shortest, remaining = round(SHORTEST_SHOT * fps), round(seconds * fps)
    while remaining > 0:
        frames = max(shortest, round(float(rng.lognormal(np.log(median), MONTAGE_SIGMA)) * fps))
        if remaining - frames < shortest:
            frames = remaining
        patterns = [p for p in MONTAGE_PATTERNS if not scenes or p != scenes[-1].pattern]
        pattern = patterns[int(rng.integers(len(patterns)))]
        motions: tuple[Motion, ...] = ("static", "slow") if pattern in CALM_PATTERNS else ("static", "slow", "fast")
        scenes.append(SceneSpec(frames / fps, pattern, brightness=round(float(rng.uniform(0.35, 1.6)), 2),
                                saturation=round(float(rng.uniform(0.3, 1.8)), 2),
                                motion=motions[int(rng.integers(len(motions)))]))
        remaining -= frames
    return scenes


def make_long_video(
    path: Path, seconds: float, size: tuple[int, int] = (160, 90), fps: int = 10
) -> list[float]:
    """A benchmark video of `varied_scenes(seconds)`, encoded fast (20 min at 160x90 and 10 fps takes seconds)."""
    return make_video(path, varied_scenes(seconds), size=size, fps=fps, codec_args=FAST_CODEC_ARGS)


def make_rotated_video(
    path: Path, rotation: int = 90, duration: float = 2.0, size: tuple[int, int] = (320, 180)
) -> None:
    """A phone-style clip: landscape pixels plus a display matrix telling players to turn it `rotation`° clockwise."""
    plain = path.with_name(f".{path.stem}.unrotated{path.suffix}")
    make_video(plain, [SceneSpec(duration, "testsrc2", motion="slow")], size=size)
    try:  # ffmpeg 5.1 stores the legacy rotate tag as a display matrix; the tag's sign is counter-clockwise
        run_ffmpeg(["-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={-rotation}", str(path)], blame=path)
    finally:
        plain.unlink(missing_ok=True)


def make_vfr_video(path: Path, size: tuple[int, int] = (320, 180), fps: int = 25) -> None:
    """A 4 s clip at `fps` for its first 2 s, then every third frame only, with true timestamps kept."""
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc2=size={size[0]}x{size[1]}:rate={fps}:duration=4",
            "-vf", r"select='lt(t\,2)+not(mod(n\,3))'", "-fps_mode", "vfr", *DEFAULT_CODEC_ARGS, str(path),
        ],
        blame=path,
    )
