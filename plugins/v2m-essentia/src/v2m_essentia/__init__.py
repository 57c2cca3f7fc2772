"""essentia's chord detection as a v2m plugin (AGPL-3.0, like essentia itself)."""
