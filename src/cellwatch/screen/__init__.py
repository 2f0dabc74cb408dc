"""Bulk screening (DESIGN.md, "screen"): every unit of an inventory against every recall
and certificate, with the same answers as the single check.

- :mod:`.source`   the input (CSV in UTF-8 or GB18030, Parquet, Excel) into DuckDB
- :mod:`.fields`   which column holds which fact (automatic, or ``--map column=field``)
- :mod:`.flatten`  the check's compiled scope rows as a DuckDB table
- :mod:`.facts`    per distinct value, with the check's own functions
- :mod:`.judge`    the SQL that judges every row
- :mod:`.summary`  counts, top brands and models
- :mod:`.selection` which rows the output keeps (``--only``)
- :mod:`.changes`  the rows whose answers changed between two screens of one input
- :mod:`.run`      :func:`screen`: the stages, the output and errors files
"""

from cellwatch.screen.fields import Field, parse_overrides
from cellwatch.screen.run import ScreenOptions, default_output, screen
from cellwatch.screen.summary import Summary

__all__ = ["Field", "ScreenOptions", "Summary", "default_output", "parse_overrides", "screen"]
