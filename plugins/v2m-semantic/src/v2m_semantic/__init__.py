"""v2m-semantic: image embeddings (EfficientNet-Lite0, CLIP) and zero-shot CLIP emotion as dataset steps."""
