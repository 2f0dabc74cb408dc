"""Import the CPSC recalls API's JSON: power-bank recalls become cellwatch recalls.

For each recall object (:class:`~cellwatch.imports.cpsc_record.CpscRecall`):

- not a power bank or portable charger → skipped and counted;
- its id ``us-cpsc-<RecallNumber>`` is new, and no stored recall cites the same notice URL
  → a new recall, with a source for the notice (``cpsc-<RecallNumber>``, published =
  LastPublishDate), the recalling firm (resolved by alias resolution, created when
  missing) and the models it lacks;
- a stored recall under another id (written by hand, e.g. the demo's) cites the notice
  URL, or is a CPSC recall by the same firm of a common model announced within a week →
  ``known``: left as it is, never duplicated;
- the recall exists and LastPublishDate is newer than the version stored → a revision:
  the fields are updated, a revision with the date and a summary of what changed is
  appended, and a source for that version (``cpsc-<RecallNumber>-<date>``) is cited;
  scope entries a person has confirmed (constraints whose note no longer carries the
  extraction mark) are kept as they are;
- the same (or an older) LastPublishDate → nothing changes.

Pure: a registry snapshot and the parsed JSON in, a :class:`CpscPlan` out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cellwatch.domain.companies import Role
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.recalls import Recall, Revision, ScopeEntry
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.domain.sources import Source
from cellwatch.errors import BundleIssue
from cellwatch.imports import cpsc_text
from cellwatch.imports.companies import Companies
from cellwatch.imports.cpsc_record import (
    AUTHORITY,
    PUBLISHER,
    CpscRecall,
    Product,
    recall_fields,
    scope_models,
)
from cellwatch.imports.cpsc_revision import merge_confirmed, revision_summary
from cellwatch.imports.cpsc_scope import MARK

MAX_BYTES = 512 * 1024**2
#: A stored CPSC recall of the same firm and model announced this close is the same notice.
SAME_NOTICE_DAYS = 7


class Action(StrEnum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    OLDER = "older"  # a version older than the one stored: ignored
    KNOWN = "known"  # the notice is in the registry under another id


@dataclass(frozen=True)
class Outcome:
    recall_number: str
    recall_id: str
    action: Action
    title: str
    published: str
    firms: tuple[dict[str, str | None], ...] = ()
    scope: tuple[dict[str, Any], ...] = ()
    revision: dict[str, str | None] | None = None


@dataclass(frozen=True)
class CpscPlan:
    origin: str
    data: RegistryData
    issues: tuple[BundleIssue, ...]
    records: int = 0
    outcomes: tuple[Outcome, ...] = ()
    skipped: tuple[str, ...] = ()  # titles of the records that are not power banks

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.origin, "records": self.records,
            "kept": len(self.outcomes), "skipped": len(self.skipped),
            "skipped_titles": list(self.skipped),
            "counts": {a.value: sum(1 for o in self.outcomes if o.action is a) for a in Action},
            "companies_created": [c.id for c in self.data.companies],
            "products_created": [f"{p.brand}/{p.model}" for p in self.data.products],
            "recalls": [
                {"recall_number": o.recall_number, "recall_id": o.recall_id,
                 "action": o.action.value, "title": o.title, "published": o.published,
                 "firms": list(o.firms), "scope": list(o.scope), "revision": o.revision}
                for o in self.outcomes
            ],
        }


def read_cpsc(path: Path) -> tuple[list[Any], list[BundleIssue]]:
    """The list of recall objects in the file (a list, or one object), or the problem."""
    name = path.name
    if not path.is_file():
        return [], [BundleIssue(name, "", "", "is not a file")]
    if path.stat().st_size > MAX_BYTES:
        return [], [BundleIssue(name, "", "", "is larger than 512 MiB")]
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        return [], [BundleIssue(name, "", "", f"is not UTF-8 (byte {error.start})")]
    except json.JSONDecodeError as error:
        return [], [BundleIssue(name, f"line {error.lineno}", "", f"invalid JSON: {error.msg}")]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        return [], [BundleIssue(name, "", "", "must be a list of recall objects")]
    return document, []


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


def plan_cpsc(registry: Registry, raw: list[Any], origin: str) -> CpscPlan:
    """Compare every recall object with the registry: the records to write, and problems."""
    issues: list[BundleIssue] = []
    kept: list[CpscRecall] = []
    skipped: list[str] = []
    for index, item in enumerate(raw, start=1):
        number = item.get("RecallNumber") if isinstance(item, dict) else None
        where = f"record {index}" + (f" (RecallNumber={number})" if number else "")
        try:
            record = CpscRecall.model_validate(item)
        except ValidationError as error:
            issues.extend(
                BundleIssue(origin, where, ".".join(str(p) for p in d["loc"]), d["msg"])
                for d in error.errors(include_url=False)
            )
            continue
        if record.power_bank_products():
            kept.append(record)
        else:
            skipped.append(record.Title)
    planner = _Planner(registry, origin, issues)
    for record in sorted(kept, key=lambda r: (r.recall_id, r.published)):
        planner.record(record)
    data = RegistryData(
        sources=tuple(planner.sources.values()), companies=tuple(planner.companies.created),
        products=tuple(planner.products.values()), recalls=tuple(planner.recalls.values()),
    )
    return CpscPlan(origin, data, tuple(issues), len(raw), tuple(planner.outcomes),
                    tuple(skipped))


class _Planner:
    def __init__(self, registry: Registry, origin: str, issues: list[BundleIssue]) -> None:
        self.registry, self.origin, self.issues = registry, origin, issues
        self.companies = Companies(registry, "cpsc")
        self.sources: dict[str, Source] = {}
        self.products: dict[tuple[str, ...], ProductModel] = {}
        self.recalls: dict[str, Recall] = {}
        self.outcomes: list[Outcome] = []
        stored = registry.sources
        self.stored_sources = stored
        self.by_url = {
            _url_key(stored[s].url): recall.id
            for recall in registry.data.recalls for s in recall.sources if s in stored
        }

    def _outcome(self, record: CpscRecall, action: Action, recall_id: str, **more: Any) -> None:
        self.outcomes.append(Outcome(record.RecallNumber, recall_id, action, record.Title,
                                     record.published.isoformat(), **more))

    def record(self, record: CpscRecall) -> None:
        rid = record.recall_id
        existing = self.recalls.get(rid) or self.registry.recalls.get(rid)
        if existing is None:
            known = self.by_url.get(_url_key(record.URL)) or self._same_notice(record)
            if known is not None and known != rid:
                self._outcome(record, Action.KNOWN, known)
                return
            self._new(record)
            return
        last = self._last_published(existing, record.source_id)
        if record.published <= last:
            action = Action.UNCHANGED if record.published == last else Action.OLDER
            self._outcome(record, action, rid)
            return
        self._revise(record, existing)

    def _same_notice(self, record: CpscRecall) -> str | None:
        """A stored CPSC recall by the same firm, of a common model, announced within a week
        (reports often date a notice a day or two off)."""
        issuer = self._resolved_issuer(record)
        if issuer is None:
            return None
        day = record.RecallDate.date()
        slack = dt.timedelta(days=SAME_NOTICE_DAYS)
        models = {model_key(m) for m, _ in scope_models(record, record.power_bank_products())}
        for recall in self.registry.data.recalls:
            if (recall.authority.upper() == AUTHORITY
                    and self.registry.current_id(recall.issuer) == issuer
                    and recall.announced.first_day() - slack <= day
                    and day <= recall.announced.last_day() + slack
                    and models & {model_key(e.model) for e in recall.scope}):
                return recall.id
        return None

    def _last_published(self, recall: Recall, base: str) -> dt.date:
        dates = [
            source.published.last_day()
            for sid in recall.sources
            if (sid == base or sid.startswith(f"{base}-"))
            and (source := self.sources.get(sid) or self.stored_sources.get(sid)) is not None
            and source.published is not None
        ]
        return max(dates, default=dt.date.min)

    def _source(self, record: CpscRecall, source_id: str) -> Source:
        return Source(id=source_id, title=record.Title, publisher=PUBLISHER, url=record.URL,
                      published=record.published.isoformat(), language="en")

    def _new(self, record: CpscRecall) -> None:
        source = self._source(record, record.source_id)
        issuer, firms = self._issuer(record, source.id)
        recall = self._recall(record, issuer, {"sources": [source.id]}, source.id)
        if recall is None:
            return
        self.sources[source.id] = source
        self.recalls[recall.id] = recall
        self._outcome(record, Action.NEW, recall.id, firms=firms, scope=_scope(recall))

    def _revise(self, record: CpscRecall, existing: Recall) -> None:
        source = self._source(record, f"{record.source_id}-{record.published.isoformat()}")
        sources = list(dict.fromkeys([*existing.sources, source.id]))
        candidate = self._recall(record, existing.issuer, {"sources": sources}, source.id)
        if candidate is None:
            return
        summary = revision_summary(existing, candidate, record.published)
        revision = Revision(date=record.published.isoformat(), summary=summary,
                            units=candidate.units, sources=(source.id,))
        revised = merge_confirmed(existing, candidate, revision)
        self.sources[source.id] = source
        self.recalls[revised.id] = revised
        self._outcome(record, Action.REVISED, revised.id, scope=_scope(revised),
                      revision={"date": record.published.isoformat(), "en": summary.en,
                                "zh": summary.zh})

    def _resolved_issuer(self, record: CpscRecall) -> str | None:
        """The recalling firm if the registry knows it: the firm the title names, then the
        manufacturers, importers and distributors, then any company named in the title."""
        firms = record.firms()
        words = record.Title.split()
        grams = [" ".join(words[i:i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]
        for candidate in (cpsc_text.title_firm(record.Title), *(f.name for _, f in firms),
                          *(a for _, f in firms for a in f.aliases), *grams):
            if candidate and (found := self.companies.resolve(candidate)):
                return found
        return None

    def _issuer(self, record: CpscRecall, source: str) -> tuple[str, tuple[dict[str, Any], ...]]:
        firms = record.firms()
        report = tuple(
            {"role": role, "name": firm.name,
             "company": next(filter(None, map(self.companies.resolve,
                                              (firm.name, *firm.aliases))), None)}
            for role, firm in firms
        )
        found = self._resolved_issuer(record)
        if found is not None:
            return found, report
        named = cpsc_text.title_firm(record.Title)
        makers = [f for role, f in firms if role == "manufacturer"]
        others = makers or [f for _, f in firms]
        base = others[0] if others else None
        country = None
        if makers and base is makers[0]:
            country = cpsc_text.country_code(
                [c.Country for c in record.ManufacturerCountries if c.Country])
        aliases = [a for a in (*(base.aliases if base else ()), named) if a]
        name = base.name if base else (named or record.Title)
        created = self.companies.create(name, role=Role.BRAND, country=country,
                                        aliases=aliases, source=source)
        report = tuple({**f, "company": f["company"] or (created if f["name"] == name else None)}
                       for f in report)
        return created, report

    def _recall(
        self, record: CpscRecall, issuer: str, more: dict[str, Any], source: str
    ) -> Recall | None:
        products: list[Product] = record.power_bank_products()
        fields = recall_fields(record, issuer, products) | more
        where = f"record (RecallNumber={record.RecallNumber})"
        try:
            recall = Recall.model_validate(fields)
        except ValidationError as error:
            self.issues.extend(
                BundleIssue(self.origin, where, ".".join(str(p) for p in d["loc"]),
                            d["msg"].removeprefix("Value error, "))
                for d in error.errors(include_url=False))
            return None
        for entry in recall.scope:
            key = (issuer, model_key(entry.model))
            if self.registry.product(issuer, entry.model) is None and key not in self.products:
                self.products[key] = ProductModel(
                    brand=issuer, model=entry.model, kind=ProductKind.POWER_BANK,
                    sources=(source,))
        return recall


def _scope(recall: Recall) -> tuple[dict[str, Any], ...]:
    return tuple(_entry_json(entry) for entry in recall.scope)


def _entry_json(entry: ScopeEntry) -> dict[str, Any]:
    value: dict[str, Any] = entry.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    value["extracted"] = bool(entry.note and MARK in entry.note)
    return value
