"""An example v2m plugin package: one music renderer, registered through the `v2m` entry point."""
