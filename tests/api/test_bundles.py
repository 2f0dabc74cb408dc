"""``POST /v1/bundles``: archives validated like ``cellwatch load``; unpacked safely."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cellwatch.store.db import Database
from tests.api.conftest import Api, TokenMaker, bearer

PRODUCTS = (
    "brand,model,kind,capacity_mah,sources\n"
    "anker,A7777,power_bank,10000,anker-notice\n"
)
BATCHES = "brand,model,batch,units,sources\nanker,A7777,B-1,500,anker-notice\n"
SOURCES = "- id: anker-notice\n  title: Anker notice\n  url: https://anker.example/n\n"
GOOD = {"sources.yaml": SOURCES, "products.csv": PRODUCTS, "batches.csv": BATCHES}


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tarred(files: dict[str, str], mode: str = "w:gz",
           extra: Callable[[tarfile.TarFile], None] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if extra:
            extra(archive)
    return buffer.getvalue()


@pytest.fixture
def regulator(token: TokenMaker) -> dict[str, str]:
    return bearer(token("regulator"))


def test_a_zip_bundle_loads_and_loading_it_again_changes_nothing(
    api: Api, regulator: dict[str, str]
) -> None:
    got = api.post("/v1/bundles", content=zipped(GOOD), headers=regulator)
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["inserted"], body["updated"], body["dry_run"]) == (3, 0, False)
    assert body["kinds"]["batches"] == {"inserted": 1, "updated": 0, "unchanged": 0}
    assert api.get("/v1/models/anker/A7777").json()["batches"][0]["batch"] == "B-1"
    again = api.post("/v1/bundles", content=zipped(GOOD), headers=regulator).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert again["registry_version"] == body["registry_version"]


def test_a_tar_gz_with_a_top_folder_loads(api: Api, regulator: dict[str, str]) -> None:
    files = {f"registry/{name}": text for name, text in GOOD.items()}
    files["registry/README.md"] = "ignored"
    got = api.post("/v1/bundles", content=tarred(files), headers=regulator)
    assert got.status_code == 200, got.text
    assert got.json()["inserted"] == 3


def test_a_dry_run_reports_and_changes_nothing(api: Api, regulator: dict[str, str]) -> None:
    version = api.get("/v1/health").json()["registry_version"]
    got = api.post("/v1/bundles", params={"dry_run": "true"}, content=zipped(GOOD),
                   headers=regulator)
    assert got.status_code == 200
    assert got.json()["dry_run"] is True and got.json()["inserted"] == 3
    assert api.get("/v1/health").json()["registry_version"] == version
    assert api.get("/v1/models/anker/A7777").status_code == 404


def test_every_problem_of_a_bad_bundle_is_listed(api: Api, regulator: dict[str, str]) -> None:
    files = dict(GOOD)
    files["products.csv"] = PRODUCTS + "anker,A8888,toaster,-3,anker-notice\n"
    files["batches.csv"] = BATCHES + "nobody,X,B-2,1,anker-notice\n"
    files["notes.csv"] = "a,b\n"
    version = api.get("/v1/health").json()["registry_version"]
    got = api.post("/v1/bundles", content=zipped(files), headers=regulator)
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == "invalid_bundle"
    where = {(d["file"], d["field"]) for d in error["details"]}
    assert {("notes.csv", ""), ("products.csv", "kind"), ("products.csv", "capacity_mah"),
            ("batches.csv", "brand")} <= where
    assert api.get("/v1/health").json()["registry_version"] == version


@pytest.mark.parametrize("name", ["../evil.yaml", "/etc/evil.yaml", "a/../../evil.yaml",
                                  "C:/evil.yaml", "dir\\..\\evil.yaml"])
def test_zip_slip_is_refused(api: Api, regulator: dict[str, str], name: str,
                             tmp_path: Path) -> None:
    got = api.post("/v1/bundles", content=zipped(GOOD | {name: SOURCES}), headers=regulator)
    assert got.status_code == 422
    details = got.json()["error"]["details"]
    assert any("unsafe path" in d["message"] for d in details)
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_links_in_a_tar_are_refused(api: Api, regulator: dict[str, str]) -> None:
    def link(archive: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("companies.yaml")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        archive.addfile(info)

    got = api.post("/v1/bundles", content=tarred(GOOD, extra=link), headers=regulator)
    assert got.status_code == 422
    assert "not a regular file" in got.json()["error"]["details"][0]["message"]


def test_a_zip_bomb_is_stopped(demo: Database, make_api: Callable[..., Api],
                               token: TokenMaker) -> None:
    api = make_api(demo, max_bundle_unpacked_bytes=100_000)
    bomb = zipped({"products.csv": "brand,model\n" + "a" * 5_000_000})
    assert len(bomb) < 50_000
    got = api.post("/v1/bundles", content=bomb, headers=bearer(token("regulator")))
    assert got.status_code == 422
    assert "unpacks to more than 100,000 bytes" in got.json()["error"]["details"][0]["message"]


@pytest.mark.parametrize("content", [b"", b"just some text", b"PK\x03\x04 broken zip"])
def test_what_is_not_an_archive_is_422(api: Api, regulator: dict[str, str],
                                       content: bytes) -> None:
    got = api.post("/v1/bundles", content=content, headers=regulator)
    assert got.status_code == 422
    assert got.json()["error"]["details"][0]["file"] == "(archive)"


def test_a_bundle_over_the_size_limit_is_413(demo: Database, make_api: Callable[..., Api],
                                             token: TokenMaker) -> None:
    api = make_api(demo, max_bundle_bytes=1000)
    got = api.post("/v1/bundles", content=b"x" * 1001, headers=bearer(token("regulator")))
    assert got.status_code == 413
    assert got.json()["error"]["code"] == "too_large"


def test_a_brand_uploads_only_its_own_records(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker"))
    assert api.post("/v1/bundles", content=zipped(GOOD), headers=anker).status_code == 200
    romoss = {"sources.yaml": SOURCES,
              "products.csv": PRODUCTS.replace("anker,A7777", "romoss,R1")}
    refused = api.post("/v1/bundles", content=zipped(romoss), headers=anker)
    assert refused.status_code == 403
    companies = {"companies.yaml": "- id: x\n  name: X\n  sources: [anker-notice]\n"}
    assert api.post("/v1/bundles", content=zipped(companies), headers=anker).status_code == 403
    assert api.post("/v1/bundles", content=zipped(GOOD)).status_code == 401
