"""Running extractor steps: ordering by declared inputs and outputs."""
