"""A CPSC notice republished: what changed, and the revised recall.

:func:`revision_summary` says in English and Chinese what changed between the stored
recall and the one read from the newer notice (units, incidents, injuries, models, scope,
remedies, texts). :func:`merge_confirmed` builds the revised recall: the new fields, the
stored revisions plus the new one, every source cited so far; texts whose English did not
change keep their stored Chinese; scope entries a person has confirmed are kept.
"""

from __future__ import annotations

import datetime as dt

from cellwatch.domain.names import model_key
from cellwatch.domain.recalls import Recall, Revision, ScopeEntry
from cellwatch.domain.records import Text
from cellwatch.imports.cpsc_scope import MARK


def _n(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def _constraints(entry: ScopeEntry) -> tuple[object, ...]:
    return (entry.batches, entry.produced, entry.serials, entry.serial_ranges,
            entry.serial_patterns)


def revision_summary(old: Recall, new: Recall, date: dt.date) -> Text:
    """What changed from ``old`` to ``new``, as one sentence in each language."""
    en: list[str] = []
    zh: list[str] = []
    for label, label_zh, before, after in (
        ("units", "数量", old.units, new.units),
        ("incidents", "事故报告", old.incidents, new.incidents),
        ("injuries", "受伤", old.injuries, new.injuries),
    ):
        if before != after:
            en.append(f"{label} {_n(before)} → {_n(after)}")
            zh.append(f"{label_zh} {_n(before)} → {_n(after)}")
    old_models = {model_key(e.model): e for e in old.scope}
    new_models = {model_key(e.model): e for e in new.scope}
    added = [e.model for k, e in new_models.items() if k not in old_models]
    removed = [e.model for k, e in old_models.items() if k not in new_models]
    if added:
        en.append("models added: " + ", ".join(added))
        zh.append("新增型号：" + "、".join(added))
    if removed:
        en.append("models no longer listed: " + ", ".join(removed))
        zh.append("不再列出的型号：" + "、".join(removed))
    changed = [e.model for k, e in new_models.items()
               if k in old_models and _constraints(old_models[k]) != _constraints(e)]
    if changed:
        en.append("scope rules changed for " + ", ".join(changed))
        zh.append("范围规则有变：" + "、".join(changed))
    if old.remedies != new.remedies:
        en.append("remedies: " + ", ".join(r.value for r in new.remedies))
        zh.append("补救措施：" + "、".join(r.value for r in new.remedies))
    for label, label_zh, before_text, after_text in (
        ("title", "标题", old.title, new.title), ("hazard", "危害说明", old.hazard, new.hazard),
    ):
        if (before_text.en if before_text else None) != (after_text.en if after_text else None):
            en.append(f"{label} changed")
            zh.append(f"{label_zh}有变")
    if not en:
        en.append("none of the fields cellwatch records changed")
        zh.append("cellwatch记录的字段均无变化")
    return Text(en=f"CPSC republished the notice on {date}: {'; '.join(en)}.",
                zh=f"CPSC于{date}重新发布公告：{'；'.join(zh)}。")


def _confirmed(entry: ScopeEntry) -> bool:
    """Constraints a person has confirmed: the extraction mark is gone from the note."""
    return not entry.unconstrained and not (entry.note and MARK in entry.note)


def _keep_zh(before: Text | None, after: Text | None) -> Text | None:
    if before is not None and after is not None and before.en == after.en:
        return before
    return after


def merge_confirmed(old: Recall, new: Recall, revision: Revision) -> Recall:
    """The revised recall (validated again)."""
    kept = {model_key(e.model): e for e in old.scope if _confirmed(e)}
    scope = [kept.get(model_key(e.model), e) for e in new.scope]
    values = new.model_dump(by_alias=True, exclude_none=True)
    values.update(
        scope=scope,
        revisions=[*old.revisions, revision],
        title=_keep_zh(old.title, new.title),
        hazard=_keep_zh(old.hazard, new.hazard),
        claim=_keep_zh(old.claim, new.claim),
    )
    return Recall.model_validate({k: v for k, v in values.items() if v is not None})
