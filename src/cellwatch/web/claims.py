"""The recall claim form (``/claim``) and a claim's status page (``/claim/{id}``).

Anyone may claim a recall's remedy for a unit: the form posts the fields ``POST /v1/claims``
takes (``multipart/form-data``, with up to ``max_claim_photos`` evidence photos) and the
page calls the same core, :func:`cellwatch.fieldops.claims.submit`. A unit the recall does
not cover is refused with every reason in the page's language (422), a serial that has
claimed already with a pointer to its status page (409), photos over the limits with the
limits (413). A stored claim's number and secret are shown once, on the answer to the
post (never in a URL, and not cached); the claimant follows it at ``/claim/{id}`` by
typing the secret into a form that is posted.
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.responses import Response

from cellwatch.claims.claim import ClaimRequest
from cellwatch.claims.workflow import REJECT_TEXT, STATE_TEXT
from cellwatch.domain.recalls import Remedy
from cellwatch.domain.records import Text
from cellwatch.errors import AlreadyClaimed, InputError, NotEligible, RecordNotFound, TooLarge
from cellwatch.fieldops import claims as ops
from cellwatch.web.forms import Problem, given, problems, too_long
from cellwatch.web.pages import Pages, View

pages = Pages()

#: The form's text fields, named as ``POST /v1/claims`` names them.
FIELDS = ("brand", "model", "serial", "batch", "produced", "recall_id", "remedy",
          "contact_name", "contact_email", "contact_phone")
#: Most file parts the form parser accepts (the core refuses more than the setting).
MAX_FILES = 20
MAX_SECRET = 200


def _form(
    view: View, values: dict[str, str], found: list[Problem], status: int,
    reasons: list[Text] | None = None,
) -> Response:
    settings = view.services.settings
    return view.render(
        "claim.html", view.t("claim.title"), status=status, values=values, problems=found,
        invalid={p.field for p in found}, reasons=reasons or [], remedies=list(Remedy),
        max_photos=settings.max_claim_photos,
        max_megabytes=f"{settings.max_claim_photo_bytes / 1024 / 1024:g}",
    )


@pages.get("/claim")
def claim_form(view: View) -> Response:
    """The empty form, or filled from the URL (the check result links here)."""
    return _form(view, given(view.query, FIELDS), [], 200)


def _photos(view: View) -> list[UploadFile]:
    assert view.form is not None
    return [part for part in view.form.getlist("photos")
            if isinstance(part, UploadFile) and part.filename]


@pages.post("/claim", max_files=MAX_FILES)
def claim_submit(view: View) -> Response:
    values = {name: view.field(name) for name in FIELDS if view.field(name)}
    long = too_long(values)
    if long:
        return _form(view, values, long, 422)
    settings = view.services.settings
    uploads = _photos(view)
    try:
        request = ClaimRequest.model_validate({
            "brand": values.get("brand"), "model": values.get("model", ""),
            "serial": values.get("serial", ""), "batch": values.get("batch"),
            "produced": values.get("produced"), "recall_id": values.get("recall_id"),
            "remedy": values.get("remedy"),
            "contact": {"name": values.get("contact_name", ""),
                        "email": values.get("contact_email"),
                        "phone": values.get("contact_phone")},
        })
    except ValidationError as error:
        found = [Problem("contact_email", view.t.text("claim.reachable"))
                 if p.field == "contact" else p for p in problems(error, nested=True)]
        return _form(view, values, found, 422)
    try:
        if len(uploads) > settings.max_claim_photos:
            raise TooLarge(f"{len(uploads)} photos", settings.max_claim_photos)
        contents = [part.file.read(settings.max_claim_photo_bytes + 1) for part in uploads]
        claim, secret = ops.submit(
            view.services.database, view.registry, request, contents,
            max_photo_bytes=settings.max_claim_photo_bytes,
            max_photos=settings.max_claim_photos,
        )
    except NotEligible as error:
        return _form(view, values, [], 422, [Text(en=en, zh=zh) for en, zh in error.reasons])
    except AlreadyClaimed as error:
        message = view.t.text("claim.already", serial=error.serial, recall=error.recall_id)
        return view.render("error.html", view.t("claim.already_heading"), status=409,
                           heading=view.t("claim.already_heading"), messages=[message])
    except TooLarge as error:
        message = view.t.text(
            "claim.too_large", photos=settings.max_claim_photos,
            megabytes=f"{settings.max_claim_photo_bytes / 1024 / 1024:g}", what=error.what,
        )
        return view.render("error.html", view.t("error.too_large"), status=413,
                           heading=view.t("error.too_large"), messages=[message])
    except InputError as error:  # a photo that is not an image
        found = [Problem("photos", view.t.text("claim.bad_photo", detail=str(error)))]
        return _form(view, values, found, 422)
    view.headers["Cache-Control"] = "no-store"
    return view.render("claim_done.html", view.t("claim.done_title"), status=201,
                       claim=claim, secret=secret)


def _status_form(view: View, claim_id: str, status: int = 200,
                 found: list[Problem] | None = None) -> Response:
    return view.render("claim_status.html", view.t("claim.status_title"), status=status,
                       claim_id=claim_id, claim=None, problems=found or [])


@pages.get("/claim/{claim_id}")
def claim_status(view: View) -> Response:
    return _status_form(view, view.path("claim_id"))


@pages.post("/claim/{claim_id}")
def claim_status_post(view: View) -> Response:
    claim_id = view.path("claim_id")
    secret = view.field("secret")
    if not secret or len(secret) > MAX_SECRET or len(claim_id) > MAX_SECRET:
        return _status_form(view, claim_id, 422,
                            [Problem("secret", view.t.text("claim.secret_needed"))])
    try:
        claim = ops.follow(view.services.database, claim_id, secret)
    except RecordNotFound:
        return _status_form(view, claim_id, 404,
                            [Problem("secret", view.t.text("claim.no_such"))])
    view.headers["Cache-Control"] = "no-store"
    return view.render(
        "claim_status.html", view.t("claim.status_title"), claim_id=claim_id, claim=claim,
        problems=[], state_text=STATE_TEXT[claim.state],
        reason_text=REJECT_TEXT[claim.reason] if claim.reason else None,
    )
