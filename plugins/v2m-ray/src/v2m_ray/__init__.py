"""v2m-ray: the `ray` executor plugin (see plugin.py)."""
