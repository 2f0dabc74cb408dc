"""What every command needs: settings, the database, the registry snapshot.

One :class:`Context` serves one invocation: the root callback opens it and closes it
(disposing the database engine) when the command ends; commands reach it with
:func:`current`.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cached_property

from cellwatch.domain.registry import Registry
from cellwatch.settings import Settings
from cellwatch.snapshot import Snapshots
from cellwatch.store.db import Database, open_database

_CURRENT: ContextVar[Context | None] = ContextVar("cellwatch_cli_context", default=None)


class Context:
    """Built lazily, so that ``--help`` never touches the database."""

    @cached_property
    def settings(self) -> Settings:
        return Settings()

    @cached_property
    def database(self) -> Database:
        return open_database(self.settings)

    @cached_property
    def _snapshots(self) -> Snapshots:
        return Snapshots(self.database)

    def registry(self) -> Registry:
        return self._snapshots.current()

    def close(self) -> None:
        if "database" in self.__dict__:
            self.database.dispose()


def begin() -> Context:
    """Start the context of one invocation (called by the root callback)."""
    context = Context()
    _CURRENT.set(context)
    return context


def current() -> Context:
    """The context of the running invocation."""
    context = _CURRENT.get()
    if context is None:  # a command called outside the app, e.g. from a test
        context = begin()
    return context
