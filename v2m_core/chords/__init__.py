"""The chord core: Harte labels, vocabularies, `.lab`/CSV files, per-second grids and mir_eval scores."""
