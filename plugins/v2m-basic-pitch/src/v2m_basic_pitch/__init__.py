"""v2m-basic-pitch: MIDI transcription of the soundtrack with Spotify's basic-pitch (its shipped ONNX model)."""
