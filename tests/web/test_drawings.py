"""The server-drawn SVG: charts escape what they print and draw what they are given; the
supply graph puts every node in its layer and links only nodes it drew."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cellwatch.bundles.reader import read_bundle
from cellwatch.domain.registry import Registry
from cellwatch.impact import impact
from cellwatch.ingest import demo_bundle
from cellwatch.web import charts, dashboard, supply_graph


@pytest.fixture(scope="module")
def registry() -> Registry:
    data, issues = read_bundle(demo_bundle())
    assert issues == []
    return Registry(data, version=1)


def test_columns_escape_and_scale() -> None:
    svg = charts.columns("T <b>", "D", [charts.Bar("<script>", 4), charts.Bar("b", 2)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    heights = [float(h) for h in re.findall(r'<rect class="c-1"[^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[0] == pytest.approx(2 * heights[1])
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def test_narrow_columns_write_short_values_upwards() -> None:
    bars = [charts.Bar(f"2025-{m:02d}", v) for m, v in zip(range(1, 31), [2_380_379] * 30,
                                                           strict=False)]
    svg = charts.columns("t", "d", bars)
    assert "2.4M" in svg and "rotate(-90)" in svg


def test_charts_with_nothing_to_draw() -> None:
    assert "<svg" in charts.columns("t", "d", [])
    assert "<svg" in charts.hbars("t", "d", [])
    assert "<svg" in charts.stacked("t", "d", [], [])


def test_stacked_writes_totals_and_a_legend() -> None:
    svg = charts.stacked("t", "d", ["a", "b"], [
        charts.Series("air", "m-air", [1, 2]), charts.Series("rail", "m-rail", [0, 3], "dots"),
    ])
    assert ">5</text>" in svg and ">air</text>" in svg and "url(#chart" in svg


def test_timeline_segments() -> None:
    day = dt.date
    lane = charts.Lane("c", [charts.Segment(day(2025, 1, 1), day(2025, 6, 10), "s-valid", "v"),
                             charts.Segment(day(2025, 6, 10), day(2025, 12, 31), "s-suspended",
                                            "s", "hatch")], [(day(2025, 6, 10), "change")])
    svg = charts.timeline("t", "d", [lane], day(2025, 1, 1), day(2025, 12, 31), [])
    assert svg.count('class="s-valid"') == 1 and svg.count('class="s-suspended"') == 1
    assert 'class="mark"' in svg


def test_the_supply_graph_of_the_cell_maker(registry: Registry) -> None:
    report = impact(registry, company="APEX (Wuxi)", date=dt.date(2025, 7, 1))
    graph = supply_graph.layout(report, registry, "en")
    columns = graph.columns
    assert [n.label for n in columns["maker"]] == ["APEX (Wuxi)"]
    assert {n.label for n in columns["model"]} == {"PAC20-392", "A1681", "PB2030MI"}
    assert {n.id for n in columns["brand"]} == {"brand:romoss", "brand:anker", "brand:xiaomi"}
    assert len(columns["batch"]) == 10 and not graph.grouped
    assert any(n.placeholder for n in columns["factory"])  # the lots' factory is not recorded
    drawn = {n.id for nodes in columns.values() for n in nodes}
    assert all(a in drawn and b in drawn for a, b in graph.edges)
    exposure = {n.label: n.exposure.value for n in columns["batch"] if n.exposure}
    assert exposure["window-2024-08-01-2024-09-22"] == "not_recalled"
    assert exposure["M14-Q6"] == "recalled"
    svg = supply_graph.draw(graph, "zh", report.headline, "d")
    assert "电芯制造商" in svg and 'href="/models/xiaomi/PB2030MI"' in svg


def test_many_batches_are_drawn_per_model(registry: Registry,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(supply_graph, "MAX_BATCH_NODES", 5)
    report = impact(registry, company="amprius-wuxi", date=dt.date(2025, 7, 1))
    graph = supply_graph.layout(report, registry, "en")
    assert graph.grouped
    labels = sorted(n.label for n in graph.columns["batch"])
    assert labels == ["1 batch", "1 batch", "8 batches"]


def test_dashboard_figures(registry: Registry) -> None:
    monthly = dashboard.recalls_by_month(registry)
    assert monthly.year_only == sum(1 for r in registry.data.recalls
                                    if r.announced.month is None)
    counted = sum(monthly.values["recalls"]) + monthly.year_only
    assert counted == len(registry.data.recalls)
    june = monthly.months.index("2025-06")
    assert monthly.values["units"][june] == sum(
        r.units or 0 for r in registry.data.recalls
        if r.announced.year == 2025 and r.announced.month == 6)
    brands = dict((name, units) for name, _, units in dashboard.recalls_by_brand(registry, "en"))
    assert brands["ROMOSS"] == sum(r.units or 0 for r in registry.data.recalls
                                   if r.issuer == "romoss")
    assert dashboard.month_range(["2024-11", "2025-02"]) == (
        ["2024-11", "2024-12", "2025-01", "2025-02"], False)
    assert dashboard.month_range(["2020-01", "2025-12"], 3) == (
        ["2025-10", "2025-11", "2025-12"], True)
