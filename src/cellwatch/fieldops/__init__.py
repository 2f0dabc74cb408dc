"""Field operations as the shells call them: one function per action, over the pure core
(:mod:`cellwatch.incidents`, :mod:`cellwatch.claims`, :mod:`cellwatch.checkpoints`,
:mod:`cellwatch.signals`) and the store, each write in one unit of work.

The CLI, the API and the web pages call these and nothing below them.
"""
