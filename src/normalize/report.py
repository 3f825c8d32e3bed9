"""Document -> Report: sections, tables, version, agency, year and dates, with a status that
says honestly how much of the report could be read."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from nianbao.common.text import clean_text
from nianbao.extract.model import Document, Provenance, TextBlock
from nianbao.normalize.active import interpret_active
from nianbao.normalize.agency import resolve_agency_name
from nianbao.normalize.appeals import interpret_appeals
from nianbao.normalize.applications import interpret_applications
from nianbao.normalize.deadlines import classify_issuer
from nianbao.normalize.meta import (
    find_title,
    locate_published_on,
    locate_signed_on,
    parse_title,
)
from nianbao.normalize.model import (
    READ_PROBLEMS,
    NarrativeBlock,
    NotAReport,
    NoteParam,
    Report,
    StructureKind,
    StructureNote,
)
from nianbao.normalize.notes import structure_note_text
from nianbao.normalize.sections import TABLE_SECTIONS, SectionContent, locate_sections, section_of_heading
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB

_PRE2019 = [clean_text(m) for m in VOCAB.recognition.pre2019_markers]
# An introduction before 一、总体情况 is made of sentences; shorter lines there are page furniture.
_MIN_PREAMBLE_CHARS = 30
_SENTENCE_ENDS = ("。", "；", ";")


def detect_version(item_versions: dict[str, str], other_version: str | None) -> tuple[str, dict[str, str]]:
    evidence = {f"active.{item}": v for item, v in item_versions.items() if v in ("v2019", "v2021")}
    if other_version:
        evidence["applications.other"] = other_version
    votes = Counter(v for k, v in evidence.items() if k.startswith("active."))
    if votes:
        return votes.most_common(1)[0][0], evidence
    if other_version:
        return other_version, evidence
    return "unknown", evidence


def collect_narrative(document: Document, sections: dict[str, SectionContent],
                      signed_at: Provenance | None) -> tuple[NarrativeBlock, ...]:
    """The running text of the report, block by block, with the section each block sits in.

    Before the first section heading only sentences count (the introduction), not the page's
    title, navigation or 发布日期 line. Nothing after the date line under the signature counts
    (the site's footer)."""
    owner = {id(b): code for code, content in sections.items() for b in content.text}
    headings = {id(c.heading) for c in sections.values() if c.heading is not None}
    blocks: list[NarrativeBlock] = []
    seen_heading = False
    for block in document.blocks:
        if not isinstance(block, TextBlock):
            continue
        if signed_at is not None and block.provenance == signed_at:
            break
        if id(block) in headings:
            seen_heading = True
            continue
        text = block.text.strip()
        if not text:
            continue
        if not seen_heading:
            if len(clean_text(text)) >= _MIN_PREAMBLE_CHARS and any(p in text for p in _SENTENCE_ENDS):
                blocks.append(NarrativeBlock("preamble", text, block.provenance))
            continue
        if id(block) in owner:
            blocks.append(NarrativeBlock(owner[id(block)], text, block.provenance))
    return tuple(blocks)


def _heading_without_table(code: str, section: SectionContent, values: list) -> StructureNote | None:
    """A table section whose heading is there but no table and no number under it (深圳福田 2021
    printed the headings of 二/三/四 only; a 2020 审计局 report wrote a sentence instead of 四)."""
    if section.tables or any(v.value is not None for v in values):
        return None
    return StructureNote(code, StructureKind.HEADING_ONLY, {},
                         section.heading.provenance if section.heading else None)


# Two reports in one file (two agencies' reports pasted into one page): a second report title
# after the first section heading, and at least this many section headings printed again.
_MIN_REPEATED_HEADINGS = 3


def find_second_report(document: Document) -> tuple[StructureNote, int] | None:
    """When the document holds more than one report: a note, and the index of the block where
    the second starts (the reader keeps what comes before it, so the values are the first
    report's, and the document must not pass as a plain `ok`)."""
    first_heading = None
    counts: Counter[str] = Counter()
    second_title = None
    first_title = None
    for index, block in enumerate(document.blocks):
        if not isinstance(block, TextBlock):
            continue
        text = block.text
        code = section_of_heading(text)
        if code is not None:
            counts[code] += 1
            first_heading = first_heading or block
            continue
        if len(clean_text(text)) > 80:
            continue
        info = parse_title(text)
        if info is None or not info.year or not info.agency:
            continue
        if first_heading is None:
            first_title = first_title or info
        elif second_title is None:
            second_title = (info, block, index)
    repeated = [code for code in SPEC.sections if counts[code] >= 2]
    if second_title is None or len(repeated) < _MIN_REPEATED_HEADINGS:
        return None
    info, block, index = second_title
    params: dict[str, NoteParam] = {"title": info.title, "agency": info.agency, "year": info.year,
                                    "sections": tuple(repeated)}
    if first_title is not None:
        params |= {"first_agency": first_title.agency, "first_year": first_title.year}
    return StructureNote("overview", StructureKind.REPEATED_REPORT, params, block.provenance), index


def normalize_document(document: Document) -> Report:
    second = find_second_report(document)
    if second is not None:
        document = replace(document, blocks=document.blocks[:second[1]])
    body = clean_text(document.full_text())
    title = find_title(document)
    sections = locate_sections(document)
    table_sections = [c for c in TABLE_SECTIONS if c in sections]
    if title is None and not table_sections:
        raise NotAReport(f"{document.path}: no annual-report title (…{VOCAB.recognition.title_markers[0]}) and none of the "
                         "report's tables (sections 二, 三, 四) were found")
    if any(m in body for m in _PRE2019) and "applications" not in sections:
        raise NotAReport(f"{document.path}: an annual report in the pre-2019 format (old 条例, sections such as "
                         f"'{VOCAB.recognition.pre2019_markers[0]}'); the v2019/v2021 tables cannot be read from it")
    if not table_sections and len(sections) < 3:
        raise NotAReport(f"{document.path}: the title mentions an annual report but the document has none of "
                         "the report's sections or tables")
    structure: list[StructureNote] = []
    for code in SPEC.sections:
        if code not in sections:
            structure.append(StructureNote(code, StructureKind.MISSING_SECTION))

    active = interpret_active(
        sections["active"].tables if "active" in sections else [],
        sections["active"].text if "active" in sections else [],
        sections["active"].blocks if "active" in sections else [],
    )
    applications = interpret_applications(
        sections["applications"].tables if "applications" in sections else [],
        sections["applications"].text if "applications" in sections else [],
    )
    appeals = interpret_appeals(
        sections["appeals"].tables if "appeals" in sections else [],
        sections["appeals"].text if "appeals" in sections else [],
    )
    structure += active.notes + applications.notes + appeals.notes
    for code, values in (("active", active.values), ("applications", applications.values),
                         ("appeals", appeals.values)):
        if code in sections and (note := _heading_without_table(code, sections[code], values)) is not None:
            structure.append(note)
    version, evidence = detect_version(active.item_versions, applications.other_version)
    if len({v for k, v in evidence.items() if k.startswith("active.")}) > 1:
        structure.append(StructureNote("active", StructureKind.MIXED_VERSION, {
            version: tuple(sorted(item for item, v in active.item_versions.items() if v == version))
            for version in ("v2019", "v2021")}))

    agency = resolve_agency_name(title.agency if title else None, body)
    problems = []
    if not title or not title.agency:
        problems.append("the agency could not be read from the title")
    if not title or not title.year:
        problems.append("the report year could not be read from the title")
    for code, values in (("active", active.values), ("applications", applications.values),
                         ("appeals", appeals.values)):
        if not values:
            problems.append(f"section '{SPEC.sections[code]}' table not found or not readable")
            continue
        unreadable = [v for v in values if v.value is None and v.null_reason in READ_PROBLEMS]
        if unreadable:
            problems.append(f"{len(unreadable)} cells of '{SPEC.sections[code]}' could not be read "
                            f"(first: {unreadable[0].note})")
    if second is not None:
        structure.append(second[0])
        problems.append(structure_note_text(second[0]))
    status = "partial" if problems else "ok"
    published = locate_published_on(document)
    signed = locate_signed_on(document)
    narrative = collect_narrative(document, sections, signed[1] if signed else None)
    issuer = classify_issuer(agency, title.agency if title else None, narrative)
    return Report(
        source=document.path,
        title=title.title if title else document.title,
        agency=agency,
        agency_in_title=(title.agency if title and title.agency and title.agency != agency else None),
        year=title.year if title else None,
        template_version=version,
        version_evidence=evidence,
        signed_on=signed[0] if signed else None,
        published_on=published[0] if published else None,
        applications=tuple(applications.values),
        active=tuple(active.values),
        appeals=tuple(appeals.values),
        sections_found=tuple(c for c in SPEC.sections if c in sections),
        structure=tuple(structure),
        status=status,
        status_reason="; ".join(problems) if problems else None,
        narrative=narrative,
        published_on_provenance=published[1] if published else None,
        signed_on_provenance=signed[1] if signed else None,
        issuer_kind=issuer.kind,
        issuer_basis=issuer.basis,
        issuer_provenance=issuer.provenance,
    )
