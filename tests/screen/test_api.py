"""POST /v1/screen: an upload becomes a background job in the database, on every backend;
a job left running by a stopped server is taken over or failed, never left running."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.store import screen_jobs
from cellwatch.store.db import Database
from cellwatch.store.tables import screen_jobs as jobs_table
from cellwatch.store.tokens import TokenRole, create_token
from tests.api.conftest import Api, bearer, make_api  # noqa: F401 (the fixture)
from tests.screen.inventory import read_rows, write_workbook

STOCK = (
    "品牌,型号,批次,序列号\n"
    "romoss,PAC20-272,C14-P6,\n"
    "anker,A1263,,\n"
    "romoss,PAC20-272,,\n"
    "nobody,X1,,\n"
    f"romoss,PAC20-272,{'x' * 101},\n"
).encode()


@pytest.fixture
def demo(database: Database) -> Database:
    load_bundle(database, demo_bundle(), "test")
    return database


@pytest.fixture
def open_api(make_api: Callable[..., Api]) -> Callable[..., Api]:  # noqa: F811
    """Build the API on a database, a running job taken over after a second without a
    heartbeat (:func:`~tests.api.conftest.make_api`: the test's own jobs folder, the
    screening worker stopped after the test)."""

    def build(database: Database, **overrides: Any) -> Api:
        return make_api(database, **({"screen_stale_seconds": 1.0} | overrides))

    return build


def token(database: Database, role: str = "brand", company: str | None = "romoss") -> str:
    with database.unit_of_work("test-admin") as uow:
        _, secret = create_token(uow, TokenRole(role), name=f"{role}-{company}", company=company)
    return secret


def submit(api: Api, secret: str, content: bytes = STOCK, name: str = "stock.csv",
           **form: Any) -> Any:
    return api.post("/v1/screen", headers=bearer(secret), files={"file": (name, content)},
                    data={"date": "2025-07-01", **form})


def wait(api: Api, secret: str, job_id: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"/v1/screen/{job_id}", headers=bearer(secret)).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_a_job_runs_and_its_files_can_be_fetched(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    api = open_api(demo)
    secret = token(demo)
    answer = submit(api, secret, output="csv")
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert answer.headers["Location"] == f"/v1/screen/{job['id']}"
    assert (job["status"], job["input"], job["date"]) == ("queued", "stock.csv", "2025-07-01")
    done = wait(api, secret, job["id"])
    assert done["status"] == "done", done
    assert done["summary"]["statuses"] == {
        "recalled": 1, "possibly_recalled": 2, "not_recalled": 0, "unknown_model": 1}
    assert done["summary"]["bad_rows"] == 1
    assert done["result"] == f"/v1/screen/{job['id']}/result"
    result = api.get(done["result"], headers=bearer(secret))
    assert result.status_code == 200 and result.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(result.text)))
    assert [r["recall_status"] for r in rows] == [
        "recalled", "possibly_recalled", "possibly_recalled", "unknown_model"]
    errors = list(csv.DictReader(io.StringIO(api.get(done["errors"], headers=bearer(secret)).text)))
    assert [(e["line"], e["column"]) for e in errors] == [("6", "批次")]
    assert done["summary"]["changes"] is None  # not screened again from an earlier job
    none = api.get(f"/v1/screen/{job['id']}/changes", headers=bearer(secret))
    assert (none.status_code, none.json()["error"]["code"]) == (409, "not_ready")
    assert "only a screen of an earlier screen's input" in none.json()["error"]["message"]


def test_parquet_output_and_map(demo: Database, open_api: Callable[..., Api]) -> None:
    api = open_api(demo)
    secret = token(demo, "regulator", None)
    content = b"Marke,Artikel\nanker,A1263\n"
    answer = submit(api, secret, content, "s.csv", output="parquet",
                    map=["Marke=brand", "Artikel=model"])
    assert answer.status_code == 202, answer.text
    done = wait(api, secret, answer.json()["id"])
    assert done["columns"] == {"Marke": "brand", "Artikel": "model"}
    result = api.get(done["result"], headers=bearer(secret))
    assert result.content[:4] == b"PAR1"


def _workbook() -> bytes:
    """A workbook whose inventory is on its second sheet."""
    content = io.BytesIO()
    write_workbook(content, {"说明": [["填写说明"]], "清单": [
        ["品牌", "型号", "批次"], ["romoss", "PAC20-272", "C14-P6"], ["anker", "A1263"]]})
    return content.getvalue()


def test_a_workbooks_sheet_is_chosen_by_name_or_number(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    api = open_api(demo)
    secret = token(demo, "screener", None)
    for sheet in ("清单", "2"):
        answer = submit(api, secret, _workbook(), "stock.xlsx", sheet=sheet)
        assert answer.status_code == 202, answer.text
        assert answer.json()["sheet"] == sheet
        done = wait(api, secret, answer.json()["id"])
        assert done["status"] == "done", done
        assert (done["summary"]["sheet"], done["summary"]["screened"]) == ("清单", 2)
        assert done["summary"]["statuses"]["recalled"] == 1
    unknown = submit(api, secret, _workbook(), "stock.xlsx", sheet="Sheet9")
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == (
        "stock.xlsx has no sheet 'Sheet9'; its sheets: '说明', '清单'")
    first = submit(api, secret, _workbook(), "stock.xlsx")  # its first sheet is notes
    assert first.status_code == 422
    assert first.json()["error"]["message"].endswith(
        "(read its sheet '说明'; it has '说明', '清单': choose one by name or number)")
    csv_sheet = submit(api, secret, STOCK, "stock.csv", sheet="1")
    assert csv_sheet.status_code == 422 and "only a workbook" in csv_sheet.text
    too_long = submit(api, secret, _workbook(), "stock.xlsx", sheet="x" * 101)
    assert too_long.status_code == 422
    assert len(list((tmp_path / "jobs").iterdir())) == 2  # the refused ones left nothing


def test_who_may_screen_and_see_a_job(demo: Database, open_api: Callable[..., Api]) -> None:
    api = open_api(demo)
    owner, other, admin = token(demo), token(demo, "checkpoint", None), token(demo, "admin", None)
    unauthenticated = api.post("/v1/screen", files={"file": ("s.csv", STOCK)})
    assert unauthenticated.status_code == 401
    job_id = submit(api, owner).json()["id"]
    missing = api.get(f"/v1/screen/{job_id}", headers=bearer(other))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert api.get(f"/v1/screen/{job_id}/result", headers=bearer(other)).status_code == 404
    assert wait(api, admin, job_id)["status"] == "done"
    assert api.get(f"/v1/screen/{job_id}", headers=bearer(owner)).status_code == 200
    screener = token(demo, "screener", None)  # a retailer's token: it may screen, not write
    job = wait(api, screener, submit(api, screener).json()["id"])
    assert job["status"] == "done" and job["summary"]["statuses"]["recalled"] == 1
    assert api.get(f"/v1/screen/{job_id}", headers=bearer(screener)).status_code == 404


def test_a_job_keeps_only_the_rows_of_some_codes(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    api = open_api(demo)
    secret = token(demo)
    answer = submit(api, secret, output="csv", only=["possibly_recalled", "Recalled"])
    assert answer.status_code == 202, answer.text
    assert answer.json()["only"] == ["recalled", "possibly_recalled"]
    done = wait(api, secret, answer.json()["id"])
    assert done["summary"]["statuses"] == {  # every row counted, as without only
        "recalled": 1, "possibly_recalled": 2, "not_recalled": 0, "unknown_model": 1}
    assert (done["summary"]["only"], done["summary"]["output_rows"]) == (
        ["recalled", "possibly_recalled"], 3)
    rows = list(csv.DictReader(io.StringIO(
        api.get(done["result"], headers=bearer(secret)).text)))
    assert [(r["型号"], r["recall_status"]) for r in rows] == [
        ("PAC20-272", "recalled"), ("A1263", "possibly_recalled"),
        ("PAC20-272", "possibly_recalled")]
    every = wait(api, secret, submit(api, secret).json()["id"])
    assert (every["only"], every["summary"]["output_rows"]) == ([], 4)

    refused = submit(api, secret, only=["recalled,stolen"])
    assert refused.status_code == 422
    assert "--only: unknown code(s) 'stolen'" in refused.json()["error"]["message"]
    with demo.connect() as connection:
        assert connection.execute(
            sa.select(sa.func.count()).select_from(jobs_table)).scalar() == 2
    assert len(list((tmp_path / "jobs").iterdir())) == 2


def test_a_job_is_screened_again_from_its_stored_input(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    """Again: the same input and settings, the registry as it is now, a new job of the
    caller's; the earlier job stays, and deleting it leaves the new one its input."""
    api = open_api(demo)
    owner, other, admin = token(demo), token(demo, "screener", None), token(demo, "admin", None)
    content = "Marke,Artikel,批次\nromoss,PAC20-272,C14-P6\nanker,A1263,\nnobody,X1,\n"
    first = submit(api, owner, content.encode(), "库存.csv", output="parquet",
                   map=["Marke=brand", "Artikel=model"], only="recalled,unknown_model")
    earlier = wait(api, owner, first.json()["id"])
    assert earlier["summary"]["output_rows"] == 2

    answer = api.post(f"/v1/screen/{earlier['id']}/again", headers=bearer(owner),
                      json={"date": "2025-07-01"})
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert answer.headers["Location"] == f"/v1/screen/{job['id']}" and job["id"] != earlier["id"]
    assert {k: job[k] for k in ("input", "input_bytes", "date", "columns", "output_format",
                                "only", "status")} == {
        "input": "库存.csv", "input_bytes": len(content.encode()), "date": "2025-07-01",
        "columns": {"Marke": "brand", "Artikel": "model"}, "output_format": "parquet",
        "only": ["recalled", "unknown_model"], "status": "queued"}
    # the earlier job is deleted before the new one runs: the new one has its own input
    assert api.delete(f"/v1/screen/{earlier['id']}", headers=bearer(owner)).status_code == 204
    done = wait(api, owner, job["id"])
    assert done["status"] == "done", done
    assert (done["summary"]["statuses"], done["summary"]["output_rows"]) == (
        earlier["summary"]["statuses"], 2)
    # nothing changed since the earlier result (the same date): an empty changes file
    assert done["summary"]["changes"] == {
        "since": {"job": earlier["id"], "date": "2025-07-01",
                  "finished_at": earlier["finished_at"].replace("Z", "+00:00")},
        "rows": 0, "changed": 0, "new": 0, "gone": 0, "newly_recalled": 0,
        "file": f"/v1/screen/{job['id']}/changes"}
    unchanged = api.get(done["summary"]["changes"]["file"], headers=bearer(owner))
    assert unchanged.status_code == 200 and unchanged.text.count("\n") == 1  # the header
    today = api.post(f"/v1/screen/{job['id']}/again", headers=bearer(owner))
    assert today.status_code == 202 and today.json()["date"] == dt.date.today().isoformat()
    now = wait(api, owner, today.json()["id"])
    # as of today: the rows that entered or left the result since, or whose answers changed
    lines = {}
    for name, finished in (("before", done), ("now", now)):
        (tmp_path / f"{name}.parquet").write_bytes(
            api.get(finished["result"], headers=bearer(owner)).content)
        lines[name] = {r["input_line"]: r["recall_status"]
                       for r in read_rows(tmp_path / f"{name}.parquet")}
    changes = list(csv.DictReader(io.StringIO(
        api.get(now["summary"]["changes"]["file"], headers=bearer(owner)).text)))
    assert {int(r["input_line"]) for r in changes if r["change"] == "new"} == (
        lines["now"].keys() - lines["before"].keys())
    assert {int(r["input_line"]) for r in changes if r["change"] == "gone"} == (
        lines["before"].keys() - lines["now"].keys())
    assert now["summary"]["changes"]["rows"] == len(changes) > 0
    assert now["summary"]["changes"]["since"]["job"] == job["id"]
    no_changes = api.get(f"/v1/screen/{earlier['id']}/changes", headers=bearer(admin))
    assert no_changes.status_code == 404  # deleted
    first_job = api.get(f"/v1/screen/{job['id']}", headers=bearer(owner)).json()
    assert first_job["summary"]["changes"]["rows"] == 0

    missing = api.post(f"/v1/screen/{job['id']}/again", headers=bearer(other))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    by_admin = api.post(f"/v1/screen/{job['id']}/again", headers=bearer(admin))
    assert by_admin.status_code == 202
    newest = api.get("/v1/screen", headers=bearer(admin)).json()["results"][0]
    assert (newest["id"], newest["input"]) == (by_admin.json()["id"], "库存.csv")
    wait(api, admin, by_admin.json()["id"])
    for body in ({"date": "July"}, {"date": "2025-07-01", "sheet": "2"}):
        refused = api.post(f"/v1/screen/{job['id']}/again", headers=bearer(owner), json=body)
        assert refused.status_code == 422, body

    for stored in (tmp_path / "jobs" / job["id"]).glob("input.*"):
        stored.unlink()
    gone = api.post(f"/v1/screen/{job['id']}/again", headers=bearer(owner))
    assert (gone.status_code, gone.json()["error"]["code"]) == (409, "not_ready")
    assert "its input is no longer kept on the server" in gone.json()["error"]["message"]
    with demo.connect() as connection:
        assert connection.execute(
            sa.select(sa.func.count()).select_from(jobs_table)).scalar() == 3


def test_a_token_lists_its_own_jobs_newest_first(
    demo: Database, open_api: Callable[..., Api]
) -> None:
    api = open_api(demo)
    owner, other, admin = token(demo), token(demo, "screener", None), token(demo, "admin", None)
    mine = [submit(api, owner, name=f"shelf-{n}.csv").json()["id"] for n in range(3)]
    theirs = submit(api, other).json()["id"]
    for job_id in mine:
        wait(api, owner, job_id)
    failed = submit(api, owner, b"brand,model\n", "late.csv")  # a header but no rows
    assert wait(api, owner, failed.json()["id"])["status"] == "failed"

    listed = api.get("/v1/screen", headers=bearer(owner)).json()
    assert listed["meta"] == {"total": 4, "limit": 20, "skip": 0}
    assert [job["id"] for job in listed["results"]] == [failed.json()["id"], *reversed(mine)]
    assert listed["results"][1]["input"] == "shelf-2.csv"
    assert listed["results"][1]["result"] == f"/v1/screen/{mine[2]}/result"

    page = api.get("/v1/screen", params={"limit": 2, "skip": 1}, headers=bearer(owner)).json()
    assert [job["id"] for job in page["results"]] == [mine[2], mine[1]]
    assert page["meta"] == {"total": 4, "limit": 2, "skip": 1}
    done = api.get("/v1/screen", params={"status": "done"}, headers=bearer(owner)).json()
    assert done["meta"]["total"] == 3
    assert {job["status"] for job in done["results"]} == {"done"}
    only_failed = api.get("/v1/screen", params={"status": "failed"}, headers=bearer(owner))
    assert [job["input"] for job in only_failed.json()["results"]] == ["late.csv"]

    assert [job["id"] for job in api.get("/v1/screen", headers=bearer(other)).json()[
        "results"]] == [theirs]
    everyone = api.get("/v1/screen", headers=bearer(admin)).json()
    assert everyone["meta"]["total"] == 5
    assert api.get("/v1/screen").status_code == 401
    for bad in ({"limit": 1001}, {"skip": -1}, {"status": "lost"}):
        answer = api.get("/v1/screen", params=bad, headers=bearer(owner))
        assert answer.status_code == 422, bad


@pytest.mark.parametrize(
    ("name", "content", "form", "message"),
    [
        ("s.csv", b"colour,size\nred,1\n", {}, "no column for model"),
        ("s.pdf", b"%PDF-1.4", {}, "unknown kind of file '.pdf'"),
        ("s.csv", b"", {}, "s.csv is empty"),
        ("s.csv", STOCK, {"map": ["Typ=model"]}, "--map names column(s) the input does not have"),
        ("s.parquet", b"nope", {}, "cannot read"),
    ],
)
def test_bad_uploads_are_refused_at_once_and_leave_nothing(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,
    name: str, content: bytes, form: dict[str, Any], message: str,
) -> None:
    api = open_api(demo)
    answer = submit(api, token(demo), content, name, **form)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "invalid_input"
    assert message in answer.json()["error"]["message"]
    assert list((tmp_path / "jobs").glob("*")) == []
    with demo.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(jobs_table)).scalar() == 0


def test_an_upload_over_the_limit_is_413(demo: Database, open_api: Callable[..., Api],
                                         tmp_path: Path) -> None:
    api = open_api(demo, max_screen_upload_bytes=100)
    answer = submit(api, token(demo), STOCK + b"anker,A1263,,\n" * 10)
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "too_large")
    assert list((tmp_path / "jobs").glob("*")) == []


def test_a_job_that_cannot_run_fails_with_its_reason(
    demo: Database, open_api: Callable[..., Api]
) -> None:
    api = open_api(demo)
    secret = token(demo)
    job_id = submit(api, secret, b"brand,model\n").json()["id"]
    done = wait(api, secret, job_id)
    assert (done["status"], done["error"]) == ("failed", "stock.csv has a header but no rows")
    refused = api.get(f"/v1/screen/{job_id}/result", headers=bearer(secret))
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_ready")
    assert "has a header but no rows" in refused.json()["error"]["message"]


def _left_running(database: Database, jobs_dir: Path, job_id: str, token_id: int,
                  attempts: int, with_input: bool) -> None:
    """A job as a server killed mid-screen leaves it: running, its heartbeat old."""
    folder = jobs_dir / job_id
    folder.mkdir(parents=True)
    if with_input:
        (folder / "input.csv").write_bytes(STOCK)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with database.unit_of_work("test") as uow:
        screen_jobs.create(
            uow.connection, job_id, token_id=token_id, actor="test", input_name="stock.csv",
            input_bytes=len(STOCK), screen_date=dt.date(2025, 7, 1), mapping={},
            output_format="csv",
        )
        uow.connection.execute(jobs_table.update().where(jobs_table.c.id == job_id).values(
            status="running", worker="dead:1:x", attempts=attempts, started_at=old,
            heartbeat_at=old, stage="judge", progress=0.5,
        ))


def test_after_a_restart_a_running_job_is_resumed_or_failed(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    secret = token(demo)
    with demo.connect() as connection:
        token_id = connection.execute(sa.text("SELECT max(id) FROM api_tokens")).scalar()
    jobs = tmp_path / "jobs"
    _left_running(demo, jobs, "a" * 32, token_id, attempts=1, with_input=True)
    _left_running(demo, jobs, "b" * 32, token_id, attempts=1, with_input=False)
    _left_running(demo, jobs, "c" * 32, token_id, attempts=3, with_input=True)
    api = open_api(demo)  # the restarted server
    resumed = wait(api, secret, "a" * 32)
    assert (resumed["status"], resumed["attempts"]) == ("done", 2)
    assert resumed["summary"]["statuses"]["recalled"] == 1
    lost = wait(api, secret, "b" * 32)
    assert lost["status"] == "failed" and "stored input is gone" in lost["error"]
    again = wait(api, secret, "c" * 32)
    assert again["status"] == "failed" and "interrupted 3 times" in again["error"]
    shutil.rmtree(jobs)


def test_a_running_job_with_a_live_heartbeat_is_left_alone(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    secret = token(demo)
    with demo.connect() as connection:
        token_id = connection.execute(sa.text("SELECT max(id) FROM api_tokens")).scalar()
    _left_running(demo, tmp_path / "jobs", "d" * 32, token_id, attempts=1, with_input=True)
    with demo.unit_of_work("test") as uow:  # another worker is alive and running it
        screen_jobs.report(uow.connection, "d" * 32, "dead:1:x", "judge", 0.5)
    api = open_api(demo, screen_stale_seconds=600)
    job = api.get(f"/v1/screen/{'d' * 32}", headers=bearer(secret)).json()
    time.sleep(0.5)
    job = api.get(f"/v1/screen/{'d' * 32}", headers=bearer(secret)).json()
    assert (job["status"], job["attempts"], job["stage"]) == ("running", 1, "judge")


def test_a_zip_bomb_is_refused_at_upload(demo: Database, open_api: Callable[..., Api]) -> None:
    api = open_api(demo)
    secret = token(demo)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 70_000_000)
    answer = submit(api, secret, bomb.getvalue(), "bomb.xlsx")
    assert answer.status_code == 422, answer.text
    assert "bomb.xlsx unzips to 70,000,000 bytes" in answer.json()["error"]["message"]


def test_a_parquet_file_declaring_too_many_rows_is_refused_at_upload(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    """A few kilobytes of Parquet can declare millions of repeated rows: the rows its
    footer declares are bounded (``max_screen_rows``) before any is read."""
    import duckdb

    repeated = tmp_path / "repeated.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT 'anker' AS brand, 'A1263' AS model FROM range(200000)) TO '{repeated}'"
    )
    assert repeated.stat().st_size < 20_000
    secret = token(demo)
    api = open_api(demo, max_screen_rows=100_000)
    answer = submit(api, secret, repeated.read_bytes(), "repeated.parquet")
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "too_large"), answer.text
    assert answer.json()["error"]["message"] == (
        "repeated.parquet holds 200,000 rows, more than the limit of 100,000 rows")
    assert not any((tmp_path / "jobs").iterdir())
    with demo.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(jobs_table)).scalar() == 0
    allowed = open_api(demo, max_screen_rows=200_000)
    accepted = submit(allowed, secret, repeated.read_bytes(), "repeated.parquet")
    assert accepted.status_code == 202, accepted.text


def test_a_job_and_its_files_are_deleted_by_its_owner_or_an_admin(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    api = open_api(demo)
    owner, other, admin = token(demo), token(demo, "checkpoint", None), token(demo, "admin", None)
    first, second = (submit(api, owner).json()["id"] for _ in range(2))
    for job_id in (first, second):
        assert wait(api, owner, job_id)["status"] == "done"
    assert (tmp_path / "jobs" / first / "result.csv").is_file()
    refused = api.delete(f"/v1/screen/{first}", headers=bearer(other))
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    assert api.delete(f"/v1/screen/{first}").status_code == 401
    assert api.delete(f"/v1/screen/{first}", headers=bearer(owner)).status_code == 204
    assert api.get(f"/v1/screen/{first}", headers=bearer(owner)).status_code == 404
    assert api.get(f"/v1/screen/{first}/result", headers=bearer(owner)).status_code == 404
    assert not (tmp_path / "jobs" / first).exists()
    assert api.delete(f"/v1/screen/{first}", headers=bearer(owner)).status_code == 404
    assert api.delete(f"/v1/screen/{second}", headers=bearer(admin)).status_code == 204
    assert not any((tmp_path / "jobs").iterdir())
    with demo.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(jobs_table)).scalar() == 0


def test_a_running_job_deleted_by_its_owner_stops_and_leaves_no_files(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker finds the job gone at its next stage, stops the screen and removes the
    folder; then it goes on with the next job."""
    from cellwatch.api import screening

    api = open_api(demo)
    secret = token(demo)
    real, stages = screening.screen, []

    def deleted_while_it_runs(path: Path, *args: Any) -> Any:
        registry, options, progress = args

        def watched(stage: str, step: int, steps: int) -> None:
            stages.append(stage)
            if stage == "judge" and len(stages) < 10:  # the first job's owner deletes it
                gone = api.delete(f"/v1/screen/{path.parent.name}", headers=bearer(secret))
                assert gone.status_code == 204
            progress(stage, step, steps)

        return real(path, registry, options, watched)

    monkeypatch.setattr(screening, "screen", deleted_while_it_runs)
    job_id = submit(api, secret).json()["id"]
    deadline = time.monotonic() + 30
    while (tmp_path / "jobs" / job_id).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (tmp_path / "jobs" / job_id).exists()
    assert "write" not in stages and stages[-1] == "judge"
    assert api.get(f"/v1/screen/{job_id}", headers=bearer(secret)).status_code == 404
    stages.extend(["-"] * 10)  # the next job is left alone, and runs
    assert wait(api, secret, submit(api, secret).json()["id"])["status"] == "done"


def test_finished_jobs_and_stray_folders_are_deleted_after_the_keeping_time(
    demo: Database, open_api: Callable[..., Api], tmp_path: Path
) -> None:
    api = open_api(demo, screen_keep_days=30)
    secret = token(demo)
    old, recent = (submit(api, secret).json()["id"] for _ in range(2))
    for job_id in (old, recent):
        assert wait(api, secret, job_id)["status"] in ("done", "failed")
    with demo.unit_of_work("test") as uow:
        uow.connection.execute(jobs_table.update().where(jobs_table.c.id == old).values(
            finished_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31)))
    jobs = tmp_path / "jobs"
    stray, fresh = jobs / ("e" * 32), jobs / ("f" * 32)  # folders of no job
    for folder in (stray, fresh):
        folder.mkdir()
        (folder / "input.csv").write_bytes(STOCK)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stray, (two_days_ago, two_days_ago))
    worker = api.app.state.screen_worker
    worker._sweep(every=0)
    assert sorted(p.name for p in jobs.iterdir()) == sorted([recent, fresh.name])
    assert api.get(f"/v1/screen/{old}", headers=bearer(secret)).status_code == 404
    assert api.get(f"/v1/screen/{recent}", headers=bearer(secret)).status_code == 200
    worker._sweep()  # at most once an hour
    assert (jobs / fresh.name).exists()
