"""Paging of the registry lists: twenty records a page, links to the pages around."""

from __future__ import annotations

from dataclasses import dataclass

from cellwatch.web.pages import View

PAGE_SIZE = 20


@dataclass(frozen=True)
class Paging:
    """Where a list page stands: records ``first``–``last`` of ``total``."""

    total: int
    page: int
    pages: int
    first: int
    last: int
    previous_url: str | None
    next_url: str | None


def paging(view: View, total: int, page: int, size: int = PAGE_SIZE) -> Paging:
    """The paging of page ``page`` (from 1) of ``total`` records; links keep the filters."""
    pages = max(1, -(-total // size))
    first = (page - 1) * size + 1 if total else 0
    last = min(total, page * size)
    return Paging(
        total=total, page=page, pages=pages, first=min(first, total), last=last,
        previous_url=view.url(page=page - 1 if page > 2 else None) if page > 1 else None,
        next_url=view.url(page=page + 1) if page < pages else None,
    )
