"""Incident intake (docs/signals.md, "Intake"): a report resolved against the registry, an
id, and duplicates flagged for a regulator to merge. Pure: :mod:`.intake`."""
