"""Objective measures of a composed soundtrack (`v2m eval music`): timing, harmony, groove, loudness."""
