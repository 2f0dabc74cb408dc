"""Checkpoint records (docs/checkpoints.md): what a checkpoint did with a unit after a
check, the legal order of those steps, storage policies, and the daily report.

Pure: :mod:`.policy` (locations, storage terms, fees), :mod:`.records` (steps and their
order), :mod:`.report` (a location's day).
"""
