"""What every page shares: the template environment, the layout's context, page routes,
and the error page.

A page module makes a :class:`Pages` and registers its handlers on it::

    pages = Pages()

    @pages.get("/recalls/{recall_id}")
    def recall(view: View) -> Response:
        found = view.registry.recalls.get(view.path("recall_id"))
        if found is None:
            raise RecallNotFound(view.path("recall_id"))
        return view.render("recall.html", view.t("recall.title"), recall=found)

A handler is a plain function of a :class:`View` (the request, its language, the
registry snapshot) run in a worker thread; it returns a response, usually
:meth:`View.render`. Any :class:`~cellwatch.errors.CellwatchError` it raises becomes an
HTML error page in the page's language (404 for a record that does not exist, 422 for a
bad value, 503 when the database is down), and anything unexpected a logged 500 page: a
page never answers with the API's JSON errors.

A form that changes something is posted to a handler registered with :meth:`Pages.post`:
its fields (and files) are in :attr:`View.form`. A post another site's page sends is
refused (403) before the handler runs: the browser's ``Sec-Fetch-Site`` must say
``same-origin`` (or ``none``: typed by the user), or, from a browser that does not send
it, ``Origin`` must name this host (:func:`cross_site`).

Templates extend ``layout.html`` (skip link, navigation from :data:`NAV`, the language
switch, the footer) and may use the macros in ``macros.html``. Jinja's autoescape is on:
every value is escaped unless it is :class:`markupsafe.Markup` built by cellwatch itself
(the SVG of :mod:`cellwatch.web.charts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Scope

from cellwatch import __version__
from cellwatch.api.state import Services, Snapshot
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry
from cellwatch.errors import (
    AccessError,
    CellwatchError,
    Conflict,
    InputError,
    NotEligible,
    NotFound,
    StoreError,
    TooLarge,
    Unauthenticated,
)
from cellwatch.web import i18n

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    key: str  # catalogue key of its label
    section: str  # the first path segment the item stands for ("" for the front page)


#: The navigation of every page, in order. A new page family adds its item here.
NAV: list[NavItem] = [
    NavItem("/", "nav.check", ""),
    NavItem("/recalls", "nav.recalls", "recalls"),
    NavItem("/companies", "nav.companies", "companies"),
    NavItem("/models", "nav.models", "models"),
    NavItem("/certificates", "nav.certificates", "certificates"),
    NavItem("/impact", "nav.impact", "impact"),
    NavItem("/dashboard", "nav.dashboard", "dashboard"),
    NavItem("/signals", "nav.signals", "signals"),
    NavItem("/screen", "nav.screen", "screen"),
]

#: Pages load nothing but their own scripts, styles and images.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@cache
def environment() -> jinja2.Environment:
    """The templates shipped in ``cellwatch/web/templates`` (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cellwatch.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.globals["static"] = static_url
    return env


def version_of(data: bytes) -> str:
    """A short hash of a file's content for its URL, so that a changed file gets a new one
    and the old one can be cached for good (:func:`immutable`)."""
    return hashlib.sha256(data).hexdigest()[:10]


def immutable(data: bytes, media_type: str) -> Response:
    """A file served under a URL that carries :func:`version_of` it: cached for a year."""
    return Response(data, media_type=media_type,
                    headers={"Cache-Control": "public, max-age=31536000, immutable",
                             "X-Content-Type-Options": "nosniff"})


@cache
def static_version(name: str) -> str:
    """:func:`version_of` a static file of the pages."""
    return version_of(resources.files("cellwatch.web").joinpath("static", name).read_bytes())


def static_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def number(value: int | float | None, lang: str = "en") -> str:
    """``491,745``; ``12.5``; an empty string for ``None``."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@dataclass
class View:
    """One page request: its language, the registry snapshot, and how to answer."""

    request: Request
    snapshot: Snapshot
    lang: str
    services: Services
    headers: dict[str, str] = field(default_factory=dict)
    form: FormData | None = None  # the fields and files of a posted form

    @property
    def registry(self) -> Registry:
        return self.snapshot.registry

    @property
    def t(self) -> i18n.Translator:
        return i18n.Translator(self.lang)

    def path(self, name: str) -> str:
        value: str = self.request.path_params[name]
        return value

    @property
    def query(self) -> QueryParams:
        return self.request.query_params

    def pick(self, value: Text | Mapping[str, Any] | str | None) -> str:
        return i18n.pick(value, self.lang)

    def url(self, path: str | None = None, **changes: object) -> str:
        """This page's URL (or ``path``) with query parameters changed; ``None`` drops one."""
        params = {k: v for k, v in self.query.multi_items() if k != "lang"}
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None and value != "":
                params[key] = str(value)
        target = path if path is not None else self.request.url.path
        return f"{target}?{urlencode(params)}" if params else target

    def render(
        self, template: str, title: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        response = render_page(self.request, self.lang, template, title, status=status,
                               registry_version=self.snapshot.version,
                               updated_at=self.snapshot.updated_at, **context)
        response.headers.update(self.headers)
        return response

    def field(self, name: str) -> str:
        """A text field of the posted form, stripped ("" when absent or a file)."""
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else ""


def layout_context(request: Request, lang: str) -> dict[str, Any]:
    """What ``layout.html`` needs: language, navigation, the switch to the other language."""
    t = i18n.Translator(lang)
    params = {k: v for k, v in request.query_params.multi_items() if k != "lang"}
    params["lang"] = t.other
    first = request.url.path.strip("/").split("/")[0]
    return {
        "lang": lang,
        "html_lang": i18n.HTML_LANG[lang],
        "other_lang": t.other,
        "other_html_lang": i18n.HTML_LANG[t.other],
        "other_name": i18n.NAMES[t.other],
        "switch_url": f"{request.url.path}?{urlencode(params)}",
        "nav": [(item, item.section == first) for item in NAV],
        "t": t,
        "tx": lambda value: i18n.pick(value, lang),
        "name_of": lambda company, fallback="": i18n.company_name(company, lang, fallback),
        "version": __version__,
    }


def render_page(
    request: Request, lang: str, template: str, title: str, *, status: int = 200,
    registry_version: int | None = None, updated_at: dt.datetime | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` in the layout; remember an explicit ``?lang=`` in a cookie."""
    values = layout_context(request, lang)
    values.update(title=title, registry_version=registry_version, updated_at=updated_at)
    values.update(context)
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status, headers=_HEADERS)
    if i18n.from_query(request):
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


_STATUS = (
    (NotFound, 404, "error.not_found"),
    (InputError, 422, "error.invalid"),
    (NotEligible, 422, "error.invalid"),
    (TooLarge, 413, "error.too_large"),
    (Unauthenticated, 401, "error.unauthenticated"),
    (AccessError, 403, "error.forbidden"),
    (Conflict, 409, "error.conflict"),
    (StoreError, 503, "error.unavailable"),
)


def error_page(
    request: Request, lang: str, status: int, heading_key: str,
    messages: list[Text] | None = None,
) -> HTMLResponse:
    t = i18n.Translator(lang)
    return render_page(request, lang, "error.html", t(heading_key), status=status,
                       heading=t(heading_key), messages=messages or [])


def not_found_page(request: Request) -> HTMLResponse:
    """The page for a path that is neither a page nor under ``/v1`` (asked by a browser)."""
    lang = i18n.language(request)
    path = request.url.path
    message = Text(en=f"There is no page {path}.", zh=f"没有页面 {path}。")
    return error_page(request, lang, 404, "error.not_found", [message])


def too_large_page(scope: Scope, limit: int) -> HTMLResponse:
    """The page for a posted form larger than ``limit`` bytes (refused before it is read)."""
    return _refusal_page(scope, 413, "error.too_large", megabytes=f"{limit / 1024 / 1024:.1f}")


def too_many_page(scope: Scope, seconds: int) -> HTMLResponse:
    """The page for a visitor over the rate limit: wait ``seconds``, then try again."""
    return _refusal_page(scope, 429, "error.rate_limited", seconds=seconds)


def _refusal_page(scope: Scope, status: int, key: str, **values: object) -> HTMLResponse:
    """A middleware's refusal as a page: ``key`` titles it, ``key_detail`` explains it."""
    request = Request(scope)
    lang = i18n.language(request)
    message = i18n.Translator(lang).text(f"{key}_detail", **values)
    return error_page(request, lang, status, key, [message])


def _error_response(request: Request, lang: str, error: Exception) -> HTMLResponse:
    if isinstance(error, CellwatchError):
        for kind, status, key in _STATUS:
            if isinstance(error, kind):
                if isinstance(error, NotEligible):
                    messages = [Text(en=en, zh=zh) for en, zh in error.reasons]
                else:
                    messages = [Text(en=str(error), zh=_zh_detail(error, lang))]
                return error_page(request, lang, status, key, messages)
    log.exception("unexpected error rendering %s", request.url.path, exc_info=error)
    return error_page(request, lang, 500, "error.server")


def _zh_detail(error: CellwatchError, lang: str) -> str:
    """The Chinese words for an error raised by the core (whose message is English)."""
    t = i18n.Translator("zh")
    if isinstance(error, NotFound):
        return t("error.not_found_detail", detail=str(error))
    if isinstance(error, StoreError):
        return t("error.unavailable_detail")
    return t("error.detail", detail=str(error))


Handler = Callable[[View], Response]


class Pages:
    """The page routes of one module; ``pages.router`` is included in the app."""

    def __init__(self) -> None:
        self.router = APIRouter(include_in_schema=False)

    def get(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                return await answer(request, handler)

            endpoint.__name__ = handler.__name__
            self.router.add_api_route(
                path, endpoint, methods=["GET"], response_class=HTMLResponse,
                name=f"page.{handler.__name__}",
            )
            return handler

        return register

    def post(self, path: str, *, max_files: int = 0) -> Callable[[Handler], Handler]:
        """A handler of a posted form (``application/x-www-form-urlencoded`` or, with
        ``max_files``, ``multipart/form-data``); cross-site posts are refused."""

        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                if cross_site(request):
                    lang = i18n.language(request)
                    message = i18n.Translator(lang).text("error.cross_site_detail")
                    return error_page(request, lang, 403, "error.forbidden", [message])
                return await answer(request, handler, max_files=max_files, form=True)

            endpoint.__name__ = f"{handler.__name__}_post"
            self.router.add_api_route(
                path, endpoint, methods=["POST"], response_class=HTMLResponse,
                name=f"page.{handler.__name__}.post",
            )
            return handler

        return register


def cross_site(request: Request) -> bool:
    """Whether a post comes from another site's page (and must be refused).

    Browsers say where a request comes from in ``Sec-Fetch-Site``; one that does not (an
    old browser) sends ``Origin`` with a post, which must name this host. A request with
    neither is not from a browser page (a script, a test client): it carries no cookie it
    did not mean to, and the session cookie is ``SameSite=Strict`` besides.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site.strip().lower() not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    host = request.headers.get("host", "").strip().lower()
    return origin.strip() == "null" or urlsplit(origin.strip()).netloc.lower() != host


#: Most fields a posted page form may have (each at most ``MAX_FIELD`` bytes).
MAX_FIELDS = 100
MAX_FIELD = 64 * 1024


async def answer(
    request: Request, handler: Handler, *, max_files: int = 0, form: bool = False
) -> Response:
    """Run one page handler on the current snapshot; errors become error pages."""
    lang = i18n.language(request)
    try:
        services: Services = request.app.state.services
        snapshot = await services.registry.current_async()
        if not form:
            return await run_in_threadpool(handler, View(request, snapshot, lang, services))
        try:
            parsed = request.form(max_files=max_files, max_fields=MAX_FIELDS,
                                  max_part_size=MAX_FIELD)
            async with parsed as fields:
                view = View(request, snapshot, lang, services, form=fields)
                return await run_in_threadpool(handler, view)
        except HTTPException as error:  # a form the parser refuses
            detail = str(error.detail)
            if detail.startswith("Too many files"):
                raise TooLarge("the number of files", max_files) from error
            if "exceeded maximum size" in detail:
                raise TooLarge("a field of the form", MAX_FIELD) from error
            raise InputError(f"the form could not be read: {detail}") from error
    except Exception as error:  # a page answers every error as a page
        return _error_response(request, lang, error)
