"""`compose`: from a video to a new soundtrack, stage by stage (analyse, plan, render, synthesize, master, mux)."""
