"""The learned melody renderer's parts: the token vocabulary, melody lines from MIDI, the model, training."""
