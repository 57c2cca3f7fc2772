"""BTC-ISMIR19 chord recognition in PyTorch as a v2m plugin; loads the published checkpoints."""
