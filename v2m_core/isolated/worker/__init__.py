"""The worker side of the isolated-process protocol; this folder goes on the worker's sys.path."""
