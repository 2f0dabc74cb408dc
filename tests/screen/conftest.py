"""The CLI fixture for the screen's command tests."""

from tests.cli.conftest import cli  # noqa: F401 (the fixture)
