"""The step engine compose's analysis and the dataset builder share: steps created from the registry
(`create.py`), ordered by their declared inputs and outputs (`order.py`, `graph.py`), run with one decode
for every frame step (`run.py`), and, in the dataset build, cached by content hash (`cache.py`)."""
