"""Web pages: the check from a phone, the registry, impact and trends, in English and
Simplified Chinese, rendered on the server (Jinja2, inline SVG charts, no framework).

Folders: one module per page noun (:mod:`.check`, :mod:`.recalls`, :mod:`.companies`,
:mod:`.models`, :mod:`.certificates`, :mod:`.impact`, :mod:`.dashboard`); what pages share
in :mod:`.pages` (layout, routing, error pages), :mod:`.i18n` and :mod:`.messages`
(languages and words), :mod:`.forms` (query parameters), :mod:`.listing` (paging);
drawings in :mod:`.charts` and :mod:`.supply_graph`. See ``docs/web.md``.
"""

from cellwatch.web.app import router

__all__ = ["router"]
