"""Report title, agency, year and dates from the title, the metadata and the body text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nianbao.common.text import clean_text, parse_date, parse_date_line
from nianbao.extract.model import Document, Provenance
from nianbao.vocabulary import VOCAB

_MARKERS = sorted((clean_text(m) for m in VOCAB.recognition.title_markers), key=len, reverse=True)
_YEAR_SUFFIXES = sorted(VOCAB.recognition.title_year_suffixes, key=len, reverse=True)
_BRACKETS = "".join(VOCAB.recognition.title_brackets)
_YEAR_RE = re.compile(r"((?:19|20)\d{2})(?:" + "|".join(map(re.escape, _YEAR_SUFFIXES)) + ")")
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
    """The report's title: the page's own title first (blocks near the top may link other
    years' reports), then the first text blocks, also two consecutive blocks joined (a title
    wrapped over two lines). A candidate that ends with the title words beats one that runs
    on (a narrative sentence that mentions 'this year's annual report')."""
    candidates = []
    for key in ("articletitle", "title"):
        if key in document.metadata:
            candidates.append(document.metadata[key])
    if document.title:
        candidates.append(document.title)
    blocks = [b.text for b in document.text_blocks[:40]]
    for i, text in enumerate(blocks):
        candidates.append(text)
        if i + 1 < len(blocks) and len(clean_text(text)) <= 40:
            candidates.append(text + blocks[i + 1])
    parsed = []
    for text in candidates:
        if len(clean_text(text)) > 80:
            continue
        info = parse_title(text)
        if info is not None:
            parsed.append(info)
    for require_end in (True, False):
        for info in parsed:
            ends = any(info.title.rstrip(_BRACKETS + " ").endswith(m) for m in _MARKERS)
            if info.year and info.agency and (ends or not require_end):
                return info
    return parsed[0] if parsed else None


def locate_signed_on(document: Document) -> tuple[date, Provenance] | None:
    """The document's own date line (a short block that is only a date), the last one wins."""
    found = None
    for block in document.text_blocks:
        d = parse_date_line(block.text)
        if d:
            found = (d, block.provenance)
    return found


# <meta name=…> holding the publication date (TRS PubDate and the like), lower case: the same list
# the crawler reads.
_DATE_META = VOCAB.crawl.date_meta


def locate_published_on(document: Document) -> tuple[date, Provenance] | None:
    """The publication date and where it was read: a <meta> tag, else the date after 发布日期/发布时间
    in the first blocks or in a metadata table (索引号/发布机构/发布日期 …)."""
    for key in _DATE_META:
        if key in document.metadata:
            d = parse_date(document.metadata[key])
            if d:
                return d, Provenance(document=document.path, locator=f'<meta name="{key}">')
    labels = [clean_text(lbl) for lbl in VOCAB.recognition.date_labels[:2]]
    for block in document.text_blocks[:60]:
        cleaned = clean_text(block.text)
        for label in labels:
            idx = cleaned.find(label)
            if idx >= 0:
                d = parse_date(cleaned[idx + len(label): idx + len(label) + 20])
                if d:
                    return d, block.provenance
    for table in document.tables[:3]:
        for row in table.rows:
            for i, cell in enumerate(row):
                if any(label in clean_text(cell.text) for label in labels):
                    for candidate in row[i: i + 3]:
                        d = parse_date(candidate.text)
                        if d:
                            return d, candidate.provenance or table.provenance
    return None


