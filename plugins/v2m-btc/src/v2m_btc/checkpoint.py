"""Loading BTC checkpoints: the published `{'model': state_dict, 'mean': ..., 'std': ...}` files.

`torch.load` runs with `weights_only=True`; the numpy scalars the published files store for the
feature mean and standard deviation are allow-listed explicitly, so no other pickled code can run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from v2m_core.errors import MediaError, UsageError
from v2m_btc.model import BTCModel, BTCShape


@dataclass(frozen=True)
class LoadedBTC:
    """`mean` and `std` standardise the log-CQT: scalars, or one value per bin."""

    model: BTCModel
    mean: np.ndarray
    std: np.ndarray


def _numpy_globals() -> list[object]:
    """numpy scalars and arrays as pickled by numpy 1.x (`numpy.core`) and 2.x (`numpy._core`)."""
    core = np._core.multiarray
    dtypes = [type(np.dtype(name)) for name in ("float64", "float32")]
    return [core.scalar, (core.scalar, "numpy.core.multiarray.scalar"), core._reconstruct,
            (core._reconstruct, "numpy.core.multiarray._reconstruct"), np.ndarray, np.dtype, *dtypes]


def load_btc(path: Path | None, recognizer: str, expected_chords: int) -> LoadedBTC:
    """Build the model the checkpoint's weights describe and load them; errors name the file."""
    if path is None:
        raise UsageError(f"recognizer '{recognizer}' needs a checkpoint: pass --checkpoint PATH or set "
                         f"plugins.settings.{recognizer}.checkpoint (files from github.com/jayg996/BTC-ISMIR19, test/)")
    path = Path(path).expanduser()
    if not path.is_file():
        raise MediaError(path, "BTC checkpoint not found")
    try:
        with torch.serialization.safe_globals(_numpy_globals()):
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - torch raises many kinds for damaged or foreign files
        raise MediaError(path, f"not a loadable BTC checkpoint ({type(error).__name__}: {str(error).splitlines()[0]})") from None
    if not isinstance(checkpoint, dict) or not {"model", "mean", "std"} <= checkpoint.keys():
        raise MediaError(path, "not a BTC checkpoint: expected a dict with 'model', 'mean' and 'std'")
    state = checkpoint["model"]
    try:
        shape = BTCShape.of_state_dict(state)
        model = BTCModel(shape)
        model.load_state_dict(state)
    except (KeyError, RuntimeError, ValueError) as error:
        raise MediaError(path, f"weights do not fit the BTC architecture ({str(error).splitlines()[0]})") from None
    if shape.num_chords != expected_chords:
        raise MediaError(path, f"has {shape.num_chords} chord outputs; recognizer '{recognizer}' needs {expected_chords}"
                               f" (btc: btc_model.pt, 25; btc-large: btc_model_large_voca.pt, 170)")
    model.eval()
    statistics = [np.asarray(checkpoint[key], dtype=np.float32) for key in ("mean", "std")]
    return LoadedBTC(model, *statistics)
