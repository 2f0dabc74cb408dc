"""Imports from outside sources, each planned against a registry snapshot and written in
one unit of work (:mod:`~cellwatch.imports.plan`).

- :mod:`~cellwatch.imports.snapshot_csv`, :mod:`~cellwatch.imports.snapshot`
  certificate lists exported from a certification body's lookup (CSV)
- :mod:`~cellwatch.imports.cpsc`, :mod:`~cellwatch.imports.cpsc_record`,
  :mod:`~cellwatch.imports.cpsc_text`, :mod:`~cellwatch.imports.cpsc_scope`,
  :mod:`~cellwatch.imports.cpsc_revision`   the CPSC recalls API's JSON
- :mod:`~cellwatch.imports.companies`   firm names → companies (alias resolution, creation)
"""
