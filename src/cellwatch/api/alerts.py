"""Schemas of the change feed and of watches (input and public), and the Atom rendering."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from pydantic import BaseModel, ConfigDict, Field

from cellwatch.alerts.watches import MAX_UNITS
from cellwatch.domain.events import EventType
from cellwatch.store.events import StoredEvent

Name = Annotated[str, Field(min_length=1, max_length=200)]


class UnitIn(BaseModel):
    """One unit of a watched inventory."""

    model_config = ConfigDict(extra="forbid")

    brand: Name
    model: Name
    serial: Annotated[str, Field(max_length=100)] | None = None
    batch: Annotated[str, Field(max_length=100)] | None = None
    produced: Annotated[str, Field(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")] \
        | None = None
    label: Annotated[str, Field(max_length=200, description="Your own reference")] | None = None


class WatchCreate(BaseModel):
    """A watch: what to hear about, and the webhook that hears it."""

    model_config = ConfigDict(extra="forbid")

    name: Name = "watch"
    url: Annotated[str, Field(max_length=2000, description="http(s) webhook address")]
    types: list[EventType] = Field(default_factory=list, max_length=10,
                                   description="Event types; empty: every type.")
    brands: list[Name] = Field(default_factory=list, max_length=200)
    models: list[Name] = Field(default_factory=list, max_length=1000,
                               description="brand/model, e.g. romoss/PAC20-272")
    companies: list[Name] = Field(
        default_factory=list, max_length=200,
        description="Companies; a cell maker counts for every model its cells reach.",
    )
    units: list[UnitIn] = Field(default_factory=list, max_length=MAX_UNITS)


class WatchCreated(BaseModel):
    id: int
    secret: str = Field(description="The HMAC-SHA256 signing key, shown only now.")


class WatchPublic(BaseModel):
    id: int
    name: str
    owner: str
    url: str
    types: list[str]
    brands: list[str]
    models: list[str]
    companies: list[str]
    units: int
    created_at: str
    removed_at: str | None
    last_event: int
    deliveries: dict[str, int]


class EventPublic(BaseModel):
    id: int = Field(description="The feed position: pass the last one seen as ?since=")
    event_id: str = Field(description="Unique id, for de-duplication")
    type: EventType
    at: str
    actor: str
    kind: str
    key: str
    title: dict[str, str | None]
    subjects: dict[str, list[str]]
    record: dict[str, Any]


class EventPage(BaseModel):
    events: list[EventPublic]
    next: int = Field(description="Pass as ?since= to read on")


ATOM = "http://www.w3.org/2005/Atom"
_RECORD_PATHS = {"recall": "/v1/recalls/{}", "incident": "/v1/incidents/{}"}


def atom(events: list[StoredEvent], *, feed_url: str, base_url: str, lang: str) -> bytes:
    """An Atom 1.0 feed of ``events`` (newest first), titled in ``lang`` (en or zh)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang":
                                          "zh-Hans" if lang == "zh" else "en"})
    _add(feed, "id", feed_url)
    _add(feed, "title", "cellwatch：召回、证书与事件" if lang == "zh"
         else "cellwatch: recalls, certificates and incidents")
    updated = events[0].at if events else dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    _add(feed, "updated", _time(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", "cellwatch")
    for event in events:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", f"urn:uuid:{event.event_id}")
        _add(entry, "title", event.title.get(lang))
        _add(entry, "updated", _time(event.at))
        _add(entry, "published", _time(event.at))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=event.type.value)
        path = _RECORD_PATHS.get(event.kind)
        if path is None and event.kind == "certificate_status":
            path = "/v1/certificates/{}"
            key = event.key.split("/", 1)[0]
        else:
            key = event.key
        if path is not None:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate",
                          href=base_url.rstrip("/") + path.format(key))
        summary = "\n".join(t for t in (event.title.en, event.title.zh) if t)
        _add(entry, "summary", summary)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _add(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value


def _time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
