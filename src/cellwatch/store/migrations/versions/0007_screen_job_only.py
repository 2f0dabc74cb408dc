"""Screening jobs remember which rows their output keeps (``--only``).

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screen_jobs") as table:
        table.add_column(sa.Column("only_codes", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("screen_jobs") as table:
        table.drop_column("only_codes")
