"""Music knowledge shared by planners and renderers: theory, style presets and grooves."""
