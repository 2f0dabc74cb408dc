"""The field-operations pages in a real browser (Debian's Chromium under Playwright, a real
uvicorn server on the demo registry): the recall claim form with a photo, the claim's
status page, the checkpoint record page (sign in, store a unit, receipt, report, CSV), the
signals page; in English and Chinese, on a phone and a desktop."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from cellwatch.checkpoints.policy import Location
from cellwatch.fieldops import checkpoints as ops
from cellwatch.store import screen_jobs, tokens
from cellwatch.store.tokens import TokenRole, create_token
from tests.web.conftest import DESKTOP, PHONE, Site
from tests.web.test_browser import shoot

pytestmark = pytest.mark.slow

UNIT = "brand=%E5%80%8D%E6%80%9D&model=BS-30KP365&serial=BS30KP3659999D"


def label_photo() -> bytes:
    """A small PNG of a label, made here."""
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 310, 190), outline="black", width=3)
    draw.text((24, 40), "BS-30KP365  SN BS30KP3659999D", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def officer(field_site: Site) -> str:
    """A checkpoint token bound to Beijing Capital T3; its secret."""
    database = field_site.database
    ops.add_location(database, Location(
        id="pek-t3", name="Beijing Capital T3 security", name_zh="首都机场T3安检",
        days_free=7, fee_per_day_cents=1000, max_days=30), "test")
    with database.unit_of_work("test-admin") as uow:
        token, secret = create_token(uow, TokenRole.CHECKPOINT, name="pek-desk-1")
    ops.bind_token(database, token.id, "pek-t3", "test")
    return secret


def test_claim_a_recalled_unit_with_a_photo_on_a_phone(
    field_site: Site, page_at: Callable[..., Any], screenshots: Path
) -> None:
    page = page_at(PHONE)
    page.goto(f"{field_site.url}/check?{UNIT}&lang=en")
    assert page.locator("#verdict-h").inner_text() == "Not allowed"
    page.click(".claim-link a")
    page.wait_for_url(re.compile(r"/claim\?"))
    assert page.input_value("#f-model") == "BS-30KP365"
    assert page.input_value("#f-serial") == "BS30KP3659999D"
    assert page.input_value("#f-recall_id")  # the recall the check found
    page.fill("#f-contact_name", "Wang Fang")
    page.fill("#f-contact_phone", "+86 138 0000 0000")
    page.set_input_files("#f-photos", files=[
        {"name": "label.png", "mimeType": "image/png", "buffer": label_photo()}])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshots, "claim-form-phone", "#f-contact")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector("#claim-secret")
    assert page.locator("#done-h").inner_text() == "Claim received"
    claim_id = page.locator("#claim-id").inner_text()
    secret = page.locator("#claim-secret").inner_text()
    assert secret and secret not in page.url and claim_id
    assert "shown only this once" in page.locator("main").inner_text()
    assert "1" in page.locator(".facts").last.inner_text()  # one photo kept
    shoot(page, screenshots, "claim-done-phone")
    page.click("text=Where to follow the claim")
    page.wait_for_url(re.compile(rf"/claim/{claim_id}$"))
    page.fill("#f-secret", secret)
    page.click("button[type=submit]")
    page.wait_for_selector("#claim-state")
    assert page.locator("#claim-state").inner_text() == "Submitted; the brand will review it"
    assert secret not in page.url
    shoot(page, screenshots, "claim-status-phone")


def test_a_unit_outside_the_recall_is_refused_in_chinese(
    field_site: Site, page_at: Callable[..., Any], screenshots: Path
) -> None:
    page = page_at(DESKTOP, locale="zh-CN")
    page.goto(f"{field_site.url}/claim")
    assert page.locator("h1").inner_text() == "申请召回补救"
    page.fill("#f-brand", "倍思")
    page.fill("#f-model", "BS-30KP365")
    page.fill("#f-serial", "BS30KP36500001A")
    page.fill("#f-contact_name", "王芳")
    page.fill("#f-contact_email", "wang.fang@example.cn")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector("#reasons")
    reasons = page.locator("#reasons").inner_text()
    assert "该产品无法申请补救" in reasons and "不在召回" in reasons
    assert page.input_value("#f-serial") == "BS30KP36500001A"  # kept to correct it
    shoot(page, screenshots, "claim-refused-zh-desktop")


def test_checkpoint_signs_in_stores_a_unit_and_reads_the_report(
    field_site: Site, officer: str, page_at: Callable[..., Any], screenshots: Path
) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{field_site.url}/checkpoint?lang=en")
    assert page.locator("h1").inner_text().startswith("Sign in")
    page.fill("#f-token", officer)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#record-form")
    assert officer not in page.url
    (kept,) = [c for c in page.context.cookies() if c["name"] == "cellwatch_token"]
    assert kept["httpOnly"] and kept["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("cellwatch_token") == -1
    assert "Beijing Capital T3 security" in page.locator(".lead").inner_text()
    page.check("input[name=kind][value=stored]")
    page.fill("#f-brand", "Anker")
    page.fill("#f-model", "A1263")
    page.fill("#f-serial", "AK-2025-0001")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#receipt")
    today = dt.datetime.now(dt.UTC).date()
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(rf"PEK-T3-{today:%Y%m%d}-\d{{6}}", receipt)
    assert page.locator("#deadline").inner_text() == str(today + dt.timedelta(days=30))
    assert page.locator("#fee").inner_text() == "10.00 CNY per day"
    stored_row = page.locator("#report-table tr[data-metric=stored] td.num")
    assert stored_row.inner_text() == "1"
    shoot(page, screenshots, "checkpoint-desktop")
    with page.expect_download() as download:
        page.click("#report-csv")
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"pek-t3,{today},stored,,1,Stored,暂存" in csv
    # the unit's chain by its receipt, then the same page in Chinese
    page.fill("#f-chain-receipt", receipt)
    page.click("#chain-h ~ form button[type=submit]")
    page.wait_for_selector(".case")
    assert "AK-2025-0001" in page.locator(".case").first.inner_text()
    page.click("#language-switch")
    page.wait_for_selector("html[lang=zh-Hans]")
    assert page.locator("h1").inner_text() == "安检记录"
    assert f"凭条号 {receipt}" in page.locator(".case").first.inner_text()
    assert page.locator("#report-table tr[data-metric=stored] td").first.inner_text() == "暂存"
    shoot(page, screenshots, "checkpoint-zh-desktop")
    # a step the case does not allow is explained in Chinese
    page.check("input[name=kind][value=passed]")
    page.fill("#f-case_id", re.sub(r".*-0*", "", receipt))
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#problems")
    assert "不能记录“放行”" in page.locator("#problems").inner_text()
    page.click(".signed-in button[type=submit]")
    page.wait_for_url(re.compile(r"/signin$"))
    assert not [c for c in page.context.cookies() if c["name"] == "cellwatch_token"]
    page.goto(f"{field_site.url}/checkpoint")
    assert page.locator("#signin-form").count() == 1


def test_signals_page(field_site: Site, page_at: Callable[..., Any], screenshots: Path) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{field_site.url}/dashboard?lang=en")
    page.click("#signals-link")
    page.wait_for_url(re.compile(r"/signals$"))
    page.fill("#f-as_of", "2025-12-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2025-12-01"))
    incidents = page.locator("#incidents").inner_text()
    assert "hx115-2025-03-20" in incidents and "bx391-2025-01-28" in incidents
    assert page.locator("#inspection > li").count() > 3
    assert "Amprius" in page.locator("#inspection > li").first.inner_text()
    assert "Romoss" in page.locator("#rates-brand").inner_text()
    shoot(page, screenshots, "signals-desktop")
    phone = page_at(PHONE, locale="zh-CN")
    phone.goto(f"{field_site.url}/signals?as_of=2025-12-01")
    assert phone.locator("h1").inner_text() == "事故风险信号与检查清单"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture(scope="module")
def retailer(field_site: Site) -> str:
    """A retailer's screener token (it may screen, nothing else); its secret."""
    with field_site.database.unit_of_work("test-admin") as uow:
        _, secret = create_token(uow, TokenRole.SCREENER, name="shop-qa")
    return secret


def test_screen_a_list_in_the_browser_and_download_the_result(
    field_site: Site, retailer: str, page_at: Callable[..., Any], screenshots: Path,
    tmp_path: Path,
) -> None:
    """A retailer signs in with a screener token, uploads a GB18030 list, follows the
    job's page as it refreshes itself, reads the summary in Chinese on a phone, downloads
    the screened list."""
    stock = tmp_path / "库存.csv"
    stock.write_bytes("品牌,型号,批次\nromoss,PAC20-272,C14-P6\nanker,A1263,\nnobody,X1,\n"
                      .encode("gb18030"))
    page = page_at(PHONE, locale="zh-CN")
    page.goto(f"{field_site.url}/screen")
    page.fill("#f-token", retailer)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#screen-form")
    assert page.locator("h1").inner_text() == "批量筛查清单"
    assert "shop-qa（筛查）" in page.content()  # signed in as
    page.set_input_files("#f-file", str(stock))
    page.fill("#f-date", "2025-07-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshots, "screen-form-zh-phone")
    page.click("#screen-form button[type=submit]")
    page.wait_for_url(re.compile(r"/screen/[0-9a-f]{32}$"))
    page.wait_for_selector('#job-status[data-status="done"]', timeout=60_000)
    statuses = page.locator("#statuses").inner_text()
    assert "已召回" in statuses and "可能在召回范围内" in statuses and "型号未收录" in statuses
    assert "共 3 行，已筛查 3 行，截至 2025-07-01。" in page.locator("#summary .lead").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshots, "screen-done-zh-phone")
    with page.expect_download() as waiting:
        page.click("#download-result")
    download = waiting.value
    assert download.suggested_filename == "库存.screened.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert [r["recall_status"] for r in rows] == [
        "recalled", "possibly_recalled", "unknown_model"]
    assert [r["品牌"] for r in rows] == ["romoss", "anker", "nobody"]
    page.goto(f"{field_site.url}/screen")
    assert "库存.csv" in page.locator("#jobs").inner_text()
    page.click("#jobs a")  # and delete it, with its files
    page.click("#delete-job")
    page.wait_for_selector("#deleted")
    assert page.locator("#deleted").inner_text() == "该筛查及其文件已从服务器删除。"
    assert "库存.csv" not in page.content()


def test_keep_only_the_rows_to_act_on_from_a_phone(
    field_site: Site, retailer: str, page_at: Callable[..., Any], screenshots: Path,
    tmp_path: Path,
) -> None:
    """The rows to keep are folded away; opened on a phone they fit its width; ticked,
    the job's page names them and the download holds only their rows."""
    stock = tmp_path / "stock.csv"
    stock.write_text("brand,model,batch\nromoss,PAC20-272,C14-P6\nanker,A1263,\n"
                     "nobody,X1,\n", encoding="utf-8")
    page = page_at(PHONE, locale="en-GB")
    page.goto(f"{field_site.url}/screen?lang=en")
    page.fill("#f-token", retailer)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#screen-form")
    assert not page.locator("input[name=only][value=recalled]").is_visible()
    page.click("#f-only summary")
    page.check("input[name=only][value=recalled]")
    page.check("input[name=only][value=unknown_model]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshots, "screen-only-phone", "#f-only")
    page.set_input_files("#f-file", str(stock))
    page.fill("#f-date", "2025-07-01")
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector('#job-status[data-status="done"]', timeout=60_000)
    assert page.locator("#job-only").inner_text() == (
        "recalled recalled · model not in the registry unknown_model")
    assert page.locator("#download-result").inner_text() == "Download the rows kept (2, CSV)"
    with page.expect_download() as waiting:
        page.click("#download-result")
    rows = list(csv.DictReader(io.StringIO(Path(waiting.value.path()).read_text("utf-8"))))
    assert [(r["brand"], r["recall_status"]) for r in rows] == [
        ("romoss", "recalled"), ("nobody", "unknown_model")]


def test_a_waiting_screen_updates_in_place_then_shows_its_end(
    field_site: Site, officer: str, page_at: Callable[..., Any]
) -> None:
    """A queued job's page asks for its status in the background (no reload while it
    waits) and loads the finished page once: here the worker finds the job's input gone
    and fails it, which the page then says."""
    database = field_site.database
    with database.connect() as connection:
        (desk,) = [t for t in tokens.list_tokens(connection) if t.name == "pek-desk-1"]
    job_id = "e" * 32
    with database.unit_of_work("test") as uow:
        screen_jobs.create(uow.connection, job_id, token_id=desk.id, actor=desk.actor,
                           input_name="stock.csv", input_bytes=10,
                           screen_date=dt.date(2025, 7, 1), mapping={}, output_format="csv")
    errors: list[str] = []
    page = page_at(DESKTOP)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{field_site.url}/signin?next=/screen/{job_id}&lang=en")
    page.fill("#f-token", officer)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#job-live")
    assert page.locator("#job-status").get_attribute("data-status") in ("queued", "running")
    assert page.locator("#job-live").get_attribute("aria-live") == "polite"
    page.wait_for_selector("#job-error", timeout=30_000)  # the worker looks every few seconds
    assert "input" in page.locator("#job-error").inner_text()
    assert page.locator("#job-status").get_attribute("data-status") == "failed"
    assert errors == []
