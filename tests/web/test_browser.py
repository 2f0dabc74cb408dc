"""The pages in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server on the demo registry. Each test writes screenshots of what it saw, at a
phone size (390×844) and a desktop size (1280×800)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.slow

# the smallest valid PNG: one transparent pixel
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def shoot(page: Any, folder: Path, name: str, anchor: str | None = None) -> None:
    """The whole page, and one screen of it (from ``anchor`` when given)."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    if anchor:
        page.locator(anchor).scroll_into_view_if_needed()
        page.evaluate("(a) => document.querySelector(a).scrollIntoView()", anchor)
    page.screenshot(path=str(folder / f"{name}-screen.png"))


def fill_check(page: Any, **values: str) -> None:
    for name, value in values.items():
        page.fill(f"#f-{name}", value)


def test_recalled_romoss_batch_is_refused(
    site: str, page_at: Callable[..., Any], screenshots: Path
) -> None:
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = page_at(viewport)
        page.goto(f"{site}/?lang=en")
        shoot(page, screenshots, f"check-form-{size}")
        fill_check(page, brand="romoss", model="PAC20-272", batch="C14-P6", date="2025-07-01")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/check\?"))
        assert "batch=C14-P6" in page.url and "model=PAC20-272" in page.url
        verdict = page.locator("#verdict-h")
        assert verdict.inner_text() == "Not allowed"
        assert "v-forbidden" in (page.locator("section.verdict").get_attribute("class") or "")
        recall = page.locator("section.recall-status")
        assert "recalled" in recall.locator("h2").inner_text()
        assert "C14-P6" in recall.inner_text()
        assert recall.locator("a[href='/recalls/cn-romoss-2025-06']").count() == 1
        assert page.locator(".reason").count() >= 1
        assert page.locator(".reason a[href^='http']").count() >= 1
        assert "Stop using" in page.locator("section.actions").inner_text()
        shoot(page, screenshots, f"check-recalled-{size}")


def test_allowed_unit(site: str, page_at: Callable[..., Any], screenshots: Path) -> None:
    page = page_at(PHONE)
    page.goto(f"{site}/?lang=en")
    fill_check(page, brand="xiaomi", model="PB2030MI", produced="2023-01-05",
               energy_wh="74", date="2025-07-01")
    page.check("input[name=ccc_mark][value=present]")
    page.select_option("#f-rules", "cn-caac")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/check\?"))
    assert page.locator("#verdict-h").inner_text() == "Allowed"
    assert "v-allowed" in (page.locator("section.verdict").get_attribute("class") or "")
    assert "not recalled" in page.locator("section.recall-status h2").inner_text()
    assert "74" in page.locator("#energy-h").inner_text()
    shoot(page, screenshots, "check-allowed-phone")
    # the URL carries the query: opening it again gives the same answer
    again = page_at(DESKTOP)
    again.goto(page.url)
    assert again.locator("#verdict-h").inner_text() == "Allowed"


def test_switch_language(site: str, page_at: Callable[..., Any], screenshots: Path) -> None:
    page = page_at(PHONE, locale="en-US")
    page.goto(f"{site}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#language-switch")
    page.wait_for_url(re.compile(r"lang=zh"))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "充电宝" in page.locator("h1").inner_text()
    shoot(page, screenshots, "check-form-zh-phone")
    # remembered: the next page is Chinese without ?lang
    page.click("nav a[href='/recalls']")
    page.wait_for_url(re.compile(r"/recalls$"))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "召回与警示"
    # and the check result in Chinese
    page.goto(f"{site}/check?brand=罗马仕&model=PAC20-272&batch=C14-P6&date=2025-07-01")
    assert page.locator("#verdict-h").inner_text() == "禁止携带"
    shoot(page, screenshots, "check-recalled-zh-phone")


def test_browser_language_is_the_default(site: str, page_at: Callable[..., Any]) -> None:
    page = page_at(DESKTOP, locale="zh-CN")
    page.goto(f"{site}/recalls")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_recall_company_and_impact(
    site: str, page_at: Callable[..., Any], screenshots: Path
) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{site}/recalls?lang=en")
    shoot(page, screenshots, "recalls-desktop")
    page.fill("#f-search", "romoss")
    page.click(".filters button[type=submit]")
    page.wait_for_url(re.compile(r"search=romoss"))
    page.click("a[href='/recalls/cn-romoss-2025-06']")
    page.wait_for_url(re.compile(r"/recalls/cn-romoss-2025-06$"))
    assert page.locator("h1").inner_text() == "Romoss recalls three models of power banks"
    scope = page.locator("table.scope")
    assert "C14-P6" in scope.inner_text() and "PAC20-392" in scope.inner_text()
    assert page.locator(".sources li").count() >= 3
    shoot(page, screenshots, "recall-desktop")
    page.click("dl.facts a[href='/companies/romoss']")
    page.wait_for_url(re.compile(r"/companies/romoss$"))
    assert "Romoss" in page.locator("h1").inner_text()
    assert page.locator("a[href='/recalls/cn-romoss-2025-06']").count() >= 1
    phone = page_at(PHONE)
    phone.goto(f"{site}/companies/APEX%20(Wuxi)?lang=en")
    assert "Amprius" in phone.locator("h1").inner_text()
    shoot(phone, screenshots, "company-phone")
    phone.click("text=See the impact of this company")
    phone.wait_for_url(re.compile(r"/impact\?company="))
    phone.fill("#f-date", "2025-07-01")
    phone.click(".impact-form button[type=submit]")
    phone.wait_for_url(re.compile(r"date=2025-07-01"))
    graph = phone.locator("svg.graph")
    assert graph.count() == 1
    assert graph.locator("a.n-model").count() >= 3
    assert graph.locator(".n-batch").count() >= 1
    table = phone.locator("table.exposure")
    for model in ("PAC20-392", "A1681", "PB2030MI"):
        assert model in table.inner_text()
    shoot(phone, screenshots, "impact-phone")
    desktop = page_at(DESKTOP)
    desktop.goto(phone.url)
    shoot(desktop, screenshots, "impact-desktop", "#headline-h")


def test_certificate_timeline(site: str, page_at: Callable[..., Any], screenshots: Path) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{site}/certificates/amprius-wuxi-cells-ccc?lang=en&date=2025-07-01")
    assert page.locator(".status-line").inner_text().endswith("suspended")
    timeline = page.locator("svg.chart.timeline")
    assert timeline.count() == 1
    assert timeline.locator("rect.s-suspended:has(title)").count() == 1
    shoot(page, screenshots, "certificate-desktop")


def test_dashboard_draws_its_charts(
    site: str, page_at: Callable[..., Any], screenshots: Path
) -> None:
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = page_at(viewport)
        page.goto(f"{site}/dashboard?lang=en")
        charts = page.locator("svg.chart")
        assert charts.count() >= 6
        for index in range(charts.count()):
            chart = charts.nth(index)
            box = chart.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 20
            assert chart.locator("title").count() >= 1
        assert page.locator("svg.chart.columns rect.c-1").count() >= 3
        assert page.locator("#effectiveness-table tbody tr").count() == 3
        shoot(page, screenshots, f"dashboard-{size}")


CANNED = {
    "facts": {
        "brand": {"value": "罗马仕", "confidence": 0.93, "text": "ROMOSS 罗马仕"},
        "model": {"value": "PAC20-272", "confidence": 0.88, "text": "型号:PAC20-272"},
        "batch": {"value": "C14-P6", "confidence": 0.71, "text": "批次 C14-P6"},
        "energy_wh": {"value": 74.0, "confidence": 0.9, "text": "74Wh"},
        "voltage_v": {"value": 3.7, "confidence": 0.8, "text": "3.7V"},
        "ccc_mark": {"value": "present", "confidence": 0.6, "text": "CCC"},
    },
    "lines": ["ROMOSS 罗马仕", "型号:PAC20-272", "批次 C14-P6", "74Wh 3.7V"],
    "image": {"width": 1, "height": 1},
    "seconds": 0.2,
    "notes": [],
}


def test_photo_button_prefills_the_form(
    site: str, page_at: Callable[..., Any], screenshots: Path
) -> None:
    page = page_at(PHONE)
    seen: list[Any] = []

    def answer(route: Any) -> None:
        seen.append(route.request)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(CANNED))

    page.route("**/v1/read-label", answer)
    page.goto(f"{site}/?lang=en")
    page.set_input_files("#photo-input", files=[
        {"name": "label.png", "mimeType": "image/png", "buffer": PIXEL}
    ])
    status = page.locator("#photo-status")
    status.filter(has_text="Read 6 value").wait_for()
    assert len(seen) == 1 and seen[0].method == "POST"
    assert "multipart/form-data" in (seen[0].headers.get("content-type") or "")
    assert 'name="photo"' in (seen[0].post_data_buffer or b"").decode("latin-1")
    assert page.input_value("#f-brand") == "罗马仕"
    assert page.input_value("#f-model") == "PAC20-272"
    assert page.input_value("#f-batch") == "C14-P6"
    assert page.input_value("#f-voltage") == "3.7"
    assert page.is_checked("input[name=ccc_mark][value=present]")
    note = page.locator("#read-batch")
    assert note.is_visible() and "C14-P6" in note.inner_text() and "71 %" in note.inner_text()
    assert page.locator("#wrap-batch.prefilled").count() == 1
    assert page.locator("#read-serial").is_hidden()
    shoot(page, screenshots, "photo-prefill-phone", "#photo-h")
    # the person corrects a value, then checks
    page.fill("#f-date", "2025-07-01")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/check\?"))
    assert page.locator("#verdict-h").inner_text() == "Not allowed"


@pytest.mark.parametrize(("status", "words"), [
    (404, "not available on this server"),
    (413, "too large"),
    (422, "could not be read: no text found"),
])
def test_photo_button_degrades_gracefully(
    site: str, page_at: Callable[..., Any], status: int, words: str
) -> None:
    page = page_at(PHONE)
    body = {"error": {"code": "x", "message": "no text found", "details": []}}
    page.route("**/v1/read-label", lambda route: route.fulfill(
        status=status, content_type="application/json", body=json.dumps(body)))
    page.goto(f"{site}/?lang=en")
    page.set_input_files("#photo-input", files=[
        {"name": "label.png", "mimeType": "image/png", "buffer": PIXEL}
    ])
    message = page.locator("#photo-status.error")
    message.wait_for()
    assert words in message.inner_text()
    assert page.input_value("#f-brand") == ""


def test_keyboard_skip_link_and_focus(site: str, page_at: Callable[..., Any]) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{site}/?lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # every input has a label
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        'input:not([type=hidden]), select')).filter(e => !e.labels || e.labels.length === 0)
        .map(e => e.id || e.name)""")
    assert unlabelled == []


@pytest.mark.parametrize("path", [
    "/", "/check?brand=romoss&model=PAC20-272&batch=C14-P6&date=2025-07-01", "/recalls",
    "/recalls/cn-romoss-2025-06", "/companies", "/models", "/certificates", "/dashboard",
    "/impact?company=APEX%20(Wuxi)&date=2025-07-01",
])
def test_no_sideways_scrolling_on_a_phone(
    site: str, page_at: Callable[..., Any], path: str
) -> None:
    page = page_at({"width": 375, "height": 740})
    page.goto(f"{site}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_model_suggestions_as_you_type(site: str, page_at: Callable[..., Any]) -> None:
    page = page_at(DESKTOP)
    page.goto(f"{site}/?lang=en")
    page.fill("#f-brand", "Romoss")
    page.locator("#f-model").press_sequentially("PAC2")
    options = page.locator("#model-suggestions option")
    options.first.wait_for(state="attached")
    values = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert {"PAC20-272", "PAC20-392"} <= values
    brands = page.locator("#brand-names option")
    assert brands.count() > 10
    assert page.locator("#brand-names option[value='罗马仕']").count() == 1


def test_the_api_docs_render_with_nothing_from_the_internet(
    site: str, page_at: Callable[..., Any]
) -> None:
    page = page_at(DESKTOP)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{site}/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 50  # every operation of /openapi.json
    assert page.locator(".opblock-summary-path", has_text="/v1/check/batch").count() == 1
    assert asked and all(url.startswith(site) for url in asked), asked
