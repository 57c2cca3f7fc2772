"""Hostile use: signals at awkward moments, full disks."""
