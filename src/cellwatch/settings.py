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
    max_body_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description=(
            "Largest JSON request body the API accepts, in bytes; a larger one is refused "
            "with 413 before it is read."
        ),
    )
    max_bundle_bytes: int = Field(
        default=10 * 1024 * 1024,
        gt=0,
        description=(
            "Largest bundle archive (.zip or .tar[.gz]) POST /v1/bundles accepts, in bytes."
        ),
    )
    max_bundle_unpacked_bytes: int = Field(
        default=100 * 1024 * 1024,
        gt=0,
        description=(
            "Most bytes an uploaded bundle archive may unpack to (a zip bomb is stopped here)."
        ),
    )
    rate_limit_per_second: float = Field(
        default=20.0,
        ge=0,
        description=(
            "Public API requests (reads and checks) per second allowed to one client IP, "
            "refilled continuously (token bucket, per worker); 0 turns rate limiting off."
        ),
    )
    rate_limit_burst: int = Field(
        default=100,
        ge=1,
        description=(
            "How many public requests one client IP may make at once before the rate applies."
        ),
    )
    cors_origins: str = Field(
        default="",
        description=(
            "Comma-separated origins allowed to call the API from a browser "
            "(e.g. https://example.org); empty: no CORS headers at all."
        ),
    )
    refresh_seconds: float = Field(
        default=0.5,
        ge=0,
        description=(
            "How often an API worker at most asks the database whether the registry changed "
            "(then reloads its snapshot); 0 asks on every request."
        ),
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or ``None`` for other databases and in-memory SQLite."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None
