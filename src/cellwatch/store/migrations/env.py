"""Alembic environment: migrations run on the connection cellwatch hands over.

:meth:`cellwatch.store.db.Database.migrate` passes its connection (already in a write
transaction) as ``config.attributes["connection"]``. Run from the command line (``alembic
upgrade head`` or ``alembic revision --autogenerate`` with the ``alembic.ini`` at the
repository root), the URL comes from ``-x url=…``, else from ``CELLWATCH_DATABASE_URL``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from cellwatch.store.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_command_line() -> None:
    from cellwatch.settings import Settings
    from cellwatch.store.db import Database

    url = context.get_x_argument(as_dictionary=True).get("url") or Settings().database_url
    database = Database(url)
    try:
        with database.engine.connect() as connection, connection.begin():
            _run(connection)
    finally:
        database.dispose()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
elif context.is_offline_mode():
    raise SystemExit("cellwatch migrations run online only: give a database URL")
else:
    _run_from_command_line()
