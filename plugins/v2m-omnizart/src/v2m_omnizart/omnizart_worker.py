"""Runs inside Omnizart's environment (not v2m's): standard library + omnizart only.

v2m starts it through its isolated-process runner, which puts `v2m_worker` on the path.
"""

import glob
import os
import sys

from v2m_worker import SetupError, serve


def transcribe_chords(audio, output_dir, model_path=None):
    """Transcribe `audio` (a WAV file) into `output_dir`; return the path of Omnizart's chord CSV."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
    try:
        from omnizart.chord import app
    except ImportError as error:
        raise SetupError("omnizart is not installed in %s (%s)" % (sys.executable, error))
    if model_path is not None and not os.path.exists(model_path):
        raise SetupError("chord checkpoint %s not found" % model_path)
    try:
        app.transcribe(audio, model_path=model_path, output=output_dir)
    except (FileNotFoundError, OSError) as error:
        raise SetupError("Omnizart's chord checkpoint is missing (%s); run `omnizart download-checkpoints`" % error)
    found = sorted(glob.glob(os.path.join(output_dir, "*.csv")))
    if not found:
        raise RuntimeError("Omnizart wrote no chord CSV into %s" % output_dir)
    return {"csv": found[0]}


if __name__ == "__main__":
    sys.exit(serve({"transcribe_chords": transcribe_chords}))
