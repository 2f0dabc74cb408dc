"""Serial and batch rules stated plainly in a CPSC description, as scope constraints.

Only sentences that mention serial numbers or batch / lot codes are read, and only these
shapes are taken (everything else stays in the description, and the scope entry says it is
model-wide as far as cellwatch can tell; a sentence that only says where the number is
printed is not a rule):

=================================================  ==================================
"serial numbers containing 000G21, 000H21"         patterns ``*000G21*``, ``*000H21*``
"serial numbers beginning with 57V"                pattern ``57V*``
"… end in D or a number 0-9"                       pattern ``*[0-9D]``
"16-character serial numbers"                      pattern ``????????????????``
"14 characters … starting with 57V"                pattern ``57V???????????``
"serial numbers GK2301000 through GK2309999"       serial range
"batch codes C14-P6, C14-P7"                       batches
=================================================  ==================================

A sentence that says what is *not* included is never turned into a rule; it is quoted next
to the rules so that the person confirming them reads it too. A sentence that names some of
the recall's models applies to those models only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cellwatch.domain.names import model_key

MARK = "extracted from the CPSC description; confirm"
MARK_ZH = "从CPSC说明中提取，请核对"

_TENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
_LENGTH_WORDS = {w: i for i, w in enumerate(_TENS.split(), start=10)}
_MENTION = re.compile(r"serial|\bbatch|\blot\s+(?:codes?|numbers?)", re.I)
_WHERE = re.compile(r"\b(?:printed|located|found|engraved|stamped|appears?)\b", re.I)
_RULE_WORDS = re.compile(r"begin|start|end|contain|through|character|digit|include|only", re.I)
_NEGATIVE = re.compile(r"\bnot\b|\bexclud|\bno\s+other\b", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
_CODE = r"(?-i:[A-Z0-9][A-Z0-9\-]{1,19})"
_LIST = _CODE + r"(?:" + _SEP + _CODE + r")*"
_QUOTE = r"[\"“'‘]?"
_CONTAINS = re.compile(r"contain(?:s|ing)?\s+(?:the\s+)?(?:characters?\s+|codes?\s+|letters?\s+)?"
                       + _QUOTE + "(" + _LIST + ")", re.I)
_PREFIX = re.compile(r"(?:begin(?:s|ning)?|start(?:s|ing)?)\s+with\s+(?:the\s+)?(?:letters?\s+|"
                     r"characters?\s+|numbers?\s+|digits?\s+)?" + _QUOTE
                     + r"((?-i:[A-Z0-9]{1,12})(?:" + _SEP + _QUOTE + r"(?-i:[A-Z0-9]{1,12}))*)",
                     re.I)
_SUFFIX = re.compile(r"end(?:s|ing)?\s+(?:in|with)\s+(.+?)(?=[.;]|$|\s+(?:are|is|were|will)\b)",
                     re.I)
_DIGITS = re.compile(r"\b(?:numbers?|digits?|numerals?)\b|0\s*(?:-|–|to|through)\s*9", re.I)
_LETTER = re.compile(r"(?:letters?\s+)?" + _QUOTE + r"(?-i:\b([A-Z])\b)")
_LENGTH = re.compile(r"\b(\d{1,2}|" + _TENS.replace(" ", "|")
                     + r")[\s-]+(?:characters?|digits?)\b", re.I)
_RANGE = re.compile("(" + _CODE + r")\s+(?:through|to|–)\s+(" + _CODE + ")")
_BATCHES = re.compile(r"(?:batch|lot)\s+(?:codes?|numbers?)\s*:?\s*(?:are\s+|include\s+)?("
                      + _LIST + ")", re.I)


@dataclass(frozen=True)
class Rule:
    """Constraints read from one sentence, for the models it names (none named: all)."""

    sentence: str
    models: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    batches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    rules: tuple[Rule, ...]
    caveats: tuple[str, ...]  # negative sentences, quoted with the rules
    unread: tuple[str, ...]  # sentences about serials or batches that gave no rule


def _codes(text: str) -> list[str]:
    return [c for c in re.split(_SEP, text.strip(" \"“”'‘’")) if c]


def _length(sentence: str) -> int | None:
    found = _LENGTH.search(sentence)
    if not found:
        return None
    word = found.group(1).lower()
    return _LENGTH_WORDS.get(word) or int(word)


def _suffixes(sentence: str) -> list[str]:
    found = _SUFFIX.search(sentence)
    if not found:
        return []
    alternatives = found.group(1)
    letters = sorted(set(_LETTER.findall(alternatives)))
    digits = bool(_DIGITS.search(alternatives))
    words = _DIGITS.sub(" ", alternatives)
    longer = [c for c in re.findall(_CODE, words) if len(c) > 1]
    if not (letters or digits):
        return longer
    single = ("0-9" if digits else "") + "".join(letters)
    return [*longer, single if len(single) == 1 else f"[{single}]"]


def _patterns(sentence: str) -> list[str]:
    contains = _CONTAINS.search(sentence)
    if contains:
        return [f"*{code}*" for code in _codes(contains.group(1))]
    prefix = _PREFIX.search(sentence)
    prefixes = [c.strip("\"“”'‘’") for c in _codes(prefix.group(1))] if prefix else []
    suffixes, length = _suffixes(sentence), _length(sentence)
    if not (prefixes or suffixes or length):
        return []
    patterns = []
    for start in prefixes or [""]:
        for end in suffixes or [""]:
            width = 1 if end.startswith("[") else len(end)
            if length is not None:
                middle = length - len(start) - width
                if middle >= 0:
                    patterns.append(start + "?" * middle + end)
            elif start or end:
                patterns.append(f"{start}*{end}")
    return patterns


def read_rules(description: str, models: tuple[str, ...]) -> Reading:
    """Every plainly stated serial or batch rule in ``description``."""
    keys = {model_key(m): m for m in models}
    rules: list[Rule] = []
    caveats: list[str] = []
    unread: list[str] = []
    for sentence in _SENTENCES.split(" ".join(description.split())):
        if not _MENTION.search(sentence):
            continue
        if _NEGATIVE.search(sentence):
            caveats.append(sentence)
            continue
        named = tuple(dict.fromkeys(
            keys[model_key(t)] for t in re.findall(r"[A-Za-z0-9\-]+", sentence)
            if model_key(t) in keys))
        batches = tuple(_codes(found.group(1))) if (found := _BATCHES.search(sentence)) else ()
        ranges = tuple((a, b) for a, b in _RANGE.findall(sentence) if len(a) == len(b) and a < b)
        patterns = () if ranges or batches else tuple(_patterns(sentence))
        if patterns or ranges or batches:
            rules.append(Rule(sentence, named, patterns, ranges, batches))
        elif not (_WHERE.search(sentence) and not _RULE_WORDS.search(sentence)):
            unread.append(sentence)  # (one that only says where the number is printed is not)
    if not rules:
        unread.extend(caveats)
        caveats = []
    return Reading(tuple(rules), tuple(caveats), tuple(unread))


def confirm_note(sentences: list[str]) -> str:
    quoted = " ".join(f"“{s}”" for s in sentences)
    return f"{MARK}: {quoted} / {MARK_ZH}：{quoted}"


def model_wide_note(sentences: list[str]) -> str:
    quoted = " ".join(f"“{s}”" for s in sentences)
    return (f"model-wide as far as cellwatch can tell: the CPSC description states a rule it "
            f"did not extract; read it: {quoted} / 全型号（就cellwatch所知）：CPSC说明中有未能"
            f"提取的范围规则，请阅读：{quoted}")
