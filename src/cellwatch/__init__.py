"""cellwatch: an open registry and checker for lithium power banks.

The package is laid out as a pipeline:

- ``domain``   the pure core: records, dates, names, the indexed registry snapshot
- ``bundles``  the interchange format: read, validate, write registry bundles
- ``store``    the source of truth: SQLAlchemy tables, Alembic migrations, audit log
- ``cli``      the thin shell: Typer commands that parse, call one function, render
"""

__version__ = "0.1.0"
