"""The screening page (``/screen``) through the ASGI app, on SQLite and PostgreSQL, on the
demo registry: sign-in, the upload form, a job's page while it runs and once done, the
files, who may see a job, and every refusal, in both languages, keeping nothing."""

from __future__ import annotations

import csv
import datetime as dt
import html as markup
import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import sqlalchemy as sa

from cellwatch.screen.selection import CODES
from cellwatch.store import screen_jobs as store
from cellwatch.store import tokens
from cellwatch.store.db import Database
from cellwatch.store.tables import screen_jobs
from cellwatch.store.tokens import TokenRole
from tests.api.conftest import Api
from tests.screen.test_api import STOCK, open_api, token  # noqa: F401 (the fixture)
from tests.web.test_field_pages import cookie
from tests.web.test_pages import html, problems


def upload(web: Api, secret: str, content: bytes = STOCK, name: str = "stock.csv",
           lang: str = "en", **fields: str) -> object:
    return web.post(f"/screen?lang={lang}", headers=cookie(secret),
                    files={"file": (name, content)},
                    data={"date": "2025-07-01", "output": "csv", "map": ""} | fields)


def finished(web: Api, secret: str, path: str, seconds: float = 60) -> str:
    """The job's page once it is done or failed (it refreshes itself until then)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = html(web, path, headers=cookie(secret))
        if 'data-status="done"' in body or 'data-status="failed"' in body:
            return body
        assert 'aria-live="polite" data-refresh="2"' in body and "/static/screen." in body
        time.sleep(0.1)
    raise AssertionError(f"{path} did not finish")


def _jobs(database: Database) -> int:
    with database.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(screen_jobs))
                   .scalar_one())


def test_a_signed_out_visitor_is_asked_to_sign_in(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    web = open_api(demo)
    page = html(web, "/screen?lang=en")
    assert 'action="/signin"' in page and 'name="next" value="/screen"' in page
    assert 'href="/screen"' in page  # in the navigation
    assert 'action="/signin"' in html(web, "/screen", headers=cookie("cw_not-a-token"))


def test_a_retailer_or_a_brand_screens_in_the_browser(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    web = open_api(demo)
    for role, company in (("screener", None), ("brand", "anker")):
        secret = token(demo, role, company)
        form = html(web, "/screen?lang=zh", headers=cookie(secret))
        assert 'enctype="multipart/form-data"' in form
        assert f"（{ {'screener': '筛查', 'brand': '品牌'}[role] }）" in form  # signed in as
        sent = upload(web, secret)
        assert sent.status_code == 303, sent.text  # type: ignore[attr-defined]
        body = finished(web, secret, sent.headers["location"] + "?lang=en")  # type: ignore[attr-defined]
        assert 'data-status="done"' in body and "4 of 5 rows screened" in body


def test_screen_a_list_and_fetch_its_files(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,  # noqa: F811
) -> None:
    web = open_api(demo)
    secret = token(demo, "checkpoint", None)
    form = html(web, "/screen?lang=en", headers=cookie(secret))
    assert 'enctype="multipart/form-data"' in form and "No screens yet." in form
    sent = upload(web, secret)
    assert sent.status_code == 303, sent.text  # type: ignore[attr-defined]
    path = sent.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/screen/[0-9a-f]{32}", path)
    body = finished(web, secret, path + "?lang=en")
    assert 'data-status="done"' in body and "/static/screen." not in body
    statuses = re.search(r'<table class="list" id="statuses">.*?</table>', body, re.S)
    assert statuses is not None
    for words, code, count in (("recalled", "recalled", "1"),
                               ("possibly recalled", "possibly_recalled", "2"),
                               ("model not in the registry", "unknown_model", "1")):
        assert re.search(rf"{words} <code>{code}</code></td><td class=\"num\">{count}<",
                         statuses.group(0)), words
    assert "4 of 5 rows screened as of 2025-07-01." in body
    assert "Rows that could not be screened (1)" in body
    chinese = html(web, path + "?lang=zh", headers=cookie(secret))
    assert "可能在召回范围内 <code>possibly_recalled</code>" in chinese
    assert "共 5 行，已筛查 4 行，截至 2025-07-01。" in chinese and "下载筛查结果（CSV）" in chinese
    result = web.get(path + "/result", headers=cookie(secret))
    assert result.status_code == 200 and result.headers["content-type"].startswith("text/csv")
    assert 'filename="stock.screened.csv"' in result.headers["content-disposition"]
    assert result.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(result.text)))
    assert [r["recall_status"] for r in rows] == [
        "recalled", "possibly_recalled", "possibly_recalled", "unknown_model"]
    errors = list(csv.DictReader(io.StringIO(
        web.get(path + "/errors", headers=cookie(secret)).text)))
    assert [(e["line"], e["column"]) for e in errors] == [("6", "批次")]
    listed = html(web, "/screen?lang=en", headers=cookie(secret))
    assert f'<a href="{path}">stock.csv</a>' in listed and "done" in listed


def test_a_workbooks_sheet_is_chosen_on_the_form_and_named_on_the_job(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    from tests.screen.test_api import _workbook

    web = open_api(demo)
    secret = token(demo, "screener", None)
    form = html(web, "/screen?lang=zh", headers=cookie(secret))
    assert 'name="sheet"' in form and "工作表" in form and ".xls," in form
    sent = upload(web, secret, _workbook(), "stock.xlsx", lang="zh", sheet="清单")
    assert sent.status_code == 303, sent.text  # type: ignore[attr-defined]
    body = finished(web, secret, sent.headers["location"] + "?lang=zh")  # type: ignore[attr-defined]
    assert 'data-status="done"' in body
    assert re.search(r"<dt>工作表</dt><dd id=\"job-sheet\">清单</dd>", body)
    wrong = upload(web, secret, _workbook(), "stock.xlsx", lang="en", sheet="库存")
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert "stock.xlsx has no sheet '库存'; its sheets: '说明', '清单'" in markup.unescape(
        problems(wrong.text))  # type: ignore[attr-defined]


def test_rows_to_keep_are_ticked_on_the_form_and_named_on_the_job(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    web = open_api(demo)
    secret = token(demo, "screener", None)
    form = html(web, "/screen?lang=zh", headers=cookie(secret))
    assert "<summary>结果文件只保留这些行</summary>" in form
    assert all(f'name="only" value="{code}"> <span>' in form for code in CODES)
    assert "可能在召回范围内 <code>possibly_recalled</code></span>" in form
    assert "电芯供应商的3C证书已暂停或撤销 <code>cell_supplier_certificate_invalid</code>" in form
    sent = upload(web, secret, lang="en", only=["possibly_recalled", "recalled"])  # type: ignore[arg-type]
    assert sent.status_code == 303, sent.text  # type: ignore[attr-defined]
    job = sent.headers["location"]  # type: ignore[attr-defined]
    body = finished(web, secret, job + "?lang=en")
    assert ('<dd id="job-only">recalled <code>recalled</code> · possibly recalled '
            '<code>possibly_recalled</code></dd>') in body
    assert "Download the rows kept (3, CSV)" in body and "4 of 5 rows screened" in body
    assert "下载保留的行（3 行，CSV）" in html(web, job + "?lang=zh", headers=cookie(secret))
    result = web.get(job + "/result", headers=cookie(secret))
    assert [r["recall_status"] for r in csv.DictReader(io.StringIO(result.text))] == [
        "recalled", "possibly_recalled", "possibly_recalled"]

    wrong = upload(web, secret, lang="zh", only=["recalled", "stolen"])  # type: ignore[arg-type]
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert "无法按这些项筛选：--only: unknown code(s) 'stolen'" in markup.unescape(
        problems(wrong.text))  # type: ignore[attr-defined]
    assert 'name="only" value="recalled" checked>' in wrong.text  # type: ignore[attr-defined]
    assert _jobs(demo) == 1


def test_a_finished_job_is_screened_again_from_its_page(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,  # noqa: F811
) -> None:
    web = open_api(demo)
    secret = token(demo, "screener", None)
    sent = upload(web, secret, lang="zh", only=["recalled"])  # type: ignore[arg-type]
    first = sent.headers["location"]  # type: ignore[attr-defined]
    body = finished(web, secret, first + "?lang=zh")
    assert "下载保留的行（1 行，CSV）" in body
    assert f'action="{first}/again"' in body and "按今天的登记库重新筛查此清单" in body
    again = web.post(first + "/again", headers=cookie(secret))
    assert again.status_code == 303
    second = again.headers["location"]
    assert second != first and re.fullmatch(r"/screen/[0-9a-f]{32}", second)
    body = finished(web, secret, second + "?lang=en")
    assert f"<dd>{dt.date.today().isoformat()}</dd>" in body  # as of today
    # STOCK's recalled rows as of today, recalls announced since 2025-07-01 counted in
    kept = re.search(r"Download the rows kept \((\d+), CSV\)", body)
    assert kept and int(kept.group(1)) >= 1
    assert "Screen this list again as of today" in body
    assert '<h3 id="changes-h">Since the screen as of 2025-07-01</h3>' in body
    counted = re.search(r"(\d+) row\(s\) changed: (\d+) newly recalled", body)
    assert counted and int(counted.group(2)) == int(kept.group(1)) - 1
    assert f'<a href="{first}">The earlier screen</a>' in body
    changes = web.get(second + "/changes", headers=cookie(secret))
    assert changes.status_code == 200
    assert changes.headers["content-disposition"].endswith('stock.changes.csv"')
    assert len(list(csv.DictReader(io.StringIO(changes.text)))) == int(counted.group(1))
    assert "与截至 2025-07-01 的筛查相比" in html(web, second + "?lang=zh", headers=cookie(secret))
    assert web.get(first + "/changes", headers=cookie(secret)).status_code == 409
    assert web.post(first + "/delete", headers=cookie(secret)).status_code == 303
    body = html(web, second + "?lang=en", headers=cookie(secret))
    assert f'href="{first}"' not in body  # no link to a page that is gone
    assert '<span id="earlier-deleted">The earlier screen has been deleted since.</span>' in body
    assert "上一次筛查此后已被删除。" in html(web, second + "?lang=zh", headers=cookie(secret))
    assert web.get(second + "/changes", headers=cookie(secret)).status_code == 200  # kept
    assert web.post(first + "/again", headers=cookie(token(demo, "screener", None))
                    ).status_code == 404  # another token's job
    for stored in (tmp_path / "jobs" / second.rsplit("/", 1)[1]).glob("input.*"):
        stored.unlink()
    gone = web.post(second + "/again?lang=en", headers=cookie(secret))
    assert gone.status_code == 409
    assert "its input is no longer kept on the server" in markup.unescape(gone.text)
    assert _jobs(demo) == 1


def test_a_job_is_seen_only_by_its_token_and_admins(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    web = open_api(demo)
    owner, other = token(demo, "checkpoint", None), token(demo, "regulator", None)
    admin = token(demo, "admin", None)
    path = upload(web, owner).headers["location"]  # type: ignore[attr-defined]
    finished(web, owner, path)
    for secret in (other,):
        assert web.get(path, headers=cookie(secret)).status_code == 404
        assert web.get(path + "/result", headers=cookie(secret)).status_code == 404
        assert path not in html(web, "/screen", headers=cookie(secret))
    assert web.get(path + "/result", headers=cookie(admin)).status_code == 200
    assert path in html(web, "/screen", headers=cookie(admin))
    assert 'action="/signin"' in html(web, path)  # signed out
    assert web.get(path + "/result").headers["content-type"].startswith("text/html")


def test_a_job_is_deleted_from_its_page(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,  # noqa: F811
) -> None:
    web = open_api(demo, screen_keep_days=7)
    owner, other = token(demo, "checkpoint", None), token(demo, "regulator", None)
    path = upload(web, owner).headers["location"]  # type: ignore[attr-defined]
    body = finished(web, owner, path + "?lang=en")
    assert f'action="{path}/delete"' in body and "Delete this screen and its files" in body
    assert "kept on the server for 7 days after the screen ends" in body
    assert "在筛查结束后于服务器保存 7 天" in html(web, path + "?lang=zh", headers=cookie(owner))
    assert web.post(path + "/delete", headers=cookie(other)).status_code == 404
    cross_site = web.post(path + "/delete", headers=cookie(owner) | {
        "Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    deleted = web.post(path + "/delete?lang=zh", headers=cookie(owner))
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/screen?deleted=1")
    note = html(web, "/screen?deleted=1&lang=zh", headers=cookie(owner))
    assert "该筛查及其文件已从服务器删除。" in note and path not in note
    assert web.get(path, headers=cookie(owner)).status_code == 404
    assert not (tmp_path / "jobs" / path.rsplit("/", 1)[1]).exists()
    assert _jobs(demo) == 0


def test_a_failed_job_says_why(
    demo: Database, open_api: Callable[..., Api],  # noqa: F811
) -> None:
    web = open_api(demo)
    secret = token(demo, "regulator", None)
    with demo.connect() as connection:
        (owner,) = [t for t in tokens.list_tokens(connection) if t.role is TokenRole.REGULATOR]
    with demo.unit_of_work("test") as uow:
        store.create(uow.connection, "f" * 32, token_id=owner.id, actor=owner.actor,
                     input_name="stock.csv", input_bytes=10, screen_date=dt.date(2025, 7, 1),
                     mapping={}, output_format="csv")
        store.fail(uow.connection, "f" * 32, "the job's input is gone from the server")
    body = html(web, f"/screen/{'f' * 32}?lang=zh", headers=cookie(secret))
    assert 'data-status="failed"' in body and "筛查失败。原因：" in body
    assert "the job&#39;s input is gone from the server" in body
    assert "/static/screen.js" not in body
    assert web.get(f"/screen/{'f' * 32}/result", headers=cookie(secret)).status_code == 409


def test_refusals_are_explained_and_keep_nothing(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,  # noqa: F811
) -> None:
    web = open_api(demo, max_screen_upload_bytes=200)
    secret = token(demo, "checkpoint", None)
    cases = [
        ({"name": "s.csv", "content": b"colour,size\nred,1\n"}, "en", 422,
         "The file cannot be screened: no column for model"),
        ({"name": "s.pdf", "content": b"%PDF-1.4"}, "en", 422, "unknown kind of file '.pdf'"),
        ({"name": "s.csv", "content": b""}, "zh", 422, "该文件无法筛查：s.csv is empty"),
        ({"map": "nonsense"}, "en", 422, "The column mapping cannot be used: --map 'nonsense'"),
        ({"map": "品牌=colour"}, "zh", 422, "列对应无法使用"),
        ({"date": "July"}, "zh", 422, "日期格式为 YYYY-MM-DD"),
        ({"output": "xlsx"}, "en", 422, "Choose CSV or Parquet."),
        ({"sheet": "x" * 101}, "zh", 422, "工作表名称最多 100 个字符"),
        ({"sheet": "1", "name": "s.csv", "content": b"brand,model\nanker,A1263\n"}, "en", 422, "s.csv: only a workbook (.xlsx, .xlsm, .xls, .ods) has"),
        ({"content": STOCK * 2}, "en", 413, "The file is larger than 0.000190735 MB"),
    ]
    for fields, lang, status, message in cases:
        sent = upload(web, secret, lang=lang, **{  # type: ignore[arg-type]
            k: v for k, v in fields.items() if k not in ("name", "content")},
            content=fields.get("content", STOCK),  # type: ignore[arg-type]
            name=fields.get("name", "stock.csv"))  # type: ignore[arg-type]
        assert sent.status_code == status, (fields, sent.text[:300])  # type: ignore[attr-defined]
        box = markup.unescape(problems(sent.text))  # type: ignore[attr-defined]
        assert message in box, (fields, box)
    none = web.post("/screen?lang=en", headers=cookie(secret), data={"output": "csv"})
    assert none.status_code == 422 and "Choose the file to screen." in problems(none.text)
    repeated = tmp_path / "repeated.parquet"  # small, but declaring 5,000 rows
    duckdb.connect().execute(f"COPY (SELECT 'anker' AS brand, 'A1263' AS model "
                             f"FROM range(5000)) TO '{repeated}'")
    few_rows = open_api(demo, max_screen_rows=1000)
    for lang, message in (("en", "The file holds 5,000 rows, more than the 1,000 a screen"),
                          ("zh", "文件有 5,000 行，超过此处一次筛查的上限 1,000 行")):
        sent = upload(few_rows, secret, lang=lang, content=repeated.read_bytes(),
                      name="repeated.parquet")
        assert sent.status_code == 413, sent.text[:300]  # type: ignore[attr-defined]
        assert message in markup.unescape(problems(sent.text))  # type: ignore[attr-defined]
    huge = upload(web, secret, content=b"x" * 2_000_000)  # refused before it is read
    assert huge.status_code == 413  # type: ignore[attr-defined]
    assert huge.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert _jobs(demo) == 0
    folder = tmp_path / "jobs"
    assert not folder.exists() or not any(folder.iterdir())
