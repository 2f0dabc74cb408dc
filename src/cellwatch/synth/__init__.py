"""Synthetic data for benchmarks and demos, always labelled as synthetic.

Nothing generated here is a fact: every record cites the single source
``synthetic`` whose title says so, and every id starts with ``synth-``.
"""
