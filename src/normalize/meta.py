"""Report title, agency, year and dates from the title, the metadata and the body text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from nianbao.extract.model import Document
from nianbao.normalize.labels import clean_text
from nianbao.spec import SPEC

_MARKERS = sorted((clean_text(m) for m in SPEC.vocab("title_markers")), key=len, reverse=True)
_YEAR_SUFFIXES = sorted(SPEC.vocab("title_year_suffixes"), key=len, reverse=True)
_BRACKETS = "".join(SPEC.vocab("title_brackets"))
_YEAR_RE = re.compile(r"((?:19|20)\d{2})(?:" + "|".join(map(re.escape, _YEAR_SUFFIXES)) + ")")
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_ORG_SUFFIXES = sorted(SPEC.vocab("agency_suffixes"), key=len, reverse=True)
_REGION_SUFFIXES = sorted(SPEC.vocab("region_suffixes"), key=len, reverse=True)
_ABBREVIATIONS = SPEC.vocab("agency_abbreviations")
_CATEGORY_WORDS = sorted({w for ws in SPEC.vocab("agency_categories").values() for w in ws}, key=len, reverse=True)
_TITLE_SEPARATORS = re.compile(r"[_|｜]|--|—|-(?=[^\d])")


@dataclass(frozen=True)
class TitleInfo:
    title: str
    agency: str | None
    year: int | None


def parse_title(text: str) -> TitleInfo | None:
    """《XX2021年政府信息公开工作年度报告》, 《2019年XX…》, 《XX2021年度政府信息公开工作报告》."""
    cleaned = clean_text(text)
    for part in _TITLE_SEPARATORS.split(cleaned):
        part = part.strip(_BRACKETS + " ")
        marker = next((m for m in _MARKERS if m in part), None)
        if marker is None:
            continue
        head = part[: part.index(marker)]
        m = None
        for m in _YEAR_RE.finditer(head):
            pass
        year = int(m.group(1)) if m else None
        agency = (head[: m.start()] + head[m.end():]) if m else head
        agency = agency.strip(_BRACKETS + " ") or None
        return TitleInfo(title=part, agency=agency, year=year)
    return None


def find_title(document: Document) -> TitleInfo | None:
    candidates = []
    for block in document.text_blocks[:40]:
        candidates.append(block.text)
    for key in ("articletitle", "title"):
        if key in document.metadata:
            candidates.append(document.metadata[key])
    if document.title:
        candidates.append(document.title)
    best: TitleInfo | None = None
    for text in candidates:
        if len(clean_text(text)) > 80:
            continue
        info = parse_title(text)
        if info is None:
            continue
        if info.year and info.agency:
            return info
        best = best or info
    return best


def _has_region(name: str) -> bool:
    """Whether a name starts with its own region (舞阳县…, 上海市…) rather than being bare (工信局)."""
    stripped = name
    for word in _CATEGORY_WORDS:
        stripped = stripped.replace(word, "")
    for suffix in _REGION_SUFFIXES:
        idx = stripped.find(suffix)
        if idx >= 2:
            return True
    return False


def _expand(name: str) -> str:
    for short, full in sorted(_ABBREVIATIONS.items(), key=lambda kv: -len(kv[0])):
        if short in name and full not in name:
            name = name.replace(short, full)
    return name


def _region_prefixes(text: str, core: str) -> Counter[str]:
    """Region names written right before `core` in the text, counted by how often each region
    name occurs anywhere in the text (the true name recurs; a preceding verb does not)."""
    found: Counter[str] = Counter()
    start = 0
    while True:
        idx = text.find(core, start)
        if idx < 0:
            break
        start = idx + 1
        before = text[max(0, idx - 12): idx]
        for length in range(2, len(before) + 1):
            prefix = before[-length:]
            if any(prefix.endswith(s) for s in _REGION_SUFFIXES):
                found[prefix] = text.count(prefix)
    return found


def resolve_agency_name(title_agency: str | None, body: str) -> str | None:
    """The agency's full name: the title's name, expanded (工信局 -> 工业和信息化局) and given
    its region from the body when the title leaves it out (-> 舞阳县工业和信息化局)."""
    if not title_agency:
        return None
    name = clean_text(title_agency)
    if _has_region(name) and name in body:
        return name
    expanded = _expand(name)
    for core in dict.fromkeys([expanded, name]):
        if _has_region(core):
            if core in body:
                return core
            continue
        prefixes = _region_prefixes(body, core)
        if prefixes:
            best = max(prefixes.items(), key=lambda kv: (kv[1], len(kv[0])))
            return best[0] + core
        if core != name and core in body:
            return core
    return expanded if _has_region(expanded) else name


def parse_date(text: str) -> date | None:
    m = _DATE_RE.search(clean_text(text) if text else "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_signed_on(document: Document) -> date | None:
    """The document's own date line (a short block that is only a date), the last one wins."""
    found = None
    for block in document.text_blocks:
        cleaned = clean_text(block.text)
        if 8 <= len(cleaned) <= 12:
            m = _DATE_RE.fullmatch(cleaned)
            if m:
                found = parse_date(cleaned) or found
    return found


def find_published_on(document: Document) -> date | None:
    for key in ("pubdate", "publishdate", "firstpublishedtime", "published_time", "article:published_time"):
        if key in document.metadata:
            d = parse_date(document.metadata[key])
            if d:
                return d
    labels = [clean_text(lbl) for lbl in SPEC.vocab("date_labels")[:2]]
    for block in document.text_blocks[:60]:
        cleaned = clean_text(block.text)
        for label in labels:
            idx = cleaned.find(label)
            if idx >= 0:
                d = parse_date(cleaned[idx + len(label): idx + len(label) + 20])
                if d:
                    return d
    for table in document.tables[:3]:
        for row in table.rows:
            texts = [c.text for c in row]
            for i, t in enumerate(texts):
                if any(label in clean_text(t) for label in labels):
                    for candidate in [t] + texts[i + 1: i + 3]:
                        d = parse_date(candidate)
                        if d:
                            return d
    return None
