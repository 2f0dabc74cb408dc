"""The change feed (event outbox), watches and webhook deliveries.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
