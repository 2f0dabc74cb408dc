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
    max_photo_bytes: int = Field(
        default=10 * 1024 * 1024,
        gt=0,
        description=(
            "Largest label photo `cellwatch read-label` and POST /v1/read-label accept, in "
            "bytes (the upload as a whole may be 64 KiB larger, for the form around it)."
        ),
    )
    max_claim_photo_bytes: int = Field(
        default=4 * 1024 * 1024,
        gt=0,
        description=(
            "Largest evidence photo a recall claim accepts, in bytes (each photo is decoded "
            "and re-encoded without metadata). Over the API the whole request is also bounded "
            "by max_body_bytes."
        ),
    )
    max_claim_photos: int = Field(
        default=5,
        ge=0,
        le=20,
        description="Most evidence photos one recall claim may carry.",
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
    webhook_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds the alert worker waits for a webhook to answer one delivery.",
    )
    webhook_attempts: int = Field(
        default=8,
        ge=1,
        description=(
            "Deliveries of one event to one watch the worker tries before it marks the "
            "delivery failed (retried with exponential backoff)."
        ),
    )
    webhook_backoff_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "The first retry's delay; each further retry waits twice as long, at most a day."
        ),
    )
    worker_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the alert worker looks for new events and due deliveries.",
    )
    max_screen_upload_bytes: int = Field(
        default=512 * 1024 * 1024,
        gt=0,
        description=(
            "Largest inventory file POST /v1/screen accepts, in bytes (the upload as a whole "
            "may be 64 KiB larger, for the form around it)."
        ),
    )
    max_screen_rows: int = Field(
        default=100_000_000,
        gt=0,
        description=(
            "Most rows an uploaded Parquet inventory may declare (the count in its footer, "
            "read before the rows are): a small Parquet file of repeated values can declare "
            "billions of rows and hold a worker for hours. CSV and Excel uploads are bounded "
            "by their size."
        ),
    )
    jobs_dir: Path = Field(
        default_factory=lambda: user_data_path("cellwatch", appauthor=False) / "jobs",
        description=(
            "Folder where the API keeps the inputs, outputs and errors files of screening "
            "jobs (one folder per job); every API worker must see the same folder."
        ),
    )
    screen_keep_days: float = Field(
        default=30.0,
        gt=0,
        description=(
            "Days a finished screening job (its row, its input, result and errors files) is "
            "kept; then the screening worker deletes it. Its owner may delete it sooner."
        ),
    )
    screen_stale_seconds: float = Field(
        default=60.0,
        gt=0,
        description=(
            "A screening job whose worker has not reported for this long is taken over by "
            "another worker (or the restarted server) and run again from its stored input."
        ),
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or ``None`` for other databases and in-memory SQLite."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None
