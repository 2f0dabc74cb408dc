from __future__ import annotations

from pathlib import Path

import pytest

from cellwatch.rules import docs
from cellwatch.rules.engine import load_packs

DOCS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_page_is_current() -> None:
    assert DOCS_PAGE.read_text(encoding="utf-8") == docs.render_markdown(), (
        f"docs/rules.md is stale: run `{docs.COMMAND}`"
    )


def test_every_rule_and_condition_is_on_the_page() -> None:
    page = docs.render_markdown()
    for pack in load_packs().values():
        assert f'<a id="{pack.id}"></a>' in page
        ids = [rule.id for rule in pack.rules] + [c.id for c in pack.conditions]
        for item_id in ids:
            assert f"`{item_id}`" in page
    assert "| `cn-caac.100-to-160-wh` | 100–160 Wh: airline approval needed" in page
    assert "energy > 100 Wh and ≤ 160 Wh" in page
    assert "from 2025-09 (counted from 2025-09-30)" in page
    assert "no start date recorded" in page


def test_main_prints_or_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs.main([])
    assert capsys.readouterr().out == docs.render_markdown()
    target = tmp_path / "rules.md"
    docs.main(["--write", str(target)])
    assert target.read_text(encoding="utf-8") == docs.render_markdown()
