"""load → export → load → export is the identity, for any registry."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from cellwatch.bundles.checks import check_references
from cellwatch.bundles.reader import read_bundle
from cellwatch.bundles.writer import write_bundle
from cellwatch.domain.registry import RegistryData
from tests.strategies import registries


def _files(folder: Path) -> dict[str, bytes]:
    return {file.name: file.read_bytes() for file in sorted(folder.iterdir())}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_write_read_write_is_identity(data: RegistryData) -> None:
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        write_bundle(data, Path(first))
        read, issues = read_bundle(Path(first))
        assert issues == []
        assert check_references(read) == []
        assert read.sorted() == data.sorted()
        write_bundle(read, Path(second))
        assert _files(Path(first)) == _files(Path(second))
