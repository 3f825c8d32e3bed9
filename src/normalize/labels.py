"""Label normalisation and matching: the only place that decides whether two labels are 'the same'.

Real reports vary width, spacing, punctuation, quotes, numbering, script (繁/简), add notes in
parentheses and contain typos; every label is reduced to a key before it is compared.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from nianbao.common.text import clean_text
from nianbao.vocabulary import VOCAB

_NUMERALS = "".join(VOCAB.recognition.chinese_numerals)
_QUOTES = "\"'“”‘’「」『』`´"
_PUNCT = "、，,。.．：:；;·・!！?？…-—–_~～/／\\|｜*＊#＃"
_DROP = str.maketrans("", "", _QUOTES + _PUNCT)
# Leading numbering: 一、 (一) 1. 1、 (1) ① 第一 …
_NUMBERING = re.compile(
    rf"^(?:\(?[{_NUMERALS}]+\)|[{_NUMERALS}]+[、.,，．]|\(?\d{{1,2}}\)|\d{{1,2}}(?:[、.,，．]|(?=[^\d.,]))|[\u2460-\u2473])"
)
_PAREN_NOTE = re.compile(r"\([^()]*\)")


def split_numbering(text: str) -> tuple[str, str]:
    """('(一)', '予以公开') from '(一)予以公开'; text must be clean_text'ed."""
    m = _NUMBERING.match(text)
    if not m:
        return "", text
    return m.group(0), text[m.end():]


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The comparison key of a row or column label: clean, numbering and notes in parentheses
    removed, punctuation and quotes dropped, known variants mapped to their canonical form."""
    text = clean_text(text)
    _, text = split_numbering(text)
    # Notes in parentheses (…（区分处理的…）, 本年(2023)制发件数, （单位：万元）) carry no identity.
    previous = None
    while previous != text:
        previous = text
        text = _PAREN_NOTE.sub("", text)
    text = text.translate(_DROP)
    text = text.replace("(", "").replace(")", "")
    return _VARIANTS.get(text, text)


@lru_cache(maxsize=65536)
def heading_key(text: str) -> str:
    """Key for headings where the parenthesised numbering is the identity (第二十条第（一）项)."""
    return clean_text(text).translate(_DROP)


@lru_cache(maxsize=262144)
def similarity(observed_key: str, canonical_key: str) -> float:
    """0..100. Exact keys score 100; a truncated label (本年新 for 本年新制作数量) or one with a
    province's trailing note scores by prefix; otherwise edit-distance ratio."""
    if not observed_key or not canonical_key:
        return 0.0
    if observed_key == canonical_key:
        return 100.0
    score = fuzz.ratio(observed_key, canonical_key)
    shorter, longer = sorted((observed_key, canonical_key), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):
        score = max(score, 80.0 + 15.0 * len(shorter) / len(longer))
    # A single label column may prefix the group: 不予公开-1.属于国家秘密 for 1.属于国家秘密.
    if len(canonical_key) >= 2 and observed_key.endswith(canonical_key):
        score = max(score, 80.0 + 15.0 * len(canonical_key) / len(observed_key))
    return float(score)


def best_match(observed: str, candidates: dict[str, str], threshold: float = 72.0) -> tuple[str | None, float]:
    """The candidate code whose label is most similar to `observed`, if any reaches threshold."""
    key = label_key(observed)
    best_code, best_score = None, 0.0
    for code, label in candidates.items():
        score = similarity(key, label_key(label))
        if score > best_score:
            best_code, best_score = code, score
    if best_score < threshold:
        return None, best_score
    return best_code, best_score


def _build_variants() -> dict[str, str]:
    variants: dict[str, str] = {}
    for variant, canonical in VOCAB.recognition.label_variants.items():
        v = clean_text(variant).translate(_DROP)
        c = clean_text(canonical).translate(_DROP)
        if v != c:
            variants[v] = c
    return variants


_VARIANTS = _build_variants()


