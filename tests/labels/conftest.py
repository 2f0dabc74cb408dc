"""The CLI and API fixtures, for the read-label command and endpoint tests."""

from __future__ import annotations

import pytest

from cellwatch.labels.synthetic import SyntheticLabel, make_label
from tests.api.conftest import api, demo, make_api  # noqa: F401 (fixtures)
from tests.cli.conftest import cli  # noqa: F401 (fixture)
from tests.conftest import CJK_FONT, need_system_file


@pytest.fixture(scope="session")
def recalled_label() -> SyntheticLabel:
    """A SYNTHETIC Romoss PAC20-272 label with batch C14-P6 (a recalled batch in the demo
    registry, made inside its window), a little rotated, without the 3C mark."""
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    label = make_label(2, "bilingual", ("rotation",), batch="C14-P6", produced="2023-07-10")
    assert label.facts["model"] == "PAC20-272" and "ccc_mark" not in label.facts
    return label
