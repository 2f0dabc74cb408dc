"""Every page through the ASGI app, on SQLite and PostgreSQL, on the demo registry: what it
shows, how it refuses bad input (in both languages, never a 500), and that the API and its
docs are still served beside the pages."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api

PAGES = [
    "/", "/check?brand=romoss&model=PAC20-272&batch=C14-P6&date=2025-07-01", "/recalls",
    "/recalls/cn-romoss-2025-06", "/companies", "/companies/romoss", "/models",
    "/models/romoss/PAC20-272", "/certificates", "/certificates/amprius-wuxi-cells-ccc",
    "/impact", "/impact?company=APEX%20(Wuxi)&date=2025-07-01", "/dashboard",
    "/signals", "/signals?as_of=2025-12-01", "/claim", "/claim?brand=romoss&model=PAC20-272",
    "/claim/no-such-claim", "/signin", "/checkpoint", "/incidents/new",
]


def html(web: Api, path: str, status: int = 200, **options: object) -> str:
    response = web.get(path, **options)  # type: ignore[arg-type]
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def problems(body: str) -> str:
    found = re.search(r'<div class="problems".*?</div>', body, re.S)
    assert found, "no problems box on the page"
    return found.group(0)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_in_both_languages(web: Api, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    english = web.get(f"{path}{joiner}lang=en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert "default-src 'self'" in english.headers["content-security-policy"]
    assert 'href="#main"' in english.text and 'id="main"' in english.text
    assert "Skip to the content" in english.text
    chinese = html(web, f"{path}{joiner}lang=zh")
    assert '<html lang="zh-Hans">' in chinese
    assert "跳到正文" in chinese and "Skip to the content" not in chinese
    # no asset from anywhere else
    assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(js|css)', english.text)


def test_a_recalled_romoss_batch(web: Api) -> None:
    body = html(web, "/check?brand=romoss&model=PAC20-272&batch=C14-P6&date=2025-07-01&lang=en")
    assert 'class="verdict v-forbidden"' in body
    assert '<h1 id="verdict-h" class="verdict-words">Not allowed</h1>' in body
    assert "icon-cross" in body
    assert 'href="/recalls/cn-romoss-2025-06"' in body
    assert "Batch codes: C14-P6, C14-P7" in body
    assert "Matched on: Batch code" in body
    assert "Stop using and charging it now" in body
    assert re.search(r'<a href="https://[^"]+" rel="noopener noreferrer external">source 1</a>',
                     body)
    assert "cn-caac.recalled" in body
    assert "Energy: not known" in body
    chinese = html(web, "/check?brand=罗马仕&model=PAC20-272&batch=C14-P6&date=2025-07-01&lang=zh")
    assert "禁止携带" in chinese and "批次号：C14-P6" in chinese


def test_an_undecided_unit_says_what_to_read_off_it(web: Api) -> None:
    body = html(web, "/check?brand=romoss&model=PAC20-272&date=2025-07-01&lang=en")
    assert "Recall: possibly recalled" in body
    assert "Read this off the unit" in body
    assert "usually on the back or the bottom" in body  # where the batch code is printed
    assert 'href="/?brand=romoss&amp;model=PAC20-272&amp;date=2025-07-01#f-batch"' in body


def test_an_allowed_unit(web: Api) -> None:
    body = html(web, "/check?brand=xiaomi&model=PB2030MI&produced=2023-01-05&ccc_mark=present"
                     "&energy_wh=74&date=2025-07-01&lang=en")
    assert 'class="verdict v-allowed"' in body and ">Allowed</h1>" in body
    assert "icon-check" in body
    assert "Recall: not recalled" in body
    assert "Energy: 74.0 Wh" in body and "as marked on the unit" in body


def test_the_form_offers_every_trip_and_keeps_the_facts(web: Api) -> None:
    body = html(web, "/?brand=romoss&model=PAC20-272&rules=cn-rail&baggage=checked&lang=en")
    for pack in ("cn-caac", "icao", "emirates", "cn-rail", "cn-courier", "us-faa"):
        assert f'<option value="{pack}"' in body
    assert '<option value="cn-rail" selected>' in body
    assert 'name="brand" type="text" value="romoss"' in body
    assert 'value="checked" checked' in body
    assert 'capture="environment"' in body and 'accept="image/*"' in body
    assert "ccc-mark" in body  # the drawn 3C mark
    assert 'list="model-suggestions"' in body


def test_a_trip_of_several_packs_is_kept(web: Api) -> None:
    body = html(web, "/?rules=icao,emirates&lang=en")
    assert '<option value="icao,emirates" selected>' in body
    result = html(web, "/check?rules=icao,emirates&brand=romoss&model=PAC20-272&lang=en")
    assert "Emirates" in result and "International rules" in result


def test_bad_values_are_explained_in_both_languages(web: Api) -> None:
    query = "produced=2025-13&count=0&capacity_mah=abc&brand=romoss"
    english = html(web, f"/check?{query}&lang=en", 422)
    box = problems(english)
    assert "Production date: write it as YYYY-MM or YYYY-MM-DD" in box
    assert "How many power banks: must be at least 1." in box
    assert "Capacity (mAh): must be a whole number." in box
    assert 'value="romoss"' in english  # what was typed is kept
    chinese = problems(html(web, f"/check?{query}&lang=zh", 422))
    assert "生产日期：请按" in chinese and "携带充电宝数量：不能小于 1。" in chinese
    assert "容量（毫安时 mAh）：必须是整数。" in chinese


@pytest.mark.parametrize("query", [
    "date=2025-02-30", "date=tomorrow", "rules=no-such-pack", "baggage=pocket",
    "ccc_mark=maybe", "voltage=-1", "energy_wh=1e9", "produced=2999-01",
    "brand=" + "x" * 600,
])
def test_odd_check_values_give_a_form_not_an_error(web: Api, query: str) -> None:
    body = html(web, f"/check?{query}&lang=en", 422)
    assert 'id="check-form"' in body
    problems(body)


def test_everything_shown_is_escaped(web: Api) -> None:
    attack = "<script>alert(1)</script>"
    for path in (f"/recalls?search={quote(attack)}", f"/?brand={quote(attack)}",
                 f"/check?brand={quote(attack)}&date=2025-07-01",
                 f"/impact?company={quote(attack)}", f"/companies/{quote(attack, safe='')}"):
        response = web.get(path, headers={"Accept": "text/html"})
        assert response.status_code < 500
        assert response.headers["content-type"].startswith("text/html")
        assert attack not in response.text
    assert "&lt;script&gt;" in web.get(f"/?brand={quote(attack)}").text


@pytest.mark.parametrize(("path", "words"), [
    ("/recalls/no-such-recall", "no recall &#39;no-such-recall&#39;"),
    ("/companies/nobody-at-all", "no company &#39;nobody-at-all&#39;"),
    ("/models/romoss/XYZ-1", "no model &#39;XYZ-1&#39;"),
    ("/certificates/0000", "no certificate &#39;0000&#39;"),
])
def test_unknown_records_get_a_page(web: Api, path: str, words: str) -> None:
    body = html(web, f"{path}?lang=en", 404)
    assert "<h1>Not found</h1>" in body and words in body
    chinese = html(web, f"{path}?lang=zh", 404)
    assert "<h1>未找到</h1>" in chinese and "登记库中没有该记录" in chinese


def test_lists_search_filter_and_page(web: Api) -> None:
    body = html(web, "/recalls?market=CN&lang=en")
    rows = re.findall(r"<td>(\w+) · (\w+)</td>", body)
    assert rows and all(market == "CN" for market, _ in rows)
    first = html(web, "/recalls?lang=en")
    total = int(re.search(r"1–20 of (\d+)", first).group(1))  # type: ignore[union-attr]
    assert total > 20 and 'rel="next"' in first
    second = html(web, "/recalls?page=2&lang=en")
    assert f"21–{total} of {total}" in second and 'rel="prev"' in second
    assert "Amprius" in html(web, "/companies?role=cell_maker&lang=en")
    suspended = html(web, "/certificates?status=suspended&date=2025-07-01&lang=en")
    assert suspended.count("badge st-suspended") == 4
    assert html(web, "/certificates?status=suspended&date=2025-01-01&lang=en").count(
        "badge st-suspended") == 0
    anker = html(web, "/models?brand=anker&lang=en")
    assert "A1263" in anker and "PAC20-272" not in anker
    assert "<h2>Please correct 1 value(s)" in html(web, "/recalls?page=0&lang=en", 422)


def test_detail_pages(web: Api) -> None:
    recall = html(web, "/recalls/cn-romoss-2025-06?lang=en")
    assert 'class="list scope"' in recall and "PLT20A-152" in recall
    assert "Made 2023-08 to 2024-01" in recall
    assert "Stored versions" in recall and "· test ·" in recall
    assert 'href="/companies/romoss"' in recall
    company = html(web, "/companies/APEX%20(Wuxi)?lang=en")
    assert "You asked for “APEX (Wuxi)”" in company
    assert 'href="/impact?company=amprius-wuxi"' in company
    model = html(web, "/models/romoss/PAC20-272?lang=en")
    assert "C14-P6" in model and 'href="/recalls/cn-romoss-2025-06"' in model
    certificate = html(web, "/certificates/amprius-wuxi-cells-ccc?date=2025-07-01&lang=en")
    assert "badge big st-suspended" in certificate and "svg" in certificate
    before = html(web, "/certificates/amprius-wuxi-cells-ccc?date=2025-05-01&lang=en")
    assert "badge big st-valid" in before


def test_impact_page(web: Api) -> None:
    empty = html(web, "/impact?lang=en")
    assert 'id="f-company"' in empty and "Supply graph" not in empty
    body = html(web, "/impact?company=APEX%20(Wuxi)&date=2025-07-01&lang=en")
    assert '<svg class="graph"' in body
    for layer in ("Cell maker", "Factories", "Cell lots", "Batches", "Models", "Brands"):
        assert f">{layer}</text>" in body
    assert 'class="list exposure"' in body and 'class="gap"' in body  # PB2030MI not recalled
    assert "146,891" in body
    lot = html(web, "/impact?cell_lot=amprius-wuxi-126280-v2&date=2025-07-01&lang=en")
    assert "PB2030MI" in lot and "PAC20-392" not in lot
    assert "no company" in html(web, "/impact?company=nobody&lang=en", 404)
    both = html(web, "/impact?company=amprius-wuxi&cell_lot=amprius-wuxi-126280-v2&lang=en", 422)
    assert "not both" in problems(both)
    assert "Date: write it as" in problems(html(web, "/impact?company=x&date=soon&lang=en", 422))


def test_dashboard(web: Api) -> None:
    body = html(web, "/dashboard?lang=en")
    assert body.count('<svg class="chart') >= 6
    assert "dated to the year only" in body
    assert "2025-06-10" in body  # the cell certificates' suspension
    table = body[body.index('id="effectiveness-table"'):]
    table = table[:table.index("</table>")]
    # SAMR's published figures, with their sources, for the three recalls it reported on
    for share in ("34.1 %", "78.7 %", "12.0 %"):
        assert share in table
    assert table.count('href="/recalls/') == 3 and "etnet.com.hk" in table
    assert "565,000 units recovered" in table
    chinese = html(web, "/dashboard?lang=zh")
    assert "已召回 565,000 件" in chinese and "主管机构公布" in chinese


@pytest.mark.parametrize(("header", "lang"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"), ("en-US,zh;q=0.5", "en"), ("zh-TW", "zh-Hans"),
    ("fr-FR,de;q=0.5", "en"), ("", "en"), ("en;q=0.1, zh;q=0.2", "zh-Hans"),
])
def test_the_browser_language_is_the_default(web: Api, header: str, lang: str) -> None:
    body = html(web, "/recalls", headers={"Accept-Language": header})
    assert f'<html lang="{lang}">' in body


def test_an_explicit_language_is_remembered(web: Api) -> None:
    response = web.get("/?lang=zh", headers={"Accept-Language": "en"})
    assert "cellwatch_lang=zh" in response.headers["set-cookie"]
    remembered = web.get("/recalls", headers={"Accept-Language": "en",
                                              "Cookie": "cellwatch_lang=zh"})
    assert '<html lang="zh-Hans">' in remembered.text
    assert "set-cookie" not in remembered.headers
    switch = re.search(r'href="([^"]+)"[^>]*id="language-switch"', response.text)
    assert switch and switch.group(1) == "/?lang=en"


def test_a_browser_asking_for_no_such_page_gets_a_page(web: Api) -> None:
    body = html(web, "/no/such/page?lang=zh", 404, headers={"Accept": "text/html"})
    assert "<h1>未找到</h1>" in body and "没有页面 /no/such/page" in body
    # the API and other clients keep the API's JSON errors
    assert web.get("/no/such/page").json()["error"]["code"] == "not_found"
    assert web.get("/v1/nothing", headers={"Accept": "text/html"}).json()["error"]
    assert web.post("/no/such/page", headers={"Accept": "text/html"}).status_code == 404


def test_the_api_and_its_docs_are_still_served(web: Api) -> None:
    assert web.get("/docs").status_code == 200
    assert web.get("/v1/ping").json() == {"pong": True}
    paths = web.get("/openapi.json").json()["paths"]
    assert all(path.startswith("/v1") for path in paths)
    missing = web.get("/v1/no-such-endpoint")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    suggestions = web.get("/v1/models?search=PAC20&limit=10").json()["results"]
    assert {"PAC20-272", "PAC20-392"} <= {item["model"] for item in suggestions}


def test_static_files(web: Api) -> None:
    css = web.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert web.get("/static/check.js").headers["content-type"].startswith("text/javascript")
    for name in ("nope.css", "..%2Fpages.py", "%2e%2e%2fapp.py", "style.css.bak"):
        assert web.get(f"/static/{name}").status_code == 404


FIELDS = ["brand", "model", "serial", "batch", "produced", "capacity_mah", "voltage",
          "energy_wh", "ccc_mark", "ccc_certificate", "rules", "date", "baggage", "count",
          "search", "page", "market", "role", "status", "holder", "kind", "company",
          "cell_lot", "what_if_suspended_from", "announced_from", "lang", "as_of", "since",
          "recall_id", "location", "receipt", "next"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/", "/check", "/recalls", "/companies", "/models", "/certificates",
                          "/impact", "/dashboard", "/certificates/amprius-wuxi-cells-ccc",
                          "/signals", "/claim", "/signin", "/checkpoint", "/incidents/new"]),
    query=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=40), max_size=6),
)
def test_odd_input_never_breaks_a_page(web: Api, path: str, query: dict[str, str]) -> None:
    response = web.get(path, params=query)
    assert response.status_code in (200, 404, 422), response.text[:300]
    assert response.headers["content-type"].startswith("text/html")


def test_a_database_that_is_down_gets_a_page() -> None:
    from cellwatch.api import create_app
    from tests.api.conftest import settings_for

    app = create_app(settings_for("postgresql+psycopg://nobody@127.0.0.1:9/none",
                                  database_timeout=2))
    with Api(app) as down:
        response = down.get("/recalls?lang=zh")
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        assert "登记库暂时无法访问" in response.text
