"""Report title, agency, year and dates from the title, the metadata and the body text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from nianbao.common.text import clean_text, parse_date, parse_date_line
from nianbao.extract.model import Document, Provenance
from nianbao.vocabulary import VOCAB

_MARKERS = sorted((clean_text(m) for m in VOCAB.recognition.title_markers), key=len, reverse=True)
_YEAR_SUFFIXES = sorted(VOCAB.recognition.title_year_suffixes, key=len, reverse=True)
_BRACKETS = "".join(VOCAB.recognition.title_brackets)
_YEAR_RE = re.compile(r"((?:19|20)\d{2})(?:" + "|".join(map(re.escape, _YEAR_SUFFIXES)) + ")")
_ORG_SUFFIXES = sorted(VOCAB.agencies.suffixes, key=len, reverse=True)
_REGION_SUFFIXES = sorted(VOCAB.agencies.region_suffixes, key=len, reverse=True)
_ABBREVIATIONS = VOCAB.agencies.abbreviations
_CATEGORY_WORDS = sorted({w for ws in VOCAB.agencies.categories.values() for w in ws}, key=len, reverse=True)
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


_SINGLE_REGION_CHARS = {s for s in _REGION_SUFFIXES if len(s) == 1}
_CJK = re.compile(r"[\u4e00-\u9fff]+$")


def _region_prefix(text: str, core: str) -> str:
    """How the body writes the region before `core`: at each occurrence, the region name that
    ends right before it (among the CJK run there, the candidate that recurs most often in the
    text: the true name recurs, a preceding verb does not), then the most common choice over
    all occurrences, an occurrence without a region voting for none."""
    votes: Counter[str] = Counter()
    start = 0
    while True:
        idx = text.find(core, start)
        if idx < 0:
            break
        start = idx + 1
        run = _CJK.search(text[max(0, idx - 12): idx])
        before = run.group(0) if run else ""
        candidates = [before[-n:] for n in range(2, len(before) + 1)
                      if any(before[-n:].endswith(s) for s in _REGION_SUFFIXES)]
        votes[max(candidates, key=lambda p: (text.count(p), len(p))) if candidates else ""] += 1
    if not votes:
        return ""
    return max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]


def _with_org_suffix(name: str, body: str) -> str:
    """A title that names only a place (福州市鼓楼区, 昝岗镇) reports for that place's
    government: take the body's most frequent 'place + body suffix'."""
    if any(name.endswith(s) for s in _ORG_SUFFIXES):
        return name
    counts = {name + s: body.count(name + s) for s in _ORG_SUFFIXES}
    best = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))
    return best[0] if best[1] > 0 else name


def resolve_agency_name(title_agency: str | None, body: str) -> str | None:
    """The agency's full name as the body states it: the title's name, expanded (工信局 ->
    工业和信息化局), completed with its body suffix, and given the region the body writes before
    it (-> 舞阳县工业和信息化局)."""
    if not title_agency:
        return None
    name = clean_text(title_agency)
    # 县人社局, 市教育局: a bare level word stands for "this county's"; the body names the county.
    if (len(name) > 2 and name[0] in _SINGLE_REGION_CHARS
            and not any(name.startswith(w) for w in _CATEGORY_WORDS)):
        name = name[1:]
    expanded = _expand(name)
    core = expanded if (expanded in body or name not in body) else name
    core = _with_org_suffix(core, body)
    return _region_prefix(body, core) + core


def locate_signed_on(document: Document) -> tuple[date, Provenance] | None:
    """The document's own date line (a short block that is only a date), the last one wins."""
    found = None
    for block in document.text_blocks:
        d = parse_date_line(block.text)
        if d:
            found = (d, block.provenance)
    return found


def find_signed_on(document: Document) -> date | None:
    found = locate_signed_on(document)
    return found[0] if found else None


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


def find_published_on(document: Document) -> date | None:
    found = locate_published_on(document)
    return found[0] if found else None
