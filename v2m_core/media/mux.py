"""Putting the music under the original picture, atomically; ducking it under speech.

The picture is copied bit for bit where the output's container can hold its codec; where it cannot (an old
AVI's msmpeg4v3 or cinepak in .mp4), it is re-encoded as H.264 at CRF 18, a quality few can tell from the
source, at the same size, frame times and orientation (`video_codec`).

With `auto`, the video's own soundtrack is listened to first (media/speech.py): where people talk it
is kept at full level and the music is ducked under it, the way a dubbing mixer rides a music bed
under dialogue; otherwise the music replaces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import numpy as np
import soundfile

from v2m_core.atomic import atomic_path
from v2m_core.media.loudness import OutputMeter, limited
from v2m_core.errors import MediaError, UsageError
from v2m_core.media.audio import AudioBlocks, DecodedBlocks, WavBlocks, write_wav_blocks
from v2m_core.media.ffmpeg import ffmpeg_running, media_url, run_ffmpeg
from v2m_core.media.listen import listen
from v2m_core.media.probe import probe
from v2m_core.media.speech import Segment, SegmentLoudness, SpeechActivity, speech_margin
from v2m_core.output_paths import same_file
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.schemas.composition import LoudnessReport, OriginalAudioDecision
from v2m_core.scratch import scratch_folder

MuxMode = Literal["replace", "mix", "keep"]
OriginalAudio = Literal["auto", "replace", "mix", "keep"]
VideoCodec = Literal["copy", "h264"]
H264_ARGUMENTS = ("-c:v", "libx264", "-crf", "18", "-preset", "medium", "-pix_fmt", "yuv420p",
                  "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2")
"""Re-encoding: CRF 18 is visually near lossless; 4:2:0 plays everywhere and needs even sizes (an odd one loses
its last row or column). ffmpeg applies a rotation tag to the pixels as it decodes, so the picture stands as
it was shown; frame times pass through."""

MIN_SPEECH_SECONDS_TO_DUCK = 1.0
"""Less speech than this is a stray syllable or a false alarm: the music replaces the soundtrack."""
SPEECH_MARGIN_DB = 12.0
"""Where the ducked music sits under the speech while it plays (dialogue stays clear at 10 dB; 2 dB spare)."""
MIN_DUCK_DB = 10.0
MAX_DUCK_DB = 40.0
"""Ducking depth limits: always an audible dip (10-15 dB is the usual bed under dialogue); the original stays at
its own level, so whispered dialogue (below about -42 LUFS against -14 LUFS music) gets less than the margin."""
ATTACK_SECONDS = 0.05
RELEASE_SECONDS = 0.4
"""The music is down by the first syllable (the attack ends where speech starts: offline, we can look ahead)
and comes back over 400 ms after the last one."""
CONTROL_RATE = 1000
"""Gain envelope points per second; interpolated to the audio rate."""
MIX_BLOCK_SECONDS = 10
"""The ducked mix is made this many seconds at a time."""

CONTAINERS: dict[str, str] = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}


def copy_problem(media: Path, stream: Literal["v", "a"], container: str) -> str | None:
    """Why the first video ("v") or audio ("a") stream of `media` cannot be copied as it is into `container`
    (an ffmpeg format name), in ffmpeg's words, or None when it can. ffmpeg itself is asked, by copying one
    packet into a scratch file: what a container accepts depends on the ffmpeg build."""
    with scratch_folder("probe") as folder:
        try:
            run_ffmpeg(["-i", media_url(media), "-map", f"0:{stream}:0", "-c", "copy", f"-frames:{stream}", "1",
                        "-f", container, media_url(folder / "trial")], blame=Path(media))
        except MediaError as error:
            return error.problem.removeprefix("ffmpeg failed: ")
    return None


def video_codec_for(video: Path, output: Path, codec: str, copy_video: bool) -> tuple[VideoCodec, str]:
    """How the picture of `video` (its codec named `codec`) gets into `output`, and that decision in words.

    Copied where the container can hold it; else re-encoded as H.264, or with `copy_video` a usage error
    that names the codec, the container, ffmpeg's reason and a container that can hold it.
    """
    suffix = output.suffix.lower()
    problem = copy_problem(video, "v", CONTAINERS[suffix])
    if problem is None:
        return "copy", f"copied ({codec})"
    mkv = ".mkv" if suffix != ".mkv" and copy_problem(video, "v", CONTAINERS[".mkv"]) is None else None
    if copy_video:
        remedy = f"write {output.with_suffix('.mkv').name}, or leave out --copy-video" if mkv else \
            "leave out --copy-video"
        raise UsageError(f"{video}: its {codec} video cannot be copied into {suffix} (ffmpeg: {problem}); "
                         f"{remedy} to re-encode it as H.264")
    keep_it = f"; --copy-video -o {output.with_suffix('.mkv').name} keeps it as it is" if mkv else ""
    return "h264", f"re-encoded as H.264 (CRF 18): {suffix} cannot hold {codec}{keep_it}"


def mux(
    video: Path,
    music_wav: Path,
    output: Path,
    mode: MuxMode = "replace",
    mix_gain_db: float = -12.0,
    video_codec: VideoCodec = "copy",
) -> None:
    """Write `output`: the video stream (copied bit for bit, or re-encoded as H.264 with `video_codec="h264"`),
    plus the music as AAC cut or padded to the video's length.

    replace: the music alone; mix: the original audio `mix_gain_db` under the music, as one stream;
    keep: the original audio first (copied, or as AAC where the container cannot hold its codec) and the
    music as a second stream. Without original audio, mix and keep act as replace. The output appears only
    once complete.
    """
    with muxing(video, music_wav, output, mode, mix_gain_db, video_codec):
        pass


@contextmanager
def muxing(
    video: Path,
    music_wav: Path,
    output: Path,
    mode: MuxMode = "replace",
    mix_gain_db: float = -12.0,
    video_codec: VideoCodec = "copy",
    info: VideoProbe | None = None,
) -> Iterator[None]:
    """`mux` in the background: ffmpeg encodes while the block runs (other outputs can be written meanwhile);
    leaving the block waits for it and puts `output` in place. If the block raises, ffmpeg is stopped and
    `output` stays as it was. `info`: the video's probe, where the caller has it."""
    video, music_wav, output = Path(video), Path(music_wav), Path(output)
    container = CONTAINERS.get(output.suffix.lower())
    if container is None:
        raise MediaError(output, f"unsupported output extension '{output.suffix}' (use {', '.join(CONTAINERS)})")
    if same_file(video, output):
        raise MediaError(output, "output would overwrite the input video")
    if not music_wav.is_file():
        raise MediaError(music_wav, "file not found")
    info = info or probe(video)
    effective = mode if info.has_audio else "replace"
    copy_audio = effective == "keep" and copy_problem(video, "a", container) is None
    arguments = [
        "-i", media_url(video), "-i", media_url(music_wav), "-map_metadata", "0",
        *(("-c:v", "copy") if video_codec == "copy" else H264_ARGUMENTS), "-c:a", "aac", "-b:a", "192k",
        *_audio_arguments(effective, mix_gain_db, copy_audio), "-t", f"{info.duration:.6f}", "-movflags", "+faststart",
        "-f", container,
    ]
    block_failed = False
    try:
        with atomic_path(output) as temporary, ffmpeg_running([*arguments, media_url(temporary)], blame=output):
            try:
                yield
            except BaseException:
                block_failed = True
                raise
    except OSError as error:
        if block_failed:  # the caller's error, not the output's
            raise
        raise MediaError(output, f"cannot write the output ({error.strerror or error})") from error


def _audio_arguments(mode: MuxMode, mix_gain_db: float, copy_original: bool = True) -> list[str]:
    """Maps, filters and codec overrides for each mode (after the defaults, so they win).

    `apad` makes the music at least as long as the video; the output's `-t` then trims it. With `keep`, the
    original is copied when `copy_original`, else encoded as AAC like the music.
    """
    if mode == "mix":
        graph = (
            f"[0:a:0]volume={mix_gain_db}dB[original];"
            "[original][1:a:0]amix=inputs=2:duration=longest:normalize=0,apad[music]"
        )
        return ["-filter_complex", graph, "-map", "0:v:0", "-map", "[music]"]
    if mode == "keep":
        return [
            "-filter_complex", "[1:a:0]apad[music]", "-map", "0:v:0", "-map", "0:a:0", "-map", "[music]",
            *(("-c:a:0", "copy") if copy_original else ()),
        ]
    return ["-filter_complex", "[1:a:0]apad[music]", "-map", "0:v:0", "-map", "[music]"]


@contextmanager
def muxing_with_original(video: Path, music_wav: Path, output: Path, mode: OriginalAudio, mix_gain_db: float,
                         ceiling_dbtp: float, work: Path, video_codec: VideoCodec = "copy",
                         speech: SpeechActivity | None = None,
                         info: VideoProbe | None = None) -> Iterator[OriginalAudioDecision]:
    """`mux` with the original audio handled as `mode` asks; for `auto`, decide by listening for speech (or by
    `speech`, what `listen` found at the music's rate, when the caller listened already). The encoding runs
    in the background (`muxing`): the decision is yielded as soon as ffmpeg runs, and leaving the block
    waits for it. `info`: the video's probe, where the caller has it.

    A ducked mix is written to `work/mix.wav` first (the original at its own level plus the ducked music,
    peaks limited to `ceiling_dbtp`) and muxed as the only audio stream.
    """
    info = info or probe(video)
    has_audio = info.has_audio
    if not has_audio or mode == "replace":
        with muxing(video, music_wav, output, "replace", video_codec=video_codec, info=info):
            yield OriginalAudioDecision(action="replaced", summary="replaced" if has_audio else "replaced (no audio)")
        return
    if mode != "auto":
        with muxing(video, music_wav, output, mode, mix_gain_db, video_codec, info):
            yield (OriginalAudioDecision(action="mixed", summary=f"mixed under the music at {mix_gain_db:g} dB")
                   if mode == "mix" else OriginalAudioDecision(action="kept", summary="kept, music as a second stream"))
        return
    sample_rate = soundfile.info(str(music_wav)).samplerate
    activity = speech if speech is not None else listen(video, sample_rate)
    if activity.seconds < MIN_SPEECH_SECONDS_TO_DUCK:
        with muxing(video, music_wav, output, "replace", video_codec=video_codec, info=info):
            yield OriginalAudioDecision(action="replaced", summary=f"replaced (no speech: {activity.seconds:.1f} s)",
                                        speech_seconds=round(activity.seconds, 2))
        return
    music = WavBlocks(music_wav, soundfile.info(str(music_wav)).frames, MIX_BLOCK_SECONDS * sample_rate)
    original = DecodedBlocks(video, sample_rate, music.frames, MIX_BLOCK_SECONDS * sample_rate)
    mix_wav = work / "mix.wav"
    margin, loudness = write_ducked_mix(music, original, sample_rate, activity, ceiling_dbtp, mix_wav)
    under = f"music {margin:.0f} dB under it" if np.isfinite(margin) else "music silent under it"
    with muxing(video, mix_wav, output, "replace", video_codec=video_codec, info=info):
        yield OriginalAudioDecision(
            action="ducked", speech_seconds=round(activity.seconds, 2),
            music_under_speech_db=round(margin, 2) if np.isfinite(margin) else None, mix_loudness=loudness,
            summary=f"ducked under speech ({activity.seconds:.1f} s of speech, {under})")


def write_ducked_mix(music: AudioBlocks, original: AudioBlocks, sample_rate: int, activity: SpeechActivity,
                     ceiling_dbtp: float, output: Path) -> tuple[float, LoudnessReport]:
    """Write `output` (24-bit WAV, atomically): `original` at its own level plus `music` ducked under the speech
    segments, peaks limited to `ceiling_dbtp`. Returns how far the music then sits under the speech (dB) and the
    mix's loudness. Two passes over both, block by block (one to measure, one to mix): nothing is held whole.

    Each segment gets its own depth: SPEECH_MARGIN_DB under that segment's speech, measured against
    the music that would play there (a quiet intro needs less than a peak), within MIN/MAX_DUCK_DB.
    """
    segments = activity.segments
    music_levels, speech_levels = (SegmentLoudness(segments, sample_rate, music.frames) for _ in range(2))
    for start, music_block, original_block in _aligned(music, original):
        music_levels.add(music_block, start)
        speech_levels.add(original_block, start)
    needed = music_levels.lufs() - speech_levels.lufs()
    depths = np.clip(np.nan_to_num(needed + SPEECH_MARGIN_DB, nan=MIN_DUCK_DB), MIN_DUCK_DB, MAX_DUCK_DB)
    gain_db = ducking_gain_db(segments, depths, music.frames / sample_rate)
    control_times = np.arange(len(gain_db), dtype=np.float64)
    ducked_levels = SegmentLoudness(segments, sample_rate, music.frames)

    def mixed() -> Iterator[np.ndarray]:
        for start, music_block, original_block in _aligned(music, original):
            times = np.arange(start, start + len(music_block)) * (CONTROL_RATE / sample_rate)
            music_block *= (10 ** (np.interp(times, control_times, gain_db) / 20)).astype(np.float32)[:, None]
            ducked_levels.add(music_block, start)
            yield np.add(music_block, original_block, out=music_block)

    meter = OutputMeter(sample_rate)
    with atomic_path(output) as temporary:
        write_wav_blocks(temporary, meter.metered(limited(mixed(), sample_rate, ceiling_dbtp - 0.3)), sample_rate,
                         music.channels)
    margin = speech_margin(segments, speech_levels.lufs(), ducked_levels.lufs()).mean_db
    return margin, LoudnessReport.measured(*meter.measured())


def _aligned(music: AudioBlocks, original: AudioBlocks) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """One pass over both, block by block: (start frame, music, the original spread over the music's channels
    at the same loudness).

    Other channel layouts are folded to mono and spread at 1/sqrt(channels) each, as ffmpeg upmixes
    mono (BS.1770 sums channel powers: the same signal at full level in both channels is 3 dB louder).
    """
    start = 0
    for music_block, original_block in zip(music.blocks(), original.blocks(), strict=True):
        if original_block.shape[1] != music_block.shape[1]:
            folded = original_block.mean(axis=1, keepdims=True) * np.float32(np.sqrt(1 / music_block.shape[1]))
            original_block = np.broadcast_to(folded, music_block.shape)
        yield start, music_block, original_block
        start += len(music_block)


def ducking_gain_db(segments: tuple[Segment, ...], depths: np.ndarray, duration: float) -> np.ndarray:
    """The music's gain in dB at CONTROL_RATE: down by each segment's depth while it plays, ramps linear in dB.

    Where two segments' ramps overlap, the deeper gain wins, so the music never swells between them.
    """
    gain = np.zeros(int(np.ceil(duration * CONTROL_RATE)) + 1, dtype=np.float64)
    attack, release = round(ATTACK_SECONDS * CONTROL_RATE), round(RELEASE_SECONDS * CONTROL_RATE)
    for (start, end), depth in zip(segments, depths):
        onset, offset = round(start * CONTROL_RATE), round(end * CONTROL_RATE)
        shape = np.concatenate([np.linspace(0.0, -depth, attack + 1), np.full(max(0, offset - onset - 1), -depth),
                                np.linspace(-depth, 0.0, release + 1)])
        first = onset - attack
        low, high = max(0, first), min(len(gain), first + len(shape))
        if low < high:
            np.minimum(gain[low:high], shape[low - first:high - first], out=gain[low:high])
    return gain
