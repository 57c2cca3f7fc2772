"""Built-in synthesizers (MIDI to audio)."""
