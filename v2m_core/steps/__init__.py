"""Built-in extractor steps: frame features and cuts, scenes, and colour-and-motion affect."""
