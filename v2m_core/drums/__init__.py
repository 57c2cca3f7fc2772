"""The learned drum renderer's parts: the kit's classes, bar patterns from MIDI, the model, training."""
