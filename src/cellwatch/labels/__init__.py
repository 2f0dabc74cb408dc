"""Reading a power-bank label from a photo: OCR, then the check's facts.

:func:`read_label` is the one entry point; see ``docs/labels.md``.
"""

from cellwatch.labels.reading import LabelReading, read_label
from cellwatch.labels.texts import Fact, Line, read_facts

__all__ = ["Fact", "LabelReading", "Line", "read_facts", "read_label"]
