"""The field-operations pages through the ASGI app, on SQLite and PostgreSQL, on the demo
registry: signals, the recall claim form and status page, signing in, checkpoint records,
incident reports; role boundaries, error pages in both languages, cross-site posts."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from starlette.requests import Request

from cellwatch.api.state import Services, Snapshot
from cellwatch.checkpoints.policy import Location
from cellwatch.domain.incidents import Severity
from cellwatch.domain.recalls import Remedy
from cellwatch.fieldops import checkpoints as ops
from cellwatch.signals import signals
from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole, create_token
from cellwatch.web import signals as signals_page
from cellwatch.web.messages import MESSAGES
from cellwatch.web.pages import View
from tests.api.conftest import Api, TokenMaker
from tests.signals.test_signals import AS_OF, _registry
from tests.web.test_pages import html, problems

CLAIM = {"brand": "倍思", "model": "BS-30KP365", "serial": "BS30KP3659999D",
         "contact_name": "Wang Fang", "contact_email": "wang.fang@example.cn"}
PEK = Location(id="pek-t3", name="Beijing Capital T3 security", name_zh="首都机场T3安检",
               days_free=7, fee_per_day_cents=1000, max_days=30)
SHA = Location(id="sha-t1", name="Shanghai Hongqiao T1 security", name_zh="虹桥T1安检")
TODAY = dt.datetime.now(dt.UTC).date()


def png(size: int = 64, noise: bool = False) -> bytes:
    image = Image.new("RGB", (size, size), (200, 40, 40))
    if noise:
        image = Image.frombytes("RGB", (size, size), random.Random(1).randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def cookie(secret: str) -> dict[str, str]:
    return {"Cookie": f"cellwatch_token={secret}"}


@pytest.fixture
def desks(demo: Database) -> dict[str, str]:
    """Two locations, a checkpoint token bound to each, one unbound; their secrets."""
    ops.add_location(demo, PEK, "test")
    ops.add_location(demo, SHA, "test")
    secrets = {}
    for name, location in (("pek", "pek-t3"), ("sha", "sha-t1"), ("unbound", None)):
        with demo.unit_of_work("test-admin") as uow:
            found, secret = create_token(uow, TokenRole.CHECKPOINT, name=f"{name}-desk")
        if location:
            ops.bind_token(demo, found.id, location, "test")
        secrets[name] = secret
    return secrets


@pytest.mark.parametrize(("prefix", "values"), [
    ("severity.", [v.value for v in Severity]),
    ("remedy.", [v.value for v in Remedy]),
    ("role_token.", [v.value for v in TokenRole]),
    ("signals.kind.", [*signals_page.GROUP_KINDS, "recall"]),
    ("signals.by.", list(signals_page.GROUP_KINDS)),
])
def test_every_value_the_field_pages_name_has_words(prefix: str, values: list[str]) -> None:
    assert [v for v in values if f"{prefix}{v}" not in MESSAGES] == []


# -- signals ---------------------------------------------------------------------------------


def test_signals_show_the_demo_incidents_rates_and_inspection_list(web: Api) -> None:
    body = html(web, "/signals?as_of=2025-12-01&lang=en")
    assert 'href="/signals" aria-current="page"' in body
    for incident in ("hx115-2025-03-20", "bx391-2025-01-28", "ca139-2025-10-18"):
        assert incident in body
    rates = re.search(r'<table class="list rates" id="rates-brand">.*?</table>', body, re.S)
    assert rates and "Romoss" in rates.group(0)
    assert "units of batches and models (PAC20-272" in rates.group(0)  # the denominator
    assert "2.0" in rates.group(0)  # 1 incident in 495,537 units
    assert "us-cpsc-anker-a1642-2024-10" in body and "13,333.3" in body
    inspection = re.search(r'<ol class="inspection".*?</ol>', body, re.S)
    assert inspection and "Amprius (Wuxi)" in inspection.group(0)
    assert "certificate(s) not valid on 2025-12-01" in inspection.group(0)
    assert "PRR ≥ 2.0, χ² ≥ 4.0 and N ≥ 3" in body
    chinese = html(web, "/signals?as_of=2025-12-01&lang=zh")
    assert "每百万件" in chinese and "批次及型号数量" in chinese
    assert "2025-12-01 证书无效" in chinese
    bad = html(web, "/signals?as_of=someday&lang=en", 422)
    assert "As of: write it as a date, YYYY-MM-DD" in problems(bad)
    assert "信号" in html(web, "/dashboard?lang=zh") and 'href="/signals"' in html(web, "/dashboard")


def test_flagged_disproportionality_rows_are_highlighted() -> None:
    """The page on a registry where PB-100's fires are a signal (tests/signals)."""
    registry = _registry()
    report = signals(registry, as_of=AS_OF)
    assert report.signals
    request = Request({"type": "http", "method": "GET", "path": "/signals",
                       "query_string": b"as_of=2025-12-01", "headers": []})
    view = View(request, Snapshot(registry, None), "en", Services.__new__(Services))
    body = bytes(signals_page.signals_page(view).body).decode()
    table = re.search(r'<table class="list measures".*?</table>', body, re.S)
    assert table
    flagged = re.findall(r'<tr class="flagged">(.*?)</tr>', table.group(0), re.S)
    assert len(flagged) == len(report.signals)
    assert "CellCo" in flagged[0] and "<td>fire</td>" in flagged[0]
    assert "⚑ signal" in flagged[0] and any("PB-100" in row for row in flagged)
    first = report.signals[0]
    assert first.prr_ci is not None
    assert f"{first.prr_ci[0]:,.2f}–{first.prr_ci[1]:,.2f}" in flagged[0]
    assert '<tr class="">' in table.group(0)  # and rows that are not signals


# -- recall claims ---------------------------------------------------------------------------


def post_claim(web: Api, photos: list[bytes] | None = None, lang: str = "en",
               **fields: str) -> Any:
    files = [("photos", (f"p{i}.png", data, "image/png"))
             for i, data in enumerate(photos or [])]
    return web.post(f"/claim?lang={lang}", data=CLAIM | fields, files=files or None)


def test_a_claim_with_a_photo_is_stored_and_followed_with_its_secret(web: Api) -> None:
    form = html(web, "/claim?brand=baseus&model=BS-30KP365&recall_id=x&lang=en")
    assert 'enctype="multipart/form-data"' in form and 'name="photos"' in form
    assert 'name="brand" type="text" value="baseus"' in form
    assert 'value="x"' in form and 'name="remedy" value="refund"' in form
    done = post_claim(web, [png()])
    assert done.status_code == 201, done.text[:2000]
    assert done.headers["cache-control"] == "no-store"
    claim_id = re.search(r'<dd id="claim-id">([^<]+)</dd>', done.text)
    secret = re.search(r'<dd id="claim-secret"><code>([^<]+)</code>', done.text)
    assert claim_id and secret
    assert "the secret is shown only this once" in done.text
    assert "wang.fang@example.cn" not in done.text
    status = html(web, f"/claim/{claim_id.group(1)}?lang=en")
    assert 'type="password"' in status and "Submitted" not in status
    shown = web.post(f"/claim/{quote(claim_id.group(1))}?lang=zh",
                     data={"secret": secret.group(1)})
    assert shown.status_code == 200
    assert '<span class="badge big" id="claim-state">已提交，等待品牌审核</span>' in shown.text
    assert secret.group(1) not in shown.text
    wrong = web.post(f"/claim/{quote(claim_id.group(1))}?lang=en", data={"secret": "nope"})
    assert wrong.status_code == 404 and "No claim has this number and secret." in wrong.text
    again = post_claim(web)
    assert again.status_code == 409 and "has already claimed the remedy" in again.text
    assert "已申请过" in post_claim(web, lang="zh").text
    # the dashboard counts it against the recall's units, beside the authorities' figures
    dashboard = html(web, "/dashboard?lang=en")
    row = re.search(r'<tr>\s*<td><a href="/recalls/us-cpsc-baseus[^"]*">.*?</tr>', dashboard, re.S)
    assert row and re.findall(r'<td class="num">([^<]*)</td>', row.group(0)) == [
        "55,380", "1", "0 (0.0 %)"]


def test_a_unit_outside_the_recall_is_refused_with_its_reasons(web: Api) -> None:
    refused = post_claim(web, model="NO-SUCH-MODEL")
    assert refused.status_code == 422
    assert "The registry does not know the model" in refused.text
    assert 'class="problems refusal"' in refused.text
    assert 'value="NO-SUCH-MODEL"' in refused.text  # what was typed is kept
    chinese = post_claim(web, lang="zh", model="NO-SUCH-MODEL")
    assert "该产品无法申请补救" in chinese.text and "登记库中没有" in chinese.text


def test_claim_form_values_are_explained(web: Api) -> None:
    missing = post_claim(web, contact_email="", serial="")
    assert missing.status_code == 422
    box = problems(missing.text)
    assert "Serial number (SN): please fill this in." in box
    assert "Contact: give an email address or a phone number." in box
    bad = post_claim(web, lang="zh", contact_email="not-an-address")
    assert "电子邮箱：请按 电子邮箱地址" in problems(bad.text)
    not_image = post_claim(web, [b"GIF89a not really"])
    assert not_image.status_code == 422
    assert "A photo could not be read as an image" in problems(not_image.text)


def test_too_large_photos_get_a_friendly_page(demo: Database, make_api: Any) -> None:
    small = make_api(demo, max_claim_photo_bytes=2000, max_claim_photos=1)
    big = post_claim(small, [png(60, noise=True)])  # over the photo limit, not the body's
    assert big.status_code == 413
    assert "<h1>Too large</h1>" in big.text and "at most 1 photos" in big.text
    huge = post_claim(small, [png(200, noise=True)])  # over the body limit: refused unread
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
    assert "larger than 0.1 MB altogether" in huge.text
    api = small.post("/v1/claims", data=CLAIM,
                     files=[("photos", ("p.png", png(200, noise=True), "image/png"))])
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"
    many = post_claim(small, [png(), png()], lang="zh")
    assert many.status_code == 413 and "内容过大" in many.text


def test_the_check_links_a_recalled_unit_to_the_claim_form(web: Api) -> None:
    body = html(web, "/check?brand=romoss&model=PAC20-272&batch=C14-P6&serial=R1"
                     "&date=2025-07-01&lang=en")
    link = re.search(r'<a class="button primary" href="(/claim\?[^"]+)">', body)
    assert link, "no claim link"
    assert link.group(1) == ("/claim?brand=romoss&amp;model=PAC20-272&amp;serial=R1"
                             "&amp;batch=C14-P6&amp;recall_id=cn-romoss-2025-06")
    allowed = html(web, "/check?brand=xiaomi&model=PB2030MI&produced=2023-01-05"
                        "&ccc_mark=present&energy_wh=74&date=2025-07-01")
    assert "/claim?" not in allowed


# -- signing in ------------------------------------------------------------------------------


def test_signing_in_keeps_the_token_in_a_strict_http_only_cookie(
    web: Api, desks: dict[str, str], token: TokenMaker
) -> None:
    anonymous = html(web, "/checkpoint?lang=en")
    assert 'action="/signin"' in anonymous and 'name="next" value="/checkpoint"' in anonymous
    assert "Beijing" not in anonymous
    wrong = web.post("/signin?lang=en", data={"token": "cw_nope", "next": "/checkpoint"})
    assert wrong.status_code == 401 and "not accepted" in wrong.text
    for role, company in (("brand", "anker"), ("screener", None)):  # only screening is theirs
        other = web.post("/signin?lang=zh", data={"token": token(role, company), "next": ""})
        assert other.status_code == 303 and other.headers["location"] == "/screen", role
        assert other.headers["set-cookie"].startswith("cellwatch_token=cw_")
        refused = web.get("/checkpoint?lang=zh")
        assert refused.status_code == 403 and "类令牌不能查看或记录安检记录" in refused.text
        web.post("/signout")
    signed = web.post("/signin", data={"token": desks["pek"], "next": "//evil.example/x"})
    assert signed.status_code == 303 and signed.headers["location"] == "/checkpoint"
    set_cookie = signed.headers["set-cookie"]
    assert set_cookie.startswith("cellwatch_token=cw_")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/", "Max-Age=43200"):
        assert attribute in set_cookie
    page = html(web, "/checkpoint?lang=en")  # the client keeps the cookie
    assert "At Beijing Capital T3 security" in page and "pek-desk" in page
    assert desks["pek"] not in page
    out = web.post("/signout")
    assert out.status_code == 303 and 'cellwatch_token=""' in out.headers["set-cookie"]
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert 'action="/signin"' in html(web, "/checkpoint")


def test_a_cross_site_post_is_refused(web: Api, desks: dict[str, str]) -> None:
    step = {"kind": "passed", "model": "A1263", "serial": "X1"}
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://evil.example"}, {"Origin": "null"}):
        refused = web.post("/checkpoint?lang=en", data=step,
                           headers=cookie(desks["pek"]) | headers)
        assert refused.status_code == 403, headers
        assert "sent from another website" in refused.text
    assert "another website" in web.post("/signin", data={"token": desks["pek"]},
                                          headers={"Sec-Fetch-Site": "cross-site"}).text
    assert web.post("/claim", data=CLAIM, headers={"Origin": "http://evil.example"}
                    ).status_code == 403
    report = html(web, "/checkpoint?lang=en", headers=cookie(desks["pek"]))
    assert '<tr data-metric="checked"><td>Units checked</td><td class="num">0</td>' in report
    same = web.post("/checkpoint?lang=en", data=step,
                    headers=cookie(desks["pek"]) | {"Origin": "http://testserver",
                                                    "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 201


# -- checkpoint records ----------------------------------------------------------------------


def record(web: Api, secret: str, lang: str = "en", **step: str) -> Any:
    return web.post(f"/checkpoint?lang={lang}", data=step, headers=cookie(secret))


def test_a_checkpoint_stores_a_unit_and_sees_receipt_chain_and_report(
    web: Api, desks: dict[str, str]
) -> None:
    pek = desks["pek"]
    stored = record(web, pek, kind="stored", brand="Anker", model="A1263", serial="AK-77")
    assert stored.status_code == 201, stored.text[:3000]
    case_id = re.search(r"Recorded: case (\d+)", stored.text)
    assert case_id
    receipt = f"PEK-T3-{TODAY:%Y%m%d}-{int(case_id.group(1)):06d}"
    assert f'<dd id="receipt">{receipt}</dd>' in stored.text
    assert f'<dd id="deadline">{TODAY + dt.timedelta(days=30)}</dd>' in stored.text
    assert '<dd id="fee">10.00 CNY per day</dd>' in stored.text
    assert '<tr data-metric="stored"><td>Stored</td><td class="num">1</td>' in stored.text
    chain = html(web, f"/checkpoint?receipt={receipt}&lang=zh", headers=cookie(pek))
    assert f"凭条号 {receipt}" in chain and "暂存" in chain
    assert "AK-77" in html(web, "/checkpoint?serial=ak-77", headers=cookie(pek))
    csv_link = re.search(r'<a href="([^"]+)" id="report-csv"', stored.text)
    assert csv_link and "token" not in csv_link.group(1)
    csv = web.get(csv_link.group(1).replace("&amp;", "&"), headers=cookie(pek))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f"pek-t3,{TODAY},stored,,1,Stored,暂存" in csv.text
    assert f'filename="pek-t3-{TODAY}.csv"' in csv.headers["content-disposition"]
    retrieved = record(web, pek, kind="retrieved", case_id=case_id.group(1))
    assert retrieved.status_code == 201 and "Retrieved, fee 0.00 CNY" in retrieved.text


def test_steps_the_case_does_not_allow_are_explained(web: Api, desks: dict[str, str]) -> None:
    pek = desks["pek"]
    no_reason = record(web, pek, kind="refused", model="A1263", serial="R-1")
    assert no_reason.status_code == 422
    assert "Reason for refusal: a refusal needs a reason." in problems(no_reason.text)
    refused = record(web, pek, kind="refused", reason="recalled", model="A1263", serial="R-1")
    assert refused.status_code == 201
    case_id = re.search(r"Recorded: case (\d+)", refused.text)
    assert case_id
    stored = record(web, pek, kind="stored", case_id=case_id.group(1))
    assert stored.status_code == 409
    assert "does not store units refused as “recalled”" in problems(stored.text)
    chinese = record(web, pek, "zh", kind="passed", case_id=case_id.group(1))
    assert chinese.status_code == 409
    assert "不能记录“放行”；可记录：旅客自弃、暂存" in problems(chinese.text)
    first = record(web, pek, kind="retrieved", model="A1263", serial="R-2")
    assert "A new case cannot start with “Retrieved”" in problems(first.text)
    missing = record(web, pek, kind="passed", case_id="999999")
    assert missing.status_code == 404 and "there is no case 999999" in missing.text
    elsewhere = record(web, desks["sha"], kind="given_up", case_id=case_id.group(1))
    assert elsewhere.status_code == 403 and "belongs to another location" in elsewhere.text


def test_who_may_use_the_checkpoint_pages(
    web: Api, desks: dict[str, str], token: TokenMaker
) -> None:
    brand = cookie(token("brand", "anker"))
    assert web.get("/checkpoint", headers=brand).status_code == 403
    refused = web.post("/checkpoint?lang=en", data={"kind": "passed", "serial": "B1"},
                       headers=brand)
    assert refused.status_code == 403 and "may not read or record" in refused.text
    assert web.get("/checkpoint/report.csv", headers=brand).status_code == 403
    pek = cookie(desks["pek"])
    assert web.get("/checkpoint?location=sha-t1", headers=pek).status_code == 403
    assert web.get("/checkpoint/report.csv?location=sha-t1", headers=pek).status_code == 403
    unbound = web.get("/checkpoint?lang=en", headers=cookie(desks["unbound"]))
    assert unbound.status_code == 403 and "bound to no location" in unbound.text
    record(web, desks["sha"], kind="passed", model="A1263", serial="S-1")
    regulator = cookie(token("regulator"))
    other = html(web, "/checkpoint?location=sha-t1&lang=en", headers=regulator)
    assert "At Shanghai Hongqiao T1 security" in other and 'id="record-form"' not in other
    assert '<tr data-metric="passed"><td>Passed</td><td class="num">1</td>' in other
    assert "S-1" in html(web, "/checkpoint?serial=S-1", headers=regulator)
    assert web.get("/checkpoint/report.csv?location=sha-t1",
                   headers=regulator).status_code == 200
    no_record = web.post("/checkpoint", data={"kind": "passed", "serial": "G1"},
                         headers=regulator)
    assert no_record.status_code == 403
    assert web.get("/checkpoint?location=nowhere", headers=regulator).status_code == 404
    anonymous_csv = web.get("/checkpoint/report.csv")
    assert anonymous_csv.status_code == 200 and 'action="/signin"' in anonymous_csv.text
    assert web.post("/checkpoint", data={"kind": "passed"}).text.count('action="/signin"') == 1


# -- incident reports ------------------------------------------------------------------------

INCIDENT = {"date": "2025-07-04", "mode": "air", "flight": "MU5101", "brand": "Anker",
            "model": "A1263", "severity": "smoke", "injuries": "0",
            "description": "Smoke from a power bank in the overhead bin.",
            "source_url": "https://www.caac.gov.cn/example-notice"}


def test_an_incident_is_stored_then_held_as_a_duplicate(
    web: Api, desks: dict[str, str], token: TokenMaker
) -> None:
    assert 'name="next" value="/incidents/new"' in html(web, "/incidents/new")
    brand = cookie(token("brand", "anker"))
    assert web.get("/incidents/new", headers=brand).status_code == 403
    assert web.post("/incidents/new", data=INCIDENT, headers=brand).status_code == 403
    screener = web.get("/incidents/new?lang=en", headers=cookie(token("screener")))
    assert screener.status_code == 403 and "A screener token may not report" in screener.text
    pek = cookie(desks["pek"])
    form = html(web, "/incidents/new?lang=zh", headers=pek)
    assert "报告事故" in form and '<option value="air">飞行中</option>' in form
    stored = web.post("/incidents/new?lang=en", data=INCIDENT, headers=pek)
    assert stored.status_code == 201, stored.text[:3000]
    assert "Stored" in stored.text and "mu5101-2025-07-04" in stored.text
    assert web.get("/v1/incidents/mu5101-2025-07-04").status_code == 200
    assert "mu5101-2025-07-04" in html(web, "/signals?as_of=2025-12-01")
    held = web.post("/incidents/new?lang=zh", data=INCIDENT | {"injuries": "1"},
                    headers=cookie(token("regulator")))
    assert held.status_code == 202 and "疑似重复" in held.text
    assert "mu5101-2025-07-04" in held.text


def test_incident_values_are_explained(web: Api, desks: dict[str, str]) -> None:
    pek = cookie(desks["pek"])
    no_source = web.post("/incidents/new?lang=en", data=INCIDENT | {"source_url": "ftp://x"},
                         headers=pek)
    assert no_source.status_code == 422 and "starting with https://" in no_source.text
    bad = web.post("/incidents/new?lang=en", data=INCIDENT | {"mode": "", "injuries": "-1"},
                   headers=pek)
    box = problems(bad.text)
    assert "Where it happened: please fill this in." in box
    assert "People injured: must be at least 0." in box
    unknown = web.post("/incidents/new?lang=en", data=INCIDENT | {"brand": "Nobody Ltd"},
                       headers=pek)
    assert unknown.status_code == 422 and "is not in the registry" in problems(unknown.text)


# -- odd posts ---------------------------------------------------------------------------------

POSTED = ["brand", "model", "serial", "batch", "produced", "recall_id", "remedy",
          "contact_name", "contact_email", "contact_phone", "kind", "case_id", "reason",
          "note", "receipt", "recycler", "recycler_licence", "date", "mode", "severity",
          "injuries", "source_url", "token", "next", "secret"]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/claim", "/checkpoint", "/incidents/new", "/signin",
                          "/claim/abc"]),
    form=st.dictionaries(st.sampled_from(POSTED), st.text(max_size=30), max_size=8),
)
def test_odd_posts_never_break_a_page(
    web: Api, desks: dict[str, str], path: str, form: dict[str, str]
) -> None:
    response = web.post(path, data=form, headers=cookie(desks["pek"]))
    assert response.status_code in (201, 202, 303, 401, 403, 404, 409, 413, 422), (
        response.text[:300])
    assert response.status_code == 303 or response.headers["content-type"].startswith(
        "text/html")


def test_the_claim_form_and_sign_in_are_rate_limited(demo: Database, make_api: Any) -> None:
    limited = make_api(demo, rate_limit_per_second=0.001, rate_limit_burst=2)
    answers = [limited.post("/claim", data={"model": "X"}).status_code for _ in range(3)]
    assert answers[:2] == [422, 422] and answers[2] == 429
    refused = limited.post("/signin?lang=zh", data={"token": "cw_x"})
    assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
    assert refused.headers["content-type"].startswith("text/html")
    assert "请求过于频繁" in refused.text and "秒后重试" in refused.text
    # the API keeps its JSON problem
    api = limited.get("/v1/recalls")
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"
