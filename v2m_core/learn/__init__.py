"""The learned path: the affective multimodal transformer (AMT), its training, evaluation and generation.

Everything here needs torch (extra `learn`); nothing outside this package imports it at import time.
"""

from __future__ import annotations

from v2m_core.errors import V2MError


def require_torch() -> None:
    """Fail with an install hint instead of an ImportError where the optional torch is missing."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise V2MError("the learned path needs torch: pip install 'v2m[learn]'") from None
