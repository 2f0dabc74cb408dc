"""Languages of the pages: which one a request gets, and the words of each page.

A page is in English (``en``) or Simplified Chinese (``zh``, written ``zh-Hans`` in the
``lang`` attribute). The language is taken from, in order:

1. ``?lang=en`` or ``?lang=zh`` in the URL (and then remembered in a cookie),
2. the ``cellwatch_lang`` cookie,
3. the browser's ``Accept-Language`` header (``zh-CN``, ``zh-TW``, ``zh`` → Chinese),
4. English.

The words are the catalogue in :mod:`cellwatch.web.messages`; a page asks for them by key
through a :class:`Translator` (``t("check.title")`` in a template). Texts that come with
the data (a rule's reason, a recall's title) are :class:`~cellwatch.domain.records.Text`
values and are shown with :func:`pick`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from cellwatch.domain.companies import Company
from cellwatch.domain.records import Text
from cellwatch.web.messages import MESSAGES

LANGUAGES = ("en", "zh")
DEFAULT = "en"
COOKIE = "cellwatch_lang"
#: The value of the ``lang`` attribute of a page, per language.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
#: The name of each language, written in that language (for the switch).
NAMES = {"en": "English", "zh": "简体中文"}


def from_query(request: Request) -> str | None:
    """The language named by ``?lang=``, when it is one the pages have."""
    value = request.query_params.get("lang", "").strip().lower()
    if value in ("zh-hans", "zh-cn", "cn"):
        value = "zh"
    return value if value in LANGUAGES else None


def from_accept_language(header: str) -> str | None:
    """The best supported language of an ``Accept-Language`` header (``None``: none)."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if quality <= 0:
            continue
        candidate = (quality, -position, primary)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def language(request: Request) -> str:
    """The language of the page answering ``request``."""
    found = from_query(request)
    if found:
        return found
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    return from_accept_language(request.headers.get("accept-language", "")) or DEFAULT


def pick(value: Text | Mapping[str, Any] | str | None, lang: str) -> str:
    """The words of a bilingual value in ``lang`` (English when there is no Chinese)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Text):
        return value.get(lang)
    chosen = value.get(lang) or value.get("en") or ""
    return str(chosen)


def company_name(company: Company | None, lang: str, fallback: str = "") -> str:
    """A company's name in ``lang`` (its Chinese name on a Chinese page, when it has one)."""
    if company is None:
        return fallback
    if lang == "zh":
        return company.names.get("zh") or company.name
    return company.names.get("en") or company.name


@dataclass(frozen=True)
class Translator:
    """The catalogue's words in one language: ``t("key", name=...)``."""

    lang: str

    def __call__(self, key: str, **values: Any) -> str:
        en, zh = MESSAGES[key]
        words = zh if self.lang == "zh" else en
        return words.format(**values) if values else words

    def text(self, key: str, **values: Any) -> Text:
        """The message in both languages (for errors shown and kept)."""
        en, zh = MESSAGES[key]
        if values:
            return Text(en=en.format(**values), zh=zh.format(**values))
        return Text(en=en, zh=zh)

    @property
    def other(self) -> str:
        """The language a switch on the page leads to."""
        return "zh" if self.lang == "en" else "en"
