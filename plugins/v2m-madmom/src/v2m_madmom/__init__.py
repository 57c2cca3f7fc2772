"""madmom's chord recognizers as a v2m plugin (registered through the `v2m` entry point)."""
