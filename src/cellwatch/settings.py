"""One settings object, read from ``CELLWATCH_*`` environment variables when asked for."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """A SQLite file in the user's data directory (created on first use)."""
    path = user_data_path("cellwatch", appauthor=False) / "cellwatch.sqlite"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """cellwatch's settings. Build one with ``Settings()``; nothing is read at import."""

    model_config = SettingsConfigDict(env_prefix="CELLWATCH_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description=(
            "SQLAlchemy URL of the registry database: a SQLite file by default, "
            "e.g. postgresql+psycopg://user@host/db for a shared deployment."
        ),
    )
    actor: str = Field(
        default="cli",
        description="Who the audit log names as the author of writes made from this process.",
    )
    database_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds to wait for a database lock or connection before giving up.",
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or ``None`` for other databases and in-memory SQLite."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None
