"""Omnizart's chord transcription as a v2m plugin, run in Omnizart's own Python environment."""
