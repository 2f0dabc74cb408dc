"""The impact report drawn as a layered graph, left to right: cell maker → factories →
cell lots → batches → models → brands.

:func:`layout` turns an :class:`~cellwatch.impact.report.ImpactReport` into columns of
nodes and the edges between them (pure, testable); :func:`draw` writes it as inline SVG.
Batches are coloured by their exposure and also patterned (hatched: not yet recalled,
dotted: undecided), and every node links to its page. When a report reaches more than
:data:`MAX_BATCH_NODES` batches, each model's batches are drawn as one node per exposure
("12 batches · not yet recalled") so the drawing stays readable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape

from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry
from cellwatch.impact.report import BatchOut, Exposure, ImpactReport
from cellwatch.impact.texts import EXPOSURE_TEXT, short_name
from cellwatch.web.i18n import Translator

MAX_BATCH_NODES = 30
LAYERS = ("maker", "factory", "lot", "batch", "model", "brand")
_SEVERITY = {Exposure.RECALLED: 0, Exposure.UNDECIDED: 1, Exposure.NOT_RECALLED: 2}
EXPOSURE_STYLE = {
    Exposure.RECALLED: ("e-recalled", None),
    Exposure.UNDECIDED: ("e-undecided", "dots"),
    Exposure.NOT_RECALLED: ("e-not-recalled", "hatch"),
}


@dataclass
class Node:
    id: str
    layer: str
    label: str
    href: str | None = None
    exposure: Exposure | None = None
    detail: str = ""
    parents: list[str] = field(default_factory=list)
    placeholder: bool = False  # stands for a factory or lot the registry does not record


@dataclass
class Layout:
    columns: dict[str, list[Node]]
    edges: list[tuple[str, str]]
    grouped: bool  # batches drawn one node per model and exposure

    def node(self, node_id: str) -> Node:
        for nodes in self.columns.values():
            for found in nodes:
                if found.id == node_id:
                    return found
        raise KeyError(node_id)


def _company_href(company_id: str) -> str:
    return f"/companies/{quote(company_id, safe='')}"


def layout(report: ImpactReport, registry: Registry, lang: str) -> Layout:
    """The nodes of each layer and the edges, ordered to cross little."""
    t = Translator(lang)
    nodes: dict[str, Node] = {}

    def add(node: Node, parent: str | None) -> Node:
        found = nodes.setdefault(node.id, node)
        if parent is not None and parent not in found.parents:
            found.parents.append(parent)
        return found

    def company(company_id: str, layer: str, parent: str | None) -> str:
        record = registry.companies.get(registry.current_id(company_id))
        label = short_name(record).get(lang) if record else company_id
        return add(Node(f"{layer}:{company_id}", layer, label, _company_href(company_id)),
                   parent).id

    start = report.start.company
    factories = set(report.start.contract_factories)
    makers: dict[str, str] = {}
    if start is not None and start not in factories:
        makers[start] = company(start, "maker", None)
    for factory in report.start.contract_factories:
        company(factory, "factory", makers.get(start or ""))
    lot_parent: dict[str, str] = {}
    for lot in report.lots:
        if lot.cell_maker in factories:
            parent = f"factory:{lot.cell_maker}"
        else:
            maker = makers.get(lot.cell_maker) or company(lot.cell_maker, "maker", None)
            makers[lot.cell_maker] = maker
            if lot.factory and lot.factory != lot.cell_maker:
                parent = company(lot.factory, "factory", maker)
            else:
                parent = add(Node(f"factory:?{maker}", "factory", t("impact.graph.no_factory"),
                                  placeholder=True), maker).id
        node = add(Node(f"lot:{lot.lot}", "lot", lot.lot,
                        detail=_batches(t, lot.batches)), parent)
        lot_parent[lot.lot] = node.id
    batches = [batch for model in report.models for batch in model.batches]
    grouped = len(batches) > MAX_BATCH_NODES
    for model in report.models:
        brand_id = company(model.brand, "brand", None)
        model_node = add(Node(
            f"model:{model.brand}/{model.model}", "model", model.model,
            f"/models/{quote(model.brand, safe='')}/{quote(model.model, safe='')}",
        ), None)
        if model_node.id not in nodes[brand_id].parents:
            nodes[brand_id].parents.append(model_node.id)
        worst: Exposure | None = None
        counts: dict[Exposure, int] = defaultdict(int)
        for batch in model.batches:
            upstream = _batch_parent(batch, lot_parent, makers, factories, start)
            if upstream is not None and not upstream.startswith("lot:"):
                upstream = add(Node(f"lot:?{upstream}", "lot", t("impact.graph.no_lot"),
                                    placeholder=True), upstream).id
            if grouped:
                node_id = f"batch:{model.brand}/{model.model}/{batch.exposure.value}"
                counts[batch.exposure] += 1
                node = add(Node(node_id, "batch", "", exposure=batch.exposure), upstream)
            else:
                node = add(Node(f"batch:{model.brand}/{model.model}/{batch.batch}", "batch",
                                batch.batch, exposure=batch.exposure,
                                detail=EXPOSURE_TEXT[batch.exposure].get(lang)), upstream)
            if node.id not in model_node.parents:
                model_node.parents.append(node.id)
            if worst is None or _SEVERITY[batch.exposure] > _SEVERITY[worst]:
                worst = batch.exposure
        for exposure, count in counts.items():
            node = nodes[f"batch:{model.brand}/{model.model}/{exposure.value}"]
            node.label = _batches(t, count)
            node.detail = EXPOSURE_TEXT[exposure].get(lang)
        model_node.exposure = worst
    columns = _order({layer: [n for n in nodes.values() if n.layer == layer] for layer in LAYERS})
    edges = [(parent, node.id) for node in nodes.values() for parent in node.parents
             if parent in nodes]
    return Layout(columns, edges, grouped)


def _batches(t: Translator, count: int) -> str:
    return t("impact.batch_one" if count == 1 else "impact.batch_many", count=count)


def _batch_parent(batch: BatchOut, lots: dict[str, str], makers: dict[str, str],
                  factories: set[str], start: str | None) -> str | None:
    if batch.cell_lot and batch.cell_lot in lots:
        return lots[batch.cell_lot]
    for step in reversed(batch.path):
        if step.kind == "contract_factory" and step.id in factories:
            return f"factory:{step.id}"
    return makers.get(start or "") or next(iter(makers.values()), None)


def _order(columns: dict[str, list[Node]]) -> dict[str, list[Node]]:
    """Sort each layer by the mean position of its nodes' parents (one sweep)."""
    position: dict[str, float] = {}
    for layer in LAYERS:
        nodes = columns[layer]
        first = {node.id: index for index, node in enumerate(nodes)}

        def key(node: Node, first: dict[str, int] = first) -> tuple[float, int]:
            known = [position[p] for p in node.parents if p in position]
            return (sum(known) / len(known) if known else 0.0, first[node.id])

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            position[node.id] = float(index)
    return columns


_COLUMN, _NODE_W, _NODE_H, _GAP, _TOP = 178, 150, 34, 10, 46


def draw(graph: Layout, lang: str, title: Text, desc: str) -> Markup:
    """The layout as an SVG drawing (about 1,070 px wide; the page lets it scroll)."""
    t = Translator(lang)
    rows = max((len(nodes) for nodes in graph.columns.values()), default=1) or 1
    height = _TOP + rows * (_NODE_H + _GAP) + 10
    width = 10 + len(LAYERS) * _COLUMN
    place: dict[str, tuple[float, float]] = {}
    for i, layer in enumerate(LAYERS):
        nodes = graph.columns[layer]
        offset = (rows - len(nodes)) * (_NODE_H + _GAP) / 2
        for j, node in enumerate(nodes):
            place[node.id] = (10 + i * _COLUMN, _TOP + offset + j * (_NODE_H + _GAP))
    parts = [
        f'<svg class="graph" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" aria-labelledby="graph-t graph-d">',
        f'<title id="graph-t">{escape(title.get(lang))}</title>'
        f'<desc id="graph-d">{escape(desc)}</desc>',
        '<defs><pattern id="graph-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,6 L6,0" stroke="currentColor" stroke-width="1.4"/></pattern>'
        '<pattern id="graph-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.2" fill="currentColor"/></pattern></defs>',
    ]
    for i, layer in enumerate(LAYERS):
        x = 10 + i * _COLUMN
        heading = escape(t(f"impact.layer.{layer}"))
        parts.append(f'<text class="layer" x="{x}" y="20">{heading}</text>')
        if not graph.columns[layer]:
            parts.append(f'<text class="none" x="{x}" y="{_TOP + 16}">'
                         f'{escape(t("impact.layer.none"))}</text>')
    for parent, child in graph.edges:
        if parent not in place or child not in place:
            continue
        x1, y1 = place[parent][0] + _NODE_W, place[parent][1] + _NODE_H / 2
        x2, y2 = place[child][0], place[child][1] + _NODE_H / 2
        middle = (x1 + x2) / 2
        parts.append(f'<path class="edge" d="M{x1:.0f},{y1:.0f} C{middle:.0f},{y1:.0f} '
                     f'{middle:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"/>')
    for layer in LAYERS:
        for node in graph.columns[layer]:
            parts.append(_node(node, *place[node.id]))
    parts.append("</svg>")
    return Markup("".join(parts))


def _node(node: Node, x: float, y: float) -> str:
    css = f"node n-{node.layer}" + (" n-placeholder" if node.placeholder else "")
    pattern = None
    if node.exposure is not None:
        style, pattern = EXPOSURE_STYLE[node.exposure]
        css += f" {style}"
    label = node.label if len(node.label) <= 20 else node.label[:19] + "…"
    tooltip = f"{node.label} — {node.detail}" if node.detail else node.label
    body = (f'<rect class="box" x="{x:.0f}" y="{y:.0f}" width="{_NODE_W}" height="{_NODE_H}" '
            f'rx="5"/>')
    if pattern:
        body += (f'<rect class="pattern" x="{x:.0f}" y="{y:.0f}" width="{_NODE_W}" '
                 f'height="{_NODE_H}" rx="5" fill="url(#graph-{pattern})"/>')
    body += (f'<text x="{x + 8:.0f}" y="{y + 22:.0f}">{escape(label)}</text>'
             f"<title>{escape(tooltip)}</title>")
    if node.href:
        return f'<a href="{escape(node.href)}" class="{css}">{body}</a>'
    return f'<g class="{css}">{body}</g>'
