"""Built-in chord recognizers; heavier ones (madmom, essentia, BTC, Omnizart) are packages under plugins/."""
