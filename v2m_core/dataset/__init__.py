"""Dataset builder: per-video extractor steps, cached and resumable, then dataset-level metadata."""
