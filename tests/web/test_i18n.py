"""The catalogue of words: complete in both languages, and every key a page asks for exists;
the language a request gets."""

from __future__ import annotations

import re
import string
from importlib import resources

import pytest
from starlette.requests import Request

from cellwatch.domain.companies import LinkType, Role
from cellwatch.domain.products import ProductKind
from cellwatch.domain.recalls import RecallKind
from cellwatch.rules.facts import Baggage, CertificateState, Mark, RecallStatus, Verdict
from cellwatch.web import check, i18n, supply_graph
from cellwatch.web.messages import MESSAGES
from cellwatch.web.pages import NAV

HAN = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = resources.files("cellwatch.web").joinpath("templates")
SOURCES = resources.files("cellwatch.web")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_in_both_languages(key: str) -> None:
    en, zh = MESSAGES[key]
    assert en.strip() and zh.strip()
    assert HAN.search(zh) or key in {"error.detail", "common.colon"}, f"{key}: {zh!r}"
    assert _fields(en) == _fields(zh), key


def _template_texts() -> str:
    return "\n".join(f.read_text(encoding="utf-8") for f in TEMPLATES.iterdir()
                     if f.name.endswith(".html"))


def test_every_key_a_page_uses_exists() -> None:
    texts = _template_texts()
    texts += "\n".join(f.read_text(encoding="utf-8") for f in SOURCES.iterdir()
                       if f.name.endswith(".py"))
    literal = set(re.findall(r"""\bt(?:\.text)?\(\s*['"]([a-z_]+\.[a-z0-9_.]+)['"]""", texts))
    assert literal, "no key found: the pattern is wrong"
    missing = sorted(k for k in literal if k not in MESSAGES and not k.endswith("."))
    assert missing == []


@pytest.mark.parametrize(("prefix", "values"), [
    ("verdict.", [v.value for v in Verdict]),
    ("recall_status.", [v.value for v in RecallStatus]),
    ("cert_state.", [v.value for v in CertificateState]),
    ("mark.", [v.value for v in Mark]),
    ("baggage.", [v.value for v in Baggage]),
    ("role.", [v.value for v in Role]),
    ("link.", [v.value for v in LinkType] + [f"{v.value}.inverse" for v in LinkType]),
    ("recall.kind.", [v.value for v in RecallKind]),
    ("certificate.kind.", [v.value for v in ProductKind]),
    ("impact.layer.", list(supply_graph.LAYERS)),
    ("field.", [*check.FIELDS, "batch", "serial", "produced"]),
    ("", [item.key for item in NAV]),
    ("", [group.key for group in check.trip_groups()]),
])
def test_every_value_a_page_names_has_words(prefix: str, values: list[str]) -> None:
    assert [v for v in values if f"{prefix}{v}" not in MESSAGES] == []


def _request(query: str = "", headers: dict[str, str] | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "path": "/", "query_string":
                    query.encode(), "headers": raw})


@pytest.mark.parametrize(("query", "headers", "expected"), [
    ("lang=zh", {"Accept-Language": "en"}, "zh"),
    ("lang=zh-Hans", {}, "zh"),
    ("lang=en", {"Cookie": "cellwatch_lang=zh"}, "en"),
    ("lang=fr", {"Accept-Language": "zh"}, "zh"),
    ("", {"Cookie": "cellwatch_lang=zh", "Accept-Language": "en"}, "zh"),
    ("", {"Cookie": "cellwatch_lang=xx", "Accept-Language": "zh-CN"}, "zh"),
    ("", {"Accept-Language": "de, en;q=0.3, zh;q=0.2"}, "en"),
    ("", {"Accept-Language": "zh;q=0, en;q=0.1"}, "en"),
    ("", {"Accept-Language": "zh;q=abc"}, "en"),
    ("", {}, "en"),
])
def test_the_language_of_a_request(query: str, headers: dict[str, str], expected: str) -> None:
    assert i18n.language(_request(query, headers)) == expected


def test_pick_and_names() -> None:
    assert i18n.pick({"en": "Recall", "zh": "召回"}, "zh") == "召回"
    assert i18n.pick({"en": "Recall"}, "zh") == "Recall"
    assert i18n.pick(None, "en") == ""
    assert i18n.Translator("zh")("list.page", page=2, pages=3) == "第 2 / 3 页"
