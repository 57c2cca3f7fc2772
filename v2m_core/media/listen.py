"""Listening for speech in a video's own soundtrack in a child process, so compose analyses the picture meanwhile.

Speech detection (Silero VAD, media/speech.py) costs about 2 CPU seconds a minute of soundtrack and holds the
GIL while it runs: in a thread it would stall the picture analysis's Python work, in a child process it uses
the other core. The child is niced: it takes what CPU the stages compose waits on (analysis, synthesis,
mastering) leave over, since only the mux needs its answer. It dies with v2m (children.py) and sends its
segments back as JSON on stdout; nothing is written to disk.

    python -m v2m_core.media.listen VIDEO SAMPLE_RATE     (compose runs it niced)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from v2m_core import children
from v2m_core.media.audio import decode_audio_blocks
from v2m_core.media.speech import SpeechActivity, speech_in_blocks

NICENESS = 10
"""A nice-10 process gets about a tenth of the CPU that a nice-0 one competing for the same core gets."""


def listen(video: Path, sample_rate: int) -> SpeechActivity:
    """Speech in `video`'s own soundtrack (none without one), decoded at `sample_rate`: the rate the music is
    mixed at, so speech is found in what gets mixed. What `auto` decides by; compose runs it in the background."""
    soundtrack = decode_audio_blocks(video, sample_rate, mono=True)
    return speech_in_blocks(soundtrack[1], sample_rate) if soundtrack is not None else SpeechActivity(())


@contextmanager
def listening(video: Path, sample_rate: int) -> Iterator[Callable[[], SpeechActivity]]:
    """Start `listen(video, sample_rate)` in a child process; yield a function that waits for its answer.

    Where the child fails, that function makes the same call here, so the error is raised as it would have
    been without the child (a damaged soundtrack's MediaError, with its message). The child is killed if the
    block raises.
    """
    command = [sys.executable, "-c", f"import os, runpy; hasattr(os, 'nice') and os.nice({NICENESS}); "  # before its imports
               "runpy.run_module('v2m_core.media.listen', run_name='__main__')", str(Path(video).absolute()),
               str(sample_rate)]
    with children.started(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:

        def answer() -> SpeechActivity:
            stdout, _ = process.communicate()
            if process.returncode != 0:
                return listen(video, sample_rate)
            return SpeechActivity(tuple((start, end) for start, end in json.loads(stdout)))

        yield answer


def main(arguments: list[str]) -> None:
    video, sample_rate = Path(arguments[0]), int(arguments[1])
    json.dump(listen(video, sample_rate).segments, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
