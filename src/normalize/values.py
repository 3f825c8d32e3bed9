"""Numeric cell values: integers and decimals, full-width digits, thousands separators, units.

Never invents a number: anything that is not clearly a number becomes NULL with a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from nianbao.normalize.model import NullReason
from nianbao.vocabulary import VOCAB

_UNITS = sorted(VOCAB.recognition.units, key=len, reverse=True)
_NULL_MARKERS = {unicodedata.normalize("NFKC", m) for m in VOCAB.recognition.null_markers}
_NEG_WORDS = sorted(VOCAB.recognition.negative_words, key=len, reverse=True)
_POS_WORDS = sorted(VOCAB.recognition.positive_words, key=len, reverse=True)
_NUMBER = re.compile(r"^([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedValue:
    value: Decimal | None
    unit: str | None = None
    note: str | None = None
    blank: bool = False
    null_reason: NullReason | None = None  # set exactly when value is None

    @property
    def is_number(self) -> bool:
        return self.value is not None


@lru_cache(maxsize=65536)
def parse_value(raw: str | None) -> ParsedValue | None:
    """A ParsedValue for anything that belongs in a numeric cell (number, blank, dash, 无),
    or None when the text is not a value at all (a label, a sentence)."""
    text = _WS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        return ParsedValue(None, blank=True, null_reason=NullReason.BLANK)
    if text in _NULL_MARKERS or set(text) <= {"-", "—", "–", "/", "－"}:
        return ParsedValue(None, note=f"'{raw.strip()}' in a numeric cell: stored as NULL",
                           null_reason=NullReason.DASH)
    unit = None
    for u in _UNITS:
        if text.endswith(u) and len(text) > len(u):
            unit, text = u, text[: -len(u)]
            break
    sign = ""
    for w in _NEG_WORDS:
        if text.startswith(w) and len(text) > len(w):
            sign, text = "-", text[len(w):]
            break
    else:
        for w in _POS_WORDS:
            if text.startswith(w) and len(text) > len(w):
                text = text[len(w):]
                break
    m = _NUMBER.match(text)
    if not m:
        return None
    if m.group(1) in ("-", "−"):
        sign = "-" if sign == "" else ""
    try:
        value = Decimal(sign + m.group(2).replace(",", "") + (m.group(3) or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None
    return ParsedValue(value, unit=unit)


def is_value_text(raw: str | None) -> bool:
    return parse_value(raw) is not None


def as_int(parsed: ParsedValue) -> tuple[int | None, str | None, NullReason | None]:
    """Counts must be whole numbers; a fraction in a count cell is NULL with a note and a reason."""
    if parsed.value is None:
        return None, parsed.note, parsed.null_reason
    if parsed.value != parsed.value.to_integral_value():
        return None, f"{parsed.value} is not a whole number in a count cell: stored as NULL", NullReason.NOT_WHOLE
    return int(parsed.value), parsed.note, None


def unreadable_note(raw: str) -> str:
    """The note of printed text in a numeric cell that is not a number."""
    return f"'{raw.strip()}' is not a number: stored as NULL"
