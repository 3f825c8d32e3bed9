"""Rules that compare a report with the same agency's report of the year before, or with other
agencies' reports of the same year: carry-overs (T3_CROSS_YEAR, T2_STOCK_CROSS_YEAR,
T2_V2019_CROSS_YEAR) and copied text or tables (DUPLICATION).

They are pure functions of a `ReportContext`; nianbao.jobs.recheck builds the contexts
from the current versions in the warehouse and runs them after every load, for every agency the
load touched, so a result does not depend on the order the years arrived in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from nianbao.extract.model import Provenance
from nianbao.normalize.checks_base import RULES, applicant_label, evidence_of, msg, num, register
from nianbao.normalize.model import CheckResult, Report
from nianbao.normalize.similarity import (
    MIN_CHARS,
    SHINGLE_CHARS,
    THRESHOLD,
    containment,
    jaccard,
    prose_blocks,
    report_wording,
    shingles,
    wording,
)
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB

_DUPLICATION = VOCAB.rules.duplication
_STOCK_ROWS = ("rules", "normative_documents")
_MAX_TEXT_EVIDENCE = 8
# A paragraph counts as copied when this share of its shingles is in the other report.
_COPIED_BLOCK = 0.8


@dataclass(frozen=True)
class StoredReport:
    """A report as the warehouse holds it: ids, the agency's name, the document it came from,
    and the normalized content (cells with provenance, narrative)."""

    report_id: str
    agency_id: str | None
    agency: str
    year: int
    source: str
    report: Report

    @cached_property
    def wording(self) -> str:
        return report_wording(self.report.narrative)

    @cached_property
    def shingles(self) -> frozenset[int]:
        return shingles(self.wording)

    @property
    def document(self) -> str:
        """The document as a message names it: a URL whole, a path by its file name."""
        if "://" in self.source:
            return self.source
        return PurePosixPath(self.source.replace("\\", "/")).name or self.source


@dataclass(frozen=True)
class ReportContext:
    """One current report with what the warehouse rules compare it with: the same agency's
    current report of the year before, and candidate peers (same year, other agencies)."""

    current: StoredReport
    previous: StoredReport | None = None
    peers: tuple[StoredReport, ...] = ()
    # Report ids whose narrative shares a MinHash LSH bucket with this one's: the text of a report
    # outside it is not compared (its Jaccard similarity is almost surely far below the threshold).
    # None: compare every text given (a hand-built context).
    text_candidates: frozenset[str] | None = None


def _years(context: ReportContext) -> dict[str, Any]:
    prev = context.previous
    assert prev is not None
    return {"year": context.current.year, "document": context.current.document, "prev": prev.year,
            "prev_document": prev.document}


def _cell(report: Report, row: str, applicant: str) -> Any:
    return next((v for v in report.applications if v.row == row and v.applicant == applicant), None)


def _active(report: Report) -> dict[tuple[str, str, str], Any]:
    return {(v.item, v.row, v.metric): v for v in report.active}


# ---------------------------------------------------------------------------- carry-overs


@register("T3_CROSS_YEAR", "Per applicant column: this year's carried_in == last year's carried_out "
          "(same agency, current versions).")
def check_t3_cross_year(context: ReportContext) -> list[CheckResult]:
    rule_id = "T3_CROSS_YEAR"
    if context.previous is None:
        return []
    results = []
    for applicant in SPEC.applicants:
        now = _cell(context.current.report, "carried_in", applicant)
        before = _cell(context.previous.report, "carried_out", applicant)
        if now is None or before is None or now.value is None or before.value is None or now.value == before.value:
            continue
        column = msg("column", label=applicant_label(applicant))
        message = msg(rule_id, column=column, now=now.value, before=before.value, **_years(context))
        results.append(CheckResult(rule_id, RULES[rule_id].severity, applicant, Decimal(before.value),
                                   Decimal(now.value), message, evidence_of([now.provenance, before.provenance])))
    return results


@register("T2_STOCK_CROSS_YEAR", "v2021 section 2 item art20_1, per row: in_force == last year's in_force + issued "
          "- repealed.")
def check_t2_stock_cross_year(context: ReportContext) -> list[CheckResult]:
    rule_id = "T2_STOCK_CROSS_YEAR"
    if context.previous is None:
        return []
    now, before = _active(context.current.report), _active(context.previous.report)
    results = []
    for row in _STOCK_ROWS:
        cells = [before.get(("art20_1", row, "in_force")), now.get(("art20_1", row, "issued")),
                 now.get(("art20_1", row, "repealed")), now.get(("art20_1", row, "in_force"))]
        if any(c is None or c.value is None for c in cells):
            continue
        prior, issued, repealed, in_force = (c.value for c in cells)  # type: ignore[union-attr]
        expected = prior + issued - repealed
        if expected == in_force:
            continue
        message = msg(rule_id, row=SPEC.active_label("art20_1", row), now=num(in_force), before=num(prior),
                       issued=num(issued), repealed=num(repealed), expected=num(expected), **_years(context))
        results.append(CheckResult(rule_id, RULES[rule_id].severity, row, expected, in_force, message,
                                   evidence_of(c.provenance for c in cells)))  # type: ignore[union-attr]
    return results


@register("T2_V2019_CROSS_YEAR", "v2019 section 2, per row: prior_year_items == last year's prior_year_items + "
          "change.")
def check_t2_v2019_cross_year(context: ReportContext) -> list[CheckResult]:
    rule_id = "T2_V2019_CROSS_YEAR"
    if context.previous is None:
        return []
    now, before = _active(context.current.report), _active(context.previous.report)
    results = []
    for (item, row, metric), cell in sorted(now.items()):
        if metric != "prior_year_items":
            continue
        prior, change = before.get((item, row, "prior_year_items")), before.get((item, row, "change"))
        if cell.value is None or prior is None or change is None or prior.value is None or change.value is None:
            continue
        expected = prior.value + change.value
        if expected == cell.value:
            continue
        message = msg(rule_id, row=SPEC.active_label(item, row), now=num(cell.value), before=num(prior.value),
                       change=num(change.value), expected=num(expected), **_years(context))
        results.append(CheckResult(rule_id, RULES[rule_id].severity, row, expected, cell.value, message,
                                   evidence_of([cell.provenance, prior.provenance, change.provenance])))
    return results


# ---------------------------------------------------------------------------- duplication


def _copied_blocks(report: Report, other: frozenset[int]) -> list[Provenance | None]:
    """The paragraphs of `report` that are (almost) wholly in the other text."""
    out: list[Provenance | None] = []
    for block in prose_blocks(report.narrative):
        text = wording(block.text)
        if len(text) >= SHINGLE_CHARS and containment(shingles(text), other) >= _COPIED_BLOCK:
            out.append(block.provenance)
    return out


def _similar_text(rule_id: str, context: ReportContext, other: StoredReport, subject: str,
                  render: Callable[[str], str]) -> CheckResult | None:
    if context.text_candidates is not None and other.report_id not in context.text_candidates:
        return None
    if len(context.current.wording) < MIN_CHARS or len(other.wording) < MIN_CHARS:
        return None
    a, b = context.current.shingles, other.shingles
    similarity = jaccard(a, b)
    if similarity < THRESHOLD:
        return None
    shown = Decimal(str(round(similarity, 2)))
    evidence = (_copied_blocks(context.current.report, b)[:_MAX_TEXT_EVIDENCE]
                + _copied_blocks(other.report, a)[:_MAX_TEXT_EVIDENCE])
    return CheckResult(rule_id, RULES[rule_id].severity, subject, Decimal(str(THRESHOLD)), shown,
                       render(f"{similarity:.0%}"), evidence_of(evidence))


def _table_cells(report: Report) -> dict[tuple[str, ...], Decimal]:
    cells: dict[tuple[str, ...], Decimal] = {}
    for a in report.applications:
        if a.value is not None:
            cells[("applications", a.row, a.applicant)] = Decimal(a.value)
    for v in report.active:
        if v.value is not None:
            cells[("active", v.item, v.row, v.metric)] = Decimal(v.value)
    for p in report.appeals:
        if p.value is not None:
            cells[("appeals", p.proceeding, p.outcome)] = Decimal(p.value)
    return cells


def _identical_tables(rule_id: str, context: ReportContext) -> CheckResult | None:
    """Every cell both years filled is the same, and enough of them are non-zero that this is
    no coincidence (an all-zero table repeats honestly)."""
    prev = context.previous
    assert prev is not None
    now, before = _table_cells(context.current.report), _table_cells(prev.report)
    common = set(now) & set(before)
    nonzero = [k for k in common if now[k] != 0]
    if len(nonzero) < _DUPLICATION.tables_min_nonzero or any(now[k] != before[k] for k in common):
        return None
    wanted = set(nonzero)
    evidence = [v.provenance for r in (context.current.report, prev.report)
                for v in (*r.applications, *r.active, *r.appeals)
                if v.provenance is not None and _key(v) in wanted]
    message = msg("DUPLICATION_tables", count=len(common), nonzero=len(nonzero), **_years(context))
    return CheckResult(rule_id, RULES[rule_id].severity, "previous_year_tables", Decimal(len(common)),
                       Decimal(len(common)), message, evidence_of(evidence))


def _key(value: Any) -> tuple[str, ...]:
    if hasattr(value, "applicant"):
        return ("applications", value.row, value.applicant)
    if hasattr(value, "metric"):
        return ("active", value.item, value.row, value.metric)
    return ("appeals", value.proceeding, value.outcome)


@register("DUPLICATION", "Copied content: the narrative nearly the same as the same agency's previous year or as a peer's "
          "(Jaccard similarity of character shingles, MinHash candidates), or every table cell the same as the "
          "previous year.")
def check_duplication(context: ReportContext) -> list[CheckResult]:
    rule_id = "DUPLICATION"
    method = msg("DUPLICATION_method", k=SHINGLE_CHARS)
    results: list[CheckResult | None] = []
    if context.previous is not None:
        years = _years(context)
        results.append(_similar_text(
            rule_id, context, context.previous, "previous_year",
            lambda s: msg("DUPLICATION_previous_year", similarity=s, method=method, **years)))
        results.append(_identical_tables(rule_id, context))
    for peer in sorted(context.peers, key=lambda p: (p.agency, p.report_id)):
        results.append(_similar_text(
            rule_id, context, peer, f"peer:{peer.agency}",
            lambda s, peer=peer: msg("DUPLICATION_peer", year=context.current.year,
                                      document=context.current.document, peer=peer.agency,
                                      peer_document=peer.document, similarity=s, method=method)))
    return [r for r in results if r is not None]
