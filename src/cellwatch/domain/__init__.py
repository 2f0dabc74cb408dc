"""The pure core of cellwatch: plain records and functions over them.

Nothing here imports a web framework, a CLI library or a database driver.
"""
