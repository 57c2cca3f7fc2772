"""Importing torchvision next to the CPU torch wheel.

torchvision 0.28.0's wheel registers Python kernels for `torchvision::nms` and `qnms` whose C++
schemas it could not load (a CUDA build), so `import torchvision` fails with "operator
torchvision::nms does not exist". Declaring the two schemas first lets models and transforms
import; the C ops themselves stay unavailable (nothing here uses them).
"""

from __future__ import annotations

import sys
from types import ModuleType

SCHEMAS: dict[str, str] = {
    "nms": "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms": "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
}


def import_torchvision() -> ModuleType:
    """torchvision, imported once with the missing schemas declared if they are missing."""
    if "torchvision" in sys.modules:
        return sys.modules["torchvision"]
    import torch

    library = torch.library.Library("torchvision", "FRAGMENT")
    for name, schema in SCHEMAS.items():
        try:
            torch._C._dispatch_find_schema_or_throw(f"torchvision::{name}", "")
        except RuntimeError:
            library.define(schema)
    import torchvision

    return torchvision
