"""Query parameters of a page, read into a pydantic model, with every problem explained in
English and Chinese.

A page never fails on an odd URL: :func:`read` keeps only the parameters the model knows
(``lang`` and anything else are left alone), treats an empty field as not given, and
returns either the model or the list of :class:`Problem` to show above the form, each
naming the field by its label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cellwatch.domain.records import Text
from cellwatch.web.i18n import Translator
from cellwatch.web.messages import MESSAGES

M = TypeVar("M", bound=BaseModel)

#: Longest value of any one parameter a page reads (the models bound most fields lower).
MAX_VALUE = 500


@dataclass(frozen=True)
class Problem:
    """One invalid value: the field (its form name) and what is wrong, in both languages."""

    field: str
    message: Text


def given(params: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The non-empty values of ``names`` in ``params``, stripped."""
    found: dict[str, str] = {}
    for name in names:
        value = params.get(name)
        if value is not None and value.strip():
            found[name] = value.strip()
    return found


def read(
    model: type[M], params: Mapping[str, str], names: Iterable[str] | None = None
) -> tuple[M | None, list[Problem]]:
    """``model`` from the parameters it has fields for, or the problems found."""
    fields = list(names) if names is not None else list(model.model_fields)
    values = given(params, fields)
    long = too_long(values)
    if long:
        return None, long
    try:
        return model.model_validate(values), []
    except ValidationError as error:
        return None, problems(error)


def too_long(values: Mapping[str, str]) -> list[Problem]:
    """A problem for each value longer than :data:`MAX_VALUE`."""
    return [Problem(name, _message("too_long", name, max_length=MAX_VALUE))
            for name, value in values.items() if len(value) > MAX_VALUE]


def problems(error: ValidationError, *, nested: bool = False) -> list[Problem]:
    """Every problem of a validation error, one per field and kind.

    With ``nested``, a field of a nested model is named by its path joined with ``_``
    (``contact.email`` is the form field ``contact_email``)."""
    found: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for issue in error.errors(include_url=False):
        loc = [str(part) for part in issue["loc"]]
        name = ("_".join(loc) if nested else loc[0]) if loc else ""
        kind = str(issue["type"])
        if (name, kind) in seen:
            continue
        seen.add((name, kind))
        found.append(Problem(name, explain(name, kind, issue.get("ctx") or {}, issue["msg"])))
    return found


def explain(name: str, kind: str, context: Mapping[str, Any], message: str) -> Text:
    """A pydantic error as a sentence naming the field, in both languages."""
    detail = str(message).removeprefix("Value error, ")
    if kind in ("missing", "string_too_short"):
        return _message("required", name)
    if kind == "string_too_long":
        return _message("too_long", name, max_length=context.get("max_length", ""))
    if kind == "string_pattern_mismatch" or (kind == "value_error" and "date" in detail):
        key = f"form.format.{name}"
        if key in MESSAGES:
            return _message("format", name, form=_both(key))
        return _message("invalid", name, detail=detail)
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _message("whole_number", name)
    if kind in ("float_parsing", "float_type", "finite_number"):
        return _message("number", name)
    bounds = {
        "greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
        "less_than_equal": "le",
    }
    if kind in bounds:
        bound = bounds[kind]
        return _message(bound, name, limit=context.get(bound, ""))
    if kind in ("enum", "literal_error"):
        return _message("choice", name, expected=context.get("expected", ""))
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _message("format", name, form=_both("form.format.date"))
    return _message("invalid", name, detail=detail)


def _both(key: str) -> Text:
    return Translator("en").text(key)


def _message(kind: str, name: str, **values: Any) -> Text:
    """``form.error.<kind>`` for the field called ``name``, in both languages."""
    label_key = f"field.{name}"
    en_label, zh_label = MESSAGES.get(label_key, (name, name))
    form = values.pop("form", None)
    en_values = dict(values, form=form.en) if isinstance(form, Text) else values
    zh_values = dict(values, form=form.zh) if isinstance(form, Text) else values
    en, zh = MESSAGES[f"form.error.{kind}"]
    return Text(
        en=en.format(field=en_label, **en_values), zh=zh.format(field=zh_label, **zh_values)
    )
