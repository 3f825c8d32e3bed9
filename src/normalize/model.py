"""Canonical records the normalizer produces from a `Document`, and the checks consume.

Every value carries its provenance (the source cell or text span) or, when it is NULL, the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from nianbao.extract.model import Provenance

if TYPE_CHECKING:
    from nianbao.normalize.agency import AgencyRecord


class NullReason(StrEnum):
    """Why a value is NULL: the code stages exchange and the warehouse stores (`null_reason`);
    the English `note` beside it says the same for a reader. docs/warehouse.md lists them."""

    BLANK = "blank"  # the cell is printed empty
    DASH = "dash"  # a null marker is printed: -, —, /, 无
    NOT_FOUND = "not_found"  # the row, column or cell is not in the document
    UNREADABLE = "unreadable"  # printed, but not a number, or its values cannot be placed in columns
    NOT_WHOLE = "not_whole"  # a fraction in a count cell
    OCR_LOW_CONFIDENCE = "ocr_low_confidence"  # OCR read a number it is not sure of
    NO_TABLE = "no_table"  # the section has no table with numbers (a sentence, or a heading only)
    OUT_OF_RANGE = "out_of_range"  # a number the warehouse's column cannot hold exactly


def null_reason_of(code: str | None) -> NullReason | None:
    """The NullReason of a stored code (None for NULL, or for a code this version does not know)."""
    try:
        return None if code is None else NullReason(code)
    except ValueError:
        return None


# NULLs that are a failure to read the printed document (the report's status becomes partial),
# not what the document itself prints (blank, dash).
READ_PROBLEMS = frozenset({NullReason.NOT_FOUND, NullReason.UNREADABLE, NullReason.NOT_WHOLE})


class StructureKind(StrEnum):
    """What a structure note is about (structure_notes.kind)."""

    EXTRA_ROW = "extra_row"
    MISSING_ROW = "missing_row"
    EXTRA_COLUMN = "extra_column"
    MISSING_COLUMN = "missing_column"
    NO_HEADER = "no_header"
    NO_TABLE = "no_table"
    MISSING_SECTION = "missing_section"
    HEADING_ONLY = "heading_only"
    MIXED_VERSION = "mixed_version"
    REPEATED_REPORT = "repeated_report"


class TableRead(StrEnum):
    """How a table section without usable table markup was read (the `read` param of a
    no_table structure note)."""

    LABEL_STREAM = "label_stream"  # labels and numbers in the order printed
    NUMBER_STREAM = "number_stream"  # numbers only, in column order
    NOTHING = "nothing"  # no readable data row at all


class IssuerKind(StrEnum):
    """Who issues a report, read from the report itself: a government's own report (also when its
    office, or a zone's 管委会 reporting for the whole zone, publishes it), a department's, a
    township's, or other (cannot tell)."""

    GOVERNMENT = "government"
    DEPARTMENT = "department"
    TOWNSHIP = "township"
    OTHER = "other"


@dataclass(frozen=True)
class ApplicationValue:
    """Section 三: one (row, applicant) cell."""

    row: str
    applicant: str
    value: int | None
    raw: str | None = None
    note: str | None = None
    provenance: Provenance | None = None
    null_reason: NullReason | None = None  # set exactly when value is None


@dataclass(frozen=True)
class ActiveValue:
    """Section 二: one (item, row, metric) cell."""

    item: str
    row: str
    metric: str
    value: Decimal | None
    unit: str | None = None
    raw: str | None = None
    note: str | None = None
    provenance: Provenance | None = None
    null_reason: NullReason | None = None  # set exactly when value is None


@dataclass(frozen=True)
class AppealValue:
    """Section 四: one (proceeding, outcome) cell."""

    proceeding: str
    outcome: str
    value: int | None
    raw: str | None = None
    note: str | None = None
    provenance: Provenance | None = None
    null_reason: NullReason | None = None  # set exactly when value is None


# A structure note's details: codes, labels quoted from the document, numbers, lists of codes.
NoteParam = str | int | tuple[str, ...]


@dataclass(frozen=True)
class StructureNote:
    """Something about the document's structure a supervisor may want to know: an extra row or
    column, a missing row, a section without a table. Its details are `params` (codes, quoted
    labels, numbers), never a sentence: nianbao.normalize.notes says it in Chinese from the spec
    files, and docs/warehouse.md lists the params of each kind."""

    section: str
    kind: StructureKind
    params: Mapping[str, NoteParam] = field(default_factory=dict, hash=False)
    provenance: Provenance | None = None


@dataclass(frozen=True)
class NarrativeBlock:
    """A paragraph of the report's running text (not a table), with the section it sits in:
    preamble (before 一、), overview (一、总体情况), active … other_matters."""

    section: str
    text: str
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Report:
    """A normalized annual report. `status` is ok, or partial when tables could not be read whole."""

    source: str
    title: str | None
    agency: str | None
    agency_in_title: str | None
    year: int | None
    template_version: str  # v2019 / v2021 / unknown
    version_evidence: dict[str, str] = field(default_factory=dict)  # part -> version seen there
    signed_on: date | None = None
    published_on: date | None = None
    applications: tuple[ApplicationValue, ...] = ()
    active: tuple[ActiveValue, ...] = ()
    appeals: tuple[AppealValue, ...] = ()
    sections_found: tuple[str, ...] = ()
    structure: tuple[StructureNote, ...] = ()
    status: str = "ok"
    status_reason: str | None = None
    # The running text, in order, for the narrative checks (TEXT_TABLE, DUPLICATION, stale years).
    narrative: tuple[NarrativeBlock, ...] = ()
    # Where the dates were read: the 发布日期 line or <meta> tag, and the date line under the signature.
    published_on_provenance: Provenance | None = None
    signed_on_provenance: Provenance | None = None
    # Who issues the report (IssuerKind) and the words of the report that say so.
    issuer_kind: IssuerKind = IssuerKind.OTHER
    issuer_basis: str | None = None
    issuer_provenance: Provenance | None = None

    @property
    def overview(self) -> tuple[NarrativeBlock, ...]:
        """The blocks of 一、总体情况."""
        return tuple(b for b in self.narrative if b.section == "overview")

    def application(self, row: str, applicant: str) -> ApplicationValue | None:
        for v in self.applications:
            if v.row == row and v.applicant == applicant:
                return v
        return None

    def appeal(self, proceeding: str, outcome: str) -> AppealValue | None:
        for v in self.appeals:
            if v.proceeding == proceeding and v.outcome == outcome:
                return v
        return None


@dataclass(frozen=True)
class CheckResult:
    """One rule outcome that is not a pass (violation, or 'not checkable' info)."""

    rule: str
    severity: str  # error / warn / info
    subject: str
    expected: Decimal | None
    actual: Decimal | None
    message: str
    evidence: tuple[Provenance, ...] = ()
    # What a review decision is tied to: the rule, subject, both numbers and the values of the
    # cells the flag rests on (not their place), so it survives a re-layout but not new numbers.
    fingerprint: str | None = None


class NotAReport(Exception):
    """The document is readable but is not a 政府信息公开工作年度报告 (or is a pre-2019 one)."""


@dataclass(frozen=True)
class DocumentResult:
    """Everything the warehouse needs to record about one file."""

    document_id: str  # sha256 of the bytes
    source: str
    format: str
    size_bytes: int
    fetched_at: datetime
    status: str  # ok / partial / failed / unsupported / not_a_report
    error: str | None
    report: Report | None = None
    agency: AgencyRecord | None = None
    checks: tuple[CheckResult, ...] = ()
    # MinHash LSH buckets of the report's narrative (the DUPLICATION rule's candidates); () when
    # the narrative is too short to compare.
    text_buckets: tuple[int, ...] = ()
    # PDFs: the engine that read (or failed to read) the text layer, pdfium or pdfplumber.
    pdf_engine: str | None = None
    # The raw bytes of the file's path when its name is not valid UTF-8 (`source` then holds the
    # printable form, each such byte written \xNN); None for every other name.
    source_bytes: bytes | None = None
    # The version of the code and spec files that read it (nianbao.jobs.incremental); None when the
    # result was made without reading the document (a crashed worker): it is read again next run.
    pipeline_version: str | None = None
