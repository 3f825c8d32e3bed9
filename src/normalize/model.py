"""Canonical records the normalizer produces from a `Document`, and the checks consume.

Every value carries its provenance (the source cell or text span) or, when it is NULL, the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from nianbao.extract.model import Provenance

if TYPE_CHECKING:
    from nianbao.normalize.agency import AgencyRecord


@dataclass(frozen=True)
class ApplicationValue:
    """Section 三: one (row, applicant) cell."""

    row: str
    applicant: str
    value: int | None
    raw: str | None = None
    note: str | None = None
    provenance: Provenance | None = None


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


@dataclass(frozen=True)
class AppealValue:
    """Section 四: one (proceeding, outcome) cell."""

    proceeding: str
    outcome: str
    value: int | None
    raw: str | None = None
    note: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class StructureNote:
    """Something about the document's structure a supervisor may want to know:
    an extra row or column, a missing row, a section without a table."""

    section: str
    kind: str  # extra_row / missing_row / extra_column / missing_section / no_table / mixed_version
    detail: str
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

    @property
    def overview(self) -> tuple[NarrativeBlock, ...]:
        """The blocks of 一、总体情况."""
        return tuple(b for b in self.narrative if b.section == "overview")

    @property
    def overview_text(self) -> str:
        return "\n".join(b.text for b in self.overview)

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
    # The version of the code and spec files that read it (nianbao.jobs.incremental); None when the
    # result was made without reading the document (a crashed worker): it is read again next run.
    pipeline_version: str | None = None
