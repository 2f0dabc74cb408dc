"""Registry bundles, the interchange format: a folder of YAML and CSV files.

- :mod:`.layout`   which file holds which record kind, and its columns or keys
- :mod:`.reader`   files → records, with every parse and field error located
- :mod:`.checks`   references between records, within the bundle and the registry
- :mod:`.writer`   records → files, deterministic (load → export is the identity)
"""
