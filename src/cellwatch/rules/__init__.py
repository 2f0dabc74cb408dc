"""Carriage rules as data: what may go by air, rail or courier, and why.

- :mod:`.facts`: the facts a rule reads (:class:`~.facts.Facts`) and the verdicts.
- :mod:`.clauses`: the ``when`` language of a rule's condition.
- :mod:`.packs`: the schema of the pack files in ``packs/*.yaml``.
- :mod:`.engine`: load packs, pick them by name, evaluate them against facts.
- :mod:`.docs`: the generated ``docs/rules.md``.
"""
