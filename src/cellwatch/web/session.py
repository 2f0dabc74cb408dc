"""Signing in to the pages with an API token (``/signin``, ``/signout``).

Someone given a token (``cellwatch tokens create``) pastes it into the sign-in form: a
checkpoint officer or a regulator for the field-operations pages (:data:`ROLES`), anyone
with a token (a retailer's ``screener`` token, a brand's) for bulk screening.
``POST /signin`` checks it as the API checks a bearer token
(:func:`cellwatch.store.tokens.authenticate`: unknown, expired and revoked tokens are
refused) and keeps it in a cookie that scripts cannot read (``HttpOnly``), that no other
site's page makes the browser send (``SameSite=Strict``), sent only over HTTPS when the
page is served over HTTPS (``Secure``), for one shift at most. ``POST /signout`` clears it.
A token is never put in a URL. Every page that needs it checks it again on each request,
so a revoked token stops working at once; a page for other roles refuses it (403).
"""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from cellwatch.api.access import Principal
from cellwatch.errors import Unauthenticated
from cellwatch.store.tokens import TokenRole, authenticate
from cellwatch.web.forms import Problem
from cellwatch.web.pages import Pages, View

pages = Pages()

COOKIE = "cellwatch_token"
#: How long a sign-in lasts (seconds): one shift.
SHIFT = 12 * 3600
#: The roles the field-operations pages serve (an admin token may do what both may).
ROLES = (TokenRole.CHECKPOINT, TokenRole.REGULATOR)
MAX_TOKEN = 200
#: Where a sign-in without a page to go back to leads: the field-operations pages for
#: their roles, bulk screening for every other token.
HOME, SCREEN_HOME = "/checkpoint", "/screen"


def who(view: View) -> Principal | None:
    """Who is signed in (a valid token in the cookie), or ``None``."""
    secret = view.request.cookies.get(COOKIE, "")
    if not secret or len(secret) > MAX_TOKEN:
        return None
    try:
        with view.services.database.connect() as connection:
            return Principal(authenticate(connection, secret))
    except Unauthenticated:
        return None


def signed_in(view: View, next_path: str) -> Principal | Response:
    """Who is signed in, with a token of any role; else the sign-in page (to come back to
    ``next_path``)."""
    found = who(view)
    return sign_in_page(view, next_path) if found is None else found


def officer(view: View, next_path: str, wrong_role: str) -> Principal | Response:
    """Who is signed in with a token of :data:`ROLES` (or an admin's); else the sign-in
    page (to come back to ``next_path``), or, for another role's token, the 403 page with
    the catalogue's ``wrong_role`` message."""
    found = signed_in(view, next_path)
    if isinstance(found, Principal) and not found.has(*ROLES):
        return refuse(view, wrong_role, role=view.t(f"role_token.{found.role.value}"))
    return found


def home(principal: Principal) -> str:
    """The page a sign-in leads to when it names none."""
    return HOME if principal.has(*ROLES) else SCREEN_HOME


def safe_next(path: str, default: str = HOME) -> str:
    """A page of this site to go to after signing in (never another site)."""
    if path.startswith("/") and not path.startswith(("//", "/\\")) and len(path) < 300:
        return path
    return default


def sign_in_page(
    view: View, next_path: str, *, status: int = 200, problems: list[Problem] | None = None
) -> Response:
    """The sign-in form; after signing in the visitor is taken to ``next_path`` (none:
    :func:`home`)."""
    return view.render("signin.html", view.t("signin.title"), status=status,
                       next_path=safe_next(next_path, ""), problems=problems or [],
                       principal=who(view))


def refuse(view: View, key: str, **values: object) -> Response:
    """A 403 page: the signed-in token's role may not use this page."""
    message = view.t.text(key, **values)
    return view.render("error.html", view.t("error.forbidden"), status=403,
                       heading=view.t("error.forbidden"), messages=[message])


@pages.get("/signin")
def sign_in(view: View) -> Response:
    return sign_in_page(view, view.query.get("next", ""))


@pages.post("/signin")
def sign_in_post(view: View) -> Response:
    secret = view.field("token")
    next_path = view.field("next")
    if not secret or len(secret) > MAX_TOKEN:
        problem = Problem("token", view.t.text("signin.invalid"))
        return sign_in_page(view, next_path, status=401, problems=[problem])
    try:
        with view.services.database.connect() as connection:
            principal = Principal(authenticate(connection, secret))
    except Unauthenticated:
        problem = Problem("token", view.t.text("signin.invalid"))
        return sign_in_page(view, next_path, status=401, problems=[problem])
    response = RedirectResponse(safe_next(next_path, home(principal)), status_code=303)
    response.set_cookie(
        COOKIE, secret, max_age=SHIFT, path="/", httponly=True, samesite="strict",
        secure=view.request.url.scheme == "https",
    )
    return response


@pages.post("/signout")
def sign_out(view: View) -> Response:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=view.request.url.scheme == "https")
    return response
