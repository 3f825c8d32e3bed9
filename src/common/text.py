"""Text utilities every layer shares: the cleaning every comparison starts from (NFKC, 繁 -> 简,
brackets unified, whitespace removed) and dates as reports and portals print them (2023年1月5日,
2023-01-05, 二〇二三年一月五日)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import zhconv

from nianbao.vocabulary import VOCAB

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")", "[": "(", "]": ")",
                           "｛": "(", "｝": ")", "{": "(", "}": ")"})
_WS = re.compile(r"\s+")
_DATE_CHARS = VOCAB.recognition.date_chars
_Y, _M, _D = _DATE_CHARS.year, _DATE_CHARS.month, _DATE_CHARS.day
_DATE_RE = re.compile(rf"((?:19|20)\d{{2}})\s*[{_Y}\-/.]\s*(\d{{1,2}})\s*[{_M}\-/.]\s*(\d{{1,2}})\s*{_D}?")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return zhconv.convert(text, "zh-hans")


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """NFKC (full width -> half width), 繁 -> 简, brackets unified, all whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text)
    text = text.translate(_BRACKETS)
    return _WS.sub("", text)


_DIGITS = VOCAB.recognition.date_digits
_DIGIT_VARIANTS = VOCAB.recognition.date_digit_variants
_TEN = VOCAB.recognition.date_ten
_CN_NUMBER = re.compile(f"[{_DIGITS}{''.join(_DIGIT_VARIANTS)}{_TEN}]+(?=[{_Y}{_M}{_D}])")


def _cn_number(run: str) -> str:
    """二〇二三 -> 2023, 十六 -> 16, 二十 -> 20, 三十一 -> 31."""
    run = "".join(_DIGIT_VARIANTS.get(ch, ch) for ch in run)
    if _TEN in run:
        tens, _, ones = run.partition(_TEN)
        return str((_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0))
    return "".join(str(_DIGITS.index(ch)) for ch in run)


def parse_date(text: str) -> date | None:
    text = _CN_NUMBER.sub(lambda m: _cn_number(m.group(0)), clean_text(text) if text else "")
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_date_line(text: str) -> date | None:
    """The date of a text that is only a date (a report's signature line), else None."""
    cleaned = _CN_NUMBER.sub(lambda m: _cn_number(m.group(0)), clean_text(text) if text else "")
    if 8 <= len(cleaned) <= 12 and _DATE_RE.fullmatch(cleaned):
        return parse_date(cleaned)
    return None
