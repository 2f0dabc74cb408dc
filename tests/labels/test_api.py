"""``POST /v1/read-label`` through the ASGI app: the contract, the bounds, the errors."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

from PIL import Image, PngImagePlugin

from cellwatch.labels.synthetic import SyntheticLabel
from cellwatch.store.db import Database
from tests.api.conftest import Api


def upload(
    data: bytes, name: str = "label.png", kind: str = "image/png"
) -> dict[str, tuple[str, bytes, str]]:
    """The multipart files of a request with ``data`` as the field ``photo``."""
    return {"photo": (name, data, kind)}


def test_read_label_answers_the_contract_and_its_facts_check(
    api: Api, recalled_label: SyntheticLabel
) -> None:
    got = api.post("/v1/read-label", files=upload(recalled_label.image))
    assert got.status_code == 200, got.text
    body = got.json()
    assert set(body) == {"facts", "lines", "image", "seconds", "notes"}
    for fact in body["facts"].values():
        assert set(fact) == {"value", "confidence", "text"} and 0 < fact["confidence"] <= 1
    facts = {field: fact["value"] for field, fact in body["facts"].items()}
    want = recalled_label.facts
    assert facts["brand"] == "romoss" and facts["model"] == "PAC20-272"
    assert facts["batch"] == "C14-P6" and facts["produced"] == "2023-07-10"
    assert facts["capacity_mah"] == want["capacity_mah"]
    assert facts["rated_capacity_mah"] == want["rated_capacity_mah"]
    assert "ccc_mark" not in facts
    assert all(set(line) == {"text", "confidence"} for line in body["lines"])
    assert any("PAC20-272" in line["text"] for line in body["lines"])
    image = Image.open(io.BytesIO(recalled_label.image))
    assert body["image"] == {"width": image.width, "height": image.height, "rotated": 0}
    assert all(note["en"] and note["zh"] for note in body["notes"])
    assert body["seconds"] > 0

    # what the check page does next: the facts, corrected by the person, to the check
    # (whose body names the cell voltage ``voltage``; the reading uses Device's ``voltage_v``)
    unit = {k: v for k, v in facts.items() if k not in ("rated_capacity_mah", "voltage_v")}
    unit["voltage"] = facts["voltage_v"]
    checked = api.post("/v1/check", json=unit)
    assert checked.status_code == 200, checked.text
    assert checked.json()["recall"]["status"] == "recalled"


def test_a_photo_larger_than_the_json_body_limit_is_accepted(
    demo: Database, make_api: Callable[..., Api], recalled_label: SyntheticLabel
) -> None:
    api = make_api(demo, max_body_bytes=100_000)
    # the same label, made 300 kB larger by a text chunk that is not image data
    image = Image.open(io.BytesIO(recalled_label.image))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", os.urandom(150_000).hex(), zip=False)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    assert len(buffer.getvalue()) > 300_000
    got = api.post("/v1/read-label", files=upload(buffer.getvalue()))
    assert got.status_code == 200, got.text
    assert got.json()["facts"]["model"]["value"] == "PAC20-272"


def test_a_photo_over_the_photo_limit_is_413(
    demo: Database, make_api: Callable[..., Api]
) -> None:
    api = make_api(demo, max_photo_bytes=50_000)
    # within the body limit (photo + form overhead) but over the photo's own limit
    got = api.post("/v1/read-label", files=upload(b"\xff" * 60_000))
    assert got.status_code == 413
    assert got.json()["error"] == {
        "code": "too_large", "message": "the photo is larger than the limit of 50,000",
        "details": [{"what": "the photo", "limit": 50_000}],
    }
    # over the body limit: refused before it is read
    huge = api.post("/v1/read-label", files=upload(b"\xff" * 200_000))
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"


def test_what_is_not_a_photo_is_422_and_a_missing_field_too(api: Api) -> None:
    pdf = upload(b"%PDF-1.7", "a.pdf", "application/pdf")
    not_photo = api.post("/v1/read-label", files=pdf)
    assert not_photo.status_code == 422
    error = not_photo.json()["error"]
    assert error["code"] == "invalid_input" and "not a photo" in error["message"]

    missing = api.post("/v1/read-label", data={"picture": "x"})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid_request"
    assert missing.json()["error"]["details"][0]["loc"] == ["body", "photo"]

    as_text = api.post("/v1/read-label", data={"photo": "not a file"})
    assert as_text.status_code == 422


def test_read_label_is_rate_limited_as_a_public_endpoint(
    demo: Database, make_api: Callable[..., Api]
) -> None:
    api = make_api(demo, rate_limit_per_second=0.01, rate_limit_burst=1)
    first = api.post("/v1/read-label", files=upload(b"not a photo"))
    assert first.status_code == 422
    second = api.post("/v1/read-label", files=upload(b"not a photo"))
    assert second.status_code == 429


def test_read_label_is_in_the_openapi_document(api: Api) -> None:
    document = api.get("/openapi.json").json()
    operation = document["paths"]["/v1/read-label"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "413", "422"} <= set(operation["responses"])
