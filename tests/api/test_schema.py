"""The app against its own OpenAPI document (schemathesis): no 5xx, responses conform.

Every GET endpoint and ``POST /v1/check`` get generated requests (valid and invalid) on
the demo registry in SQLite; every response must be documented, match its schema, and no
request may make the server fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cellwatch.api import create_app
from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.store.db import Database
from tests.api.conftest import settings_for

#: per operation; CELLWATCH_SCHEMA_EXAMPLES=500 for a longer hunt
MAX_EXAMPLES = int(os.environ.get("CELLWATCH_SCHEMA_EXAMPLES", "20"))

# the schema is read from the app when the module is collected; the database behind it is
# filled by the fixture below, before the first test runs
_FOLDER = Path(tempfile.mkdtemp(prefix="cellwatch-schema-"))
_URL = f"sqlite:///{_FOLDER / 'registry.sqlite'}"
_DATABASE = Database(_URL)
_APP = create_app(settings_for(_URL), database=_DATABASE)

schema = schemathesis.openapi.from_asgi("/openapi.json", _APP).include(
    lambda ctx: ctx.operation.method.upper() == "GET" or ctx.operation.path == "/v1/check"
)


@pytest.fixture(scope="module", autouse=True)
def _demo_registry() -> Iterator[None]:
    _DATABASE.migrate()
    load_bundle(_DATABASE, demo_bundle(), "test")
    yield
    _DATABASE.dispose()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize="CELLWATCH_SCHEMA_EXAMPLES" not in os.environ,
)
def test_the_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # a request can fit the schema and still be refused with 422: 2025-02-30, a rule pack
    # that does not exist; every other check applies
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
