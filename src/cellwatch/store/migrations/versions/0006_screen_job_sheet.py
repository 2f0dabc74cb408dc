"""Screening jobs remember which sheet of a workbook to screen.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screen_jobs") as table:
        table.add_column(sa.Column("sheet", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("screen_jobs") as table:
        table.drop_column("sheet")
