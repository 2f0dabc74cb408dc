"""How names, model codes and serial numbers are compared.

People type "ROMOSS", "Romoss Technology Co., Ltd." and "罗马仕"; labels print
"PAC20-272" and people type "pac20 272"; OCR reads "O" for "0". Each comparison here
folds away what does not distinguish one thing from another.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_LEGAL_TOKENS = frozenset(
    {"co", "ltd", "limited", "inc", "incorporated", "llc", "corp", "corporation",
     "company", "gmbh", "plc", "sa", "ag", "bv", "kk"}
)
_LEGAL_ZH_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")
_CODE_SEPARATORS = re.compile(r"[\s\-_.]+")
_SERIAL_SEPARATORS = re.compile(r"[\s\-]+")
_SERIAL_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1", "Z": "2"})


def fold_name(name: str) -> str:
    """Fold a company name for comparison: case, width, punctuation and legal form ignored.

    >>> fold_name("Amprius (Wuxi) Co., Ltd.") == fold_name("AMPRIUS WUXI")
    True
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    for suffix in _LEGAL_ZH_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    tokens = [token for token in _NON_WORD.split(text) if token]
    while len(tokens) > 1 and tokens[-1] in _LEGAL_TOKENS:
        tokens.pop()
    return "".join(tokens)


@lru_cache(maxsize=1 << 16)
def model_key(code: str) -> str:
    """Fold a model or batch code: case, width, spaces, ``-``, ``_`` and ``.`` ignored.

    >>> model_key("pac20 272") == model_key("PAC20-272")
    True

    Remembered: the same few codes are folded again and again by every check.
    """
    return _CODE_SEPARATORS.sub("", _nfkc(code)).upper()


def serial_key(serial: str) -> str:
    """Normalise a serial number as printed: width, case, spaces and hyphens ignored."""
    return _SERIAL_SEPARATORS.sub("", _nfkc(serial)).upper()


def _nfkc(text: str) -> str:
    """NFKC normal form; ASCII text already is one (the common case, and much cheaper)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def fold_serial(serial: str) -> str:
    """Fold the characters people and OCR confuse: O→0, I and L→1, Z→2."""
    return serial_key(serial).translate(_SERIAL_CONFUSABLES)


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
