"""Fixtures shared with tests/api and tests/cli: the API and the CLI on every backend."""

from tests.api.conftest import api, demo, make_api, token  # noqa: F401
from tests.cli.conftest import cli  # noqa: F401
