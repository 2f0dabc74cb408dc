"""Every sentence of the impact analysis a person reads, in English and Simplified Chinese.

Steps of a path name companies by a short name (``Romoss`` rather than "Shenzhen Romoss
Technology Co., Ltd."), except the start, which is named in full and, when it was asked
for by another name, as that name ``=`` the registry's name.
"""

from __future__ import annotations

import datetime as dt
import re

from cellwatch.domain.certificates import STATUS_TEXT, CertificateStatus
from cellwatch.domain.companies import Company
from cellwatch.domain.names import fold_name
from cellwatch.domain.records import Text
from cellwatch.impact.report import Exposure, Split, Step, Units

_CJK = re.compile(r"[\u3400-\u9fff]")

EXPOSURE_TEXT = {
    Exposure.RECALLED: Text(en="already recalled", zh="已召回"),
    Exposure.UNDECIDED: Text(en="partly recalled or undecided", zh="部分召回或无法判定"),
    Exposure.NOT_RECALLED: Text(en="not yet recalled", zh="尚未召回"),
}

SUBSIDIARY_NOTE = Text(
    en="A subsidiary is not walked: a parent's certificate suspension does not suspend its "
    "subsidiaries' certificates. Start from it to see its own exposure.",
    zh="不沿子公司追溯：母公司证书被暂停并不导致子公司证书暂停。如需查看其影响，请以该子公司为起点。",
)
PARENT_NOTE = Text(
    en="A parent company is not walked: it did not make these cells. Start from it to see "
    "its own exposure.",
    zh="不沿母公司追溯：这些电芯并非母公司生产。如需查看其影响，请以该母公司为起点。",
)


def short_name(company: Company) -> Text:
    """The shortest Latin-script name (canonical or alias) and the shortest Chinese one."""
    latin = [n for n in (company.name, *company.aliases) if not _CJK.search(n)]
    chinese = [n for n in (*company.names.values(), *company.aliases) if _CJK.search(n)]
    en = min(latin, key=len) if latin else company.name
    return Text(en=en, zh=min(chinese, key=len) if chinese else en)


def full_name(company: Company) -> Text:
    return Text(en=company.name, zh=company.names.get("zh") or company.name)


def start_step(company: Company, query: str | None, former: Company | None) -> Step:
    """The first step: the start company, as asked for and as the registry names it."""
    name = full_name(company)
    if former is not None:
        return Step(kind="company", id=company.id, text=Text(
            en=f"{former.name}, renamed to {name.en}",
            zh=f"{former.name}（已更名为 {name.zh}）",
        ))
    if query and fold_name(query) not in (fold_name(company.id), fold_name(company.name)):
        return Step(kind="company", id=company.id, text=Text(
            en=f"{query} = {name.en}", zh=f"{query} = {name.zh}"
        ))
    return Step(kind="company", id=company.id, text=name)


def former_name_step(former: Company, current: Company) -> Step:
    new = short_name(current)
    return Step(kind="former_name", id=former.id, text=Text(
        en=f"{former.name} (the former name of {new.en})",
        zh=f"{former.name}（{new.zh} 的曾用名）",
    ))


def contract_factory_step(factory: Company, client: Company) -> Step:
    name, for_ = full_name(factory), short_name(client)
    return Step(kind="contract_factory", id=factory.id, text=Text(
        en=f"{name.en}, contract manufacturer for {for_.en}",
        zh=f"{name.zh}（{for_.zh} 的代工厂）",
    ))


def certificate_step(number: str, holder: Company | None, status: CertificateStatus | None) -> Step:
    who = short_name(holder) if holder else Text(en="?", zh="?")
    state = STATUS_TEXT[status] if status else Text(en="not yet issued", zh="尚未颁发")
    return Step(kind="certificate", id=number, text=Text(
        en=f"certificate {number} held by {who.en} ({state.en})",
        zh=f"{who.zh}持有的证书 {number}（{state.get('zh')}）",
    ))


def lot_step(lot: str, maker: Company | None, factory: Company | None) -> Step:
    """A cell lot; its maker when the walk reached it as the lot's factory, and the factory."""
    en, zh = f"cell lot {lot}", f"电芯批次 {lot}"
    if maker is not None:
        name = short_name(maker)
        en, zh = f"cell lot {lot} of {name.en}", f"{name.zh}的电芯批次 {lot}"
    if factory is not None:
        made = short_name(factory)
        en, zh = f"{en}, made at {made.en}", f"{zh}（由 {made.zh} 生产）"
    return Step(kind="cell_lot", id=lot, text=Text(en=en, zh=zh))


def model_step(brand: Text, model: str, key: str) -> Step:
    return Step(kind="model", id=key, text=Text(
        en=f"covers {brand.en} {model}", zh=f"覆盖 {brand.get('zh')} {model}"
    ))


def batch_step(brand: Text, model: str, batch: str, key: str) -> Step:
    # built once per batch reached (thousands per call): the parts are already valid text
    return Step(kind="batch", id=key, text=Text.model_construct(
        en=f"{brand.en} {model} batch {batch}", zh=f"{brand.get('zh')} {model} 批次 {batch}"
    ))


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def start_name(kind: str, query: str, company: Company | None) -> Text:
    """How the headline names the start."""
    name = full_name(company) if company else Text(en=query, zh=query)
    if kind == "cell_lot":
        return Text(en=f"cell lot {query} of {name.en}", zh=f"{name.zh}的电芯批次 {query}")
    if kind == "certificate":
        return Text(en=f"certificate {query} of {name.en}", zh=f"{name.zh}的证书 {query}")
    return name


def units_text(units: Units) -> Text:
    """``370,449 units`` / ``370,449 units and 8 batches of unknown size``."""
    if not units.unknown_batches:
        return Text(en=_count(units.known, "unit", "units"), zh=f"{units.known:,}件")
    extra_en = _count(units.unknown_batches, "batch", "batches") + " of unknown size"
    extra_zh = f"{units.unknown_batches}个数量未知的批次"
    if not units.known:
        return Text(en=extra_en, zh=extra_zh)
    return Text(en=f"{units.known:,} units and {extra_en}", zh=f"{units.known:,}件及{extra_zh}")


def headline(
    start: Text, date: dt.date, brands: int, models: int, exposed: Split,
    recalled: Split, undecided: Split, not_recalled: Split, what_if: dt.date | None,
) -> Text:
    """One sentence: what the start reaches, and how much of it is not yet recalled."""
    gap, units = units_text(not_recalled.units), units_text(exposed.units)
    en = (
        f"From {start.en}, as of {date}: {_count(brands, 'brand', 'brands')}, "
        f"{_count(models, 'model', 'models')}, {_count(exposed.batches, 'batch', 'batches')} "
        f"({units.en}) exposed; {recalled.batches:,} already recalled, {undecided.batches:,} "
        f"partly recalled or undecided, {not_recalled.batches:,} not yet recalled ({gap.en})."
    )
    zh = (
        f"从 {start.zh} 出发（截至{date}）：涉及{brands}个品牌、{models}个型号、"
        f"{exposed.batches}个批次（{units.zh}）；已召回{recalled.batches}个，部分召回或无法判定"
        f"{undecided.batches}个，尚未召回{not_recalled.batches}个（{gap.zh}）。"
    )
    if what_if is not None:
        en += f" What-if: the start is treated as suspended from {what_if}."
        zh += f"假设分析：视为起点自{what_if}起暂停。"
    return Text(en=en, zh=zh)


def certificate_summary(
    name: Text | None, date: dt.date, counts: dict[CertificateStatus, int],
    what_if: dt.date | None, since: dt.date | None,
) -> Text:
    who_en, who_zh = (name.en, name.zh or name.en) if name else ("The start", "起点")
    if not counts:
        en = f"{who_en} holds no cell certificate in the registry."
        zh = f"{who_zh}在登记库中没有电芯证书。"
    else:
        parts = sorted(counts.items(), key=lambda item: list(CertificateStatus).index(item[0]))
        en = f"{who_en}'s cell certificates on {date}: " + ", ".join(
            f"{n} {STATUS_TEXT[s].en}" for s, n in parts) + "."
        zh = f"{who_zh}的电芯证书（{date}）：" + "，".join(
            f"{STATUS_TEXT[s].zh}{n}张" for s, n in parts) + "。"
    if what_if is not None:
        en += f" What-if: treated as suspended from {what_if}."
        zh += f"假设分析：视为自{what_if}起暂停。"
    elif since is not None:
        en += f" Suspended or revoked since {since}."
        zh += f"自{since}起被暂停或撤销。"
    return Text(en=en, zh=zh)
