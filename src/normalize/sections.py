"""Find sections 一…六 by heading, and assign every table to section 二, 三 or 四 by its header
signature (falling back to the heading it sits under)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.common.text import clean_text
from nianbao.extract.model import Block, Document, Table, TextBlock
from nianbao.normalize.labels import heading_key, label_key, similarity, split_numbering
from nianbao.normalize.rows import distinct_cells
from nianbao.spec import SPEC, VERSIONS
from nianbao.vocabulary import VOCAB

TABLE_SECTIONS = ("active", "applications", "appeals")
_MAX_HEADING_CHARS = 40


@dataclass
class SectionContent:
    code: str
    heading: TextBlock | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]


def _section_keys() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for code, label in SPEC.sections.items():
        keys[code] = [label_key(label)] + [label_key(v) for v in SPEC.section_variants.get(code, [])]
    return keys


_SECTION_KEYS = _section_keys()
_SECTION_ORDINALS = {code: i for i, code in enumerate(SPEC.sections, start=1)}
_SECTION_BY_ORDINAL = {i: code for code, i in _SECTION_ORDINALS.items()}
_NUMERAL_VALUES = VOCAB.recognition.chinese_numerals
# The old format's headings (依申请公开政府信息情况 …) are not its v2019/v2021 namesakes.
_PRE2019_HEADINGS = tuple(clean_text(m) for m in VOCAB.recognition.pre2019_markers)
_KEYWORDS = {code: [[clean_text(w) for w in words] for words in groups]
             for code, groups in SPEC.section_keywords.items()}


def _section_ordinal(numbering: str) -> int | None:
    """The number of a section-style numbering (五、 or 五.), None for any other."""
    body = numbering.rstrip("、.,，． ")
    if body == numbering or len(body) != 1:
        return None
    return _NUMERAL_VALUES.get(body)


def _has_keywords(code: str, text: str) -> bool:
    groups = _KEYWORDS.get(code)
    return bool(groups) and all(any(w in text for w in words) for words in groups)


def _sub_numbering_ordinal(numbering: str) -> int | None:
    """The number of a sub-level numbering ((一), (1), 1.), None for the section style 一、 (or
    none). Under 一、总体情况 reports number their parts (一)主动公开 … (五)监督保障: such a line
    names section 二 only when its number says so."""
    if not numbering or (not numbering.startswith("(") and not numbering[0].isdigit()):
        return None
    body = numbering.strip("()、.,，． ")
    if body.isdigit():
        return int(body)
    if len(body) == 1 and body in _NUMERAL_VALUES:
        return _NUMERAL_VALUES[body]
    return None


def section_of_heading(text: str) -> str | None:
    cleaned = clean_text(text)
    if not cleaned or len(cleaned) > _MAX_HEADING_CHARS:
        return None
    numbering, rest = split_numbering(cleaned)
    # 五、存在的主要问题及整改措施: the section's number and its key words name it, however worded.
    ordinal = _section_ordinal(numbering)
    if (ordinal in _SECTION_BY_ORDINAL and _has_keywords(_SECTION_BY_ORDINAL[ordinal], rest)
            and not any(m in rest for m in _PRE2019_HEADINGS)):
        return _SECTION_BY_ORDINAL[ordinal]
    sub_ordinal = _sub_numbering_ordinal(numbering)
    key = label_key(text)
    best, best_score = None, 0.0
    for code, keys in _SECTION_KEYS.items():
        if sub_ordinal is not None and sub_ordinal != _SECTION_ORDINALS[code]:
            continue
        for k in keys:
            s = similarity(key, k)
            if s > best_score:
                best, best_score = code, s
    threshold = 80 if numbering else 92
    return best if best_score >= threshold else None


def _signature_keys() -> dict[str, set[str]]:
    apps = {label_key(v) for v in SPEC.applicants.values()} | {label_key(v) for v in SPEC.application_rows.values()}
    apps |= {label_key(v) for v in SPEC.application_groups.values()} | {label_key(SPEC.applicant_group)}
    appeals = {label_key(v) for v in SPEC.appeal_outcomes.values()} | {
        label_key(v) for v in VOCAB.recognition.appeals_groups.values()}
    active = {label_key(VOCAB.recognition.active_content_header)}
    for version in VERSIONS:
        for item in SPEC.active[version]:
            active |= {label_key(v) for v in item.rows.values()} | {label_key(v) for v in item.metrics.values()}
    # Words shared by two sections (总计) say nothing.
    shared = (apps & appeals) | (apps & active) | (appeals & active)
    return {"applications": apps - shared, "appeals": appeals - shared, "active": active - shared}


_SIGNATURES = _signature_keys()


def table_signature(table: Table) -> str | None:
    keys: set[str] = set()
    for row in table.rows:
        for cell in distinct_cells(row):
            k = label_key(cell.text)
            if k:
                keys.add(k)
    note = heading_key(SPEC.header_note).strip("()")[:8]
    if any(note in heading_key(cell.text) for row in table.rows[:4] for cell in distinct_cells(row)):
        return "applications"
    scores = {code: len(keys & sig) for code, sig in _SIGNATURES.items()}
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] >= 2 else None


def locate_sections(document: Document) -> dict[str, SectionContent]:
    """Section code -> its heading and blocks. Tables go to the section their signature names,
    or to the section whose heading they sit under; stray tables before any heading are ignored."""
    sections: dict[str, SectionContent] = {}
    current: str | None = None
    for block in document.blocks:
        if isinstance(block, TextBlock):
            code = section_of_heading(block.text)
            if code is not None and code not in sections:
                sections[code] = SectionContent(code, heading=block)
                current = code
                continue
            if current is not None:
                sections[current].blocks.append(block)
            continue
        signature = table_signature(block)
        target = signature or (current if current in TABLE_SECTIONS else None)
        if target is None:
            continue
        if target not in sections:
            sections[target] = SectionContent(target)
        sections[target].blocks.append(block)
    return sections
