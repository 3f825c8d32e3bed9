"""Rules about one report beyond its arithmetic: the narrative's figures against the tables
(TEXT_TABLE), structure and plausibility (FMT_STRUCTURE), and the publication deadline
(TIMELINESS). Registered in nianbao.normalize.checks.RULES; messages in messages.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from nianbao.extract.model import Provenance
from nianbao.normalize.agency import resolve_agency
from nianbao.normalize.checks_base import (
    COMPONENT_APPLICANTS,
    COMPONENT_OUTCOMES,
    INFO,
    RULES,
    applicant_label,
    evidence_of,
    msg,
    num,
    register,
    row_label,
)
from nianbao.normalize.deadlines import LATE, ON_TIME, Issuer, classify_issuer, deadline_for, timeliness
from nianbao.normalize.model import CheckResult, IssuerKind, Report, StructureKind, StructureNote
from nianbao.normalize.narrative import FIGURE_SPECS, stale_year_sentences, stated_figures
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB

_MSG = VOCAB.messages.checks
_FIGURE_LABELS = VOCAB.rules.text_figures.labels
_FIGURE_UNITS = VOCAB.rules.text_figures.units
_STRUCTURE = VOCAB.rules.structure_checks
_CELL_UNITS = sorted(_STRUCTURE.cell_units, key=len, reverse=True)
_MAX_QUOTE = 60
_MAX_UNIT_EXAMPLES = 3


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1] + "…"


# ---------------------------------------------------------------------------- TEXT_TABLE


def _applications_figure(report: Report, row: str) -> tuple[Decimal | None, list[Provenance | None], str]:
    """The section 三 figure of `row`: its 总计 cell, or the sum of the six applicant cells when
    the 总计 is blank and all six are filled (a blank total is missing, never 0)."""
    cells = {v.applicant: v for v in report.applications if v.row == row}
    total = cells.get("total")
    if total is not None and total.value is not None:
        where = msg("TEXT_TABLE_cell", row=row_label(row), column=applicant_label("total"))
        return Decimal(total.value), [total.provenance], where
    parts = [cells.get(a) for a in COMPONENT_APPLICANTS]
    if any(p is None or p.value is None for p in parts):
        return None, [], ""
    where = msg("TEXT_TABLE_summed", row=row_label(row))
    return Decimal(sum(p.value for p in parts)), [p.provenance for p in parts], where  # type: ignore[union-attr]


def _appeals_figure(report: Report, proceedings: Sequence[str]) -> tuple[Decimal | None, list[Provenance | None], str]:
    """Section 四: the 总计 of the proceedings (litigation: 未经复议直接起诉 + 复议后起诉), a blank
    总计 taken as the sum of its four outcomes when they are all filled."""
    cells = {(v.proceeding, v.outcome): v for v in report.appeals}
    total = Decimal(0)
    evidence: list[Provenance | None] = []
    summed = False
    for proceeding in proceedings:
        stated = cells.get((proceeding, "total"))
        if stated is not None and stated.value is not None:
            total += stated.value
            evidence.append(stated.provenance)
            continue
        parts = [cells.get((proceeding, o)) for o in COMPONENT_OUTCOMES]
        if any(p is None or p.value is None for p in parts):
            return None, [], ""
        total += sum(p.value for p in parts)  # type: ignore[union-attr]
        evidence += [p.provenance for p in parts]  # type: ignore[union-attr]
        summed = True
    label = "、".join(SPEC.appeal_label(p) for p in proceedings)
    where = msg("TEXT_TABLE_appeals_summed" if summed else "TEXT_TABLE_appeals", label=label)
    return total, evidence, where


@register("TEXT_TABLE", "Figures the overview narrative states (requests received, carried over, "
          "answered, appeals) equal the table; figures about other bodies or years, or stated ambiguously, "
          "are not compared.")
def check_text_table(report: Report) -> list[CheckResult]:
    rule_id = "TEXT_TABLE"
    figures = stated_figures(report.overview, report.year)
    results = []
    for spec in FIGURE_SPECS:
        stated = figures.get(spec.code)
        if stated is None:
            continue
        if spec.row is not None:
            value, cells, where = _applications_figure(report, spec.row)
        else:
            value, cells, where = _appeals_figure(report, spec.proceedings)
        if value is None or value == stated.value:
            continue
        # The quote shows the figure, unless the text says it in words (未收到… is 0).
        implied = "" if str(stated.value) in stated.quote else msg(
            "TEXT_TABLE_implied", label=_FIGURE_LABELS[spec.code], stated=f"{stated.value}{_FIGURE_UNITS[spec.code]}")
        message = msg(rule_id, quote=_quote(stated.quote), implied=implied, cell=where, value=num(value))
        results.append(CheckResult(
            rule_id, RULES[rule_id].severity, spec.code, value, Decimal(stated.value), message,
            evidence_of([stated.provenance, *cells]),
        ))
    return results


# ---------------------------------------------------------------------------- FMT_STRUCTURE


def _section_label(code: str) -> str:
    return SPEC.sections.get(code, code)


def _note_label(note: StructureNote) -> str:
    """The label a structure note quotes ('法人或其他组织法人或其他组织小计' -> '法人或其他组织小计':
    a merged group header repeats above its own column)."""
    label = str(note.params.get("label", ""))
    for cut in range(1, len(label) // 2 + 1):
        head, rest = label[:cut], label[cut:]
        if rest.startswith(head):
            return rest
    return label


def _cell_unit(raw: str | None) -> str | None:
    """The unit written inside a numeric cell ('251000元', '12件'), if any."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))
    for unit in _CELL_UNITS:
        if text.endswith(unit) and re.fullmatch(r"[+\-]?[\d,]+(?:\.\d+)?", text[: -len(unit)]):
            return unit
    return None


def _tables_with_values(values: Sequence[Any]) -> set[int]:
    return {v.provenance.table for v in values
            if v.value is not None and v.provenance is not None and v.provenance.table is not None}


def _structure_results(report: Report, severity: str) -> list[CheckResult]:
    rule_id = "FMT_STRUCTURE"
    results: list[CheckResult] = []

    def add(subject: str, message: str, evidence: Sequence[Provenance | None]) -> None:
        results.append(CheckResult(rule_id, severity, subject, None, None, message, evidence_of(evidence)))

    # Judged only for a whole report: its title read (agency and year) and most sections found.
    # A fragment (one scanned page, a page the reader could not take apart) would "miss" sections.
    found = set(report.sections_found)
    if report.year is None or not report.agency or len(found) < _STRUCTURE.min_sections:
        return []
    for code in SPEC.sections:
        if code not in found:
            add(code, msg("FMT_STRUCTURE_missing_section", section=_section_label(code)), [])
    tables = {"active": _tables_with_values(report.active), "applications": _tables_with_values(report.applications),
              "appeals": _tables_with_values(report.appeals)}
    for note in report.structure:
        if note.kind == StructureKind.HEADING_ONLY:
            add(note.section, msg("FMT_STRUCTURE_heading_only", section=_section_label(note.section)),
                [note.provenance])
        elif note.kind == StructureKind.EXTRA_COLUMN:
            add(note.section, msg("FMT_STRUCTURE_extra_column", section=_section_label(note.section),
                                   label=_note_label(note)), [note.provenance])
        elif note.kind == StructureKind.EXTRA_ROW:
            # Only a row inside the official table: a row of an extra table (政策解读, applications
            # by channel) is another table, not a changed one.
            table = note.provenance.table if note.provenance is not None else None
            if table is not None and table in tables.get(note.section, set()):
                add(note.section, msg("FMT_STRUCTURE_extra_row", section=_section_label(note.section),
                                       label=_note_label(note)), [note.provenance])
    for section, values in (("active", report.active), ("applications", report.applications),
                            ("appeals", report.appeals)):
        with_units = [(v, unit) for v in values if v.value is not None and (unit := _cell_unit(v.raw))]
        if with_units:
            examples = "、".join(v.raw.strip() for v, _ in with_units[:_MAX_UNIT_EXAMPLES])
            add(section, msg("FMT_STRUCTURE_units", section=_section_label(section), count=len(with_units),
                              examples=examples), [v.provenance for v, _ in with_units])
    results += _township_rules(report, severity)
    if report.year is not None:
        for stale in stale_year_sentences(report.narrative, report.year):
            add(stale.section, msg("FMT_STRUCTURE_stale_year", year=report.year, prev=report.year - 1,
                                    quote=_quote(stale.quote)), [stale.provenance])
    return results


def _township_rules(report: Report, severity: str) -> list[CheckResult]:
    """规章 are made by provinces and districted cities only: a township that fills them in has
    put other documents (or another body's rules) in the wrong row."""
    if not report.agency:
        return []
    if resolve_agency(report.agency).level not in _STRUCTURE.no_rules_levels:
        return []
    cells = [v for v in report.active if v.item == "art20_1" and v.row == "rules" and v.value]
    if not cells:
        return []
    values = "、".join(f"{SPEC.active_label(v.item, v.row, v.metric).split('·')[-1]} {num(v.value)}" for v in cells)
    message = msg("FMT_STRUCTURE_township_rules", label=SPEC.active_label("art20_1", "rules"), values=values)
    return [CheckResult("FMT_STRUCTURE", severity, "active", None, None, message,
                        evidence_of(v.provenance for v in cells))]


@register("FMT_STRUCTURE", "The report's structure and plausibility: sections missing, headings without a table, "
          "rows or columns the official tables do not have, units inside numeric cells, rules (guizhang) reported by a "
          "township, last year's end spoken of as now.")
def check_fmt_structure(report: Report) -> list[CheckResult]:
    # 60号 only encouraged the format for 2019 reports (SPEC §0): deviations there are info.
    year = report.year
    severity = INFO if year is not None and SPEC.only_encouraged(year) else RULES["FMT_STRUCTURE"].severity
    return _structure_results(report, severity)


# ---------------------------------------------------------------------------- TIMELINESS


def _day_number(day: date) -> Decimal:
    """A date as the number 20230131, for the expected/actual columns."""
    return Decimal(day.strftime("%Y%m%d"))


@register("TIMELINESS", "Published by the deadline of Regulation art. 49: 31 January of the next year for a department, "
          "31 March for a government's own report (the issuer kind read from the report); without a publication "
          "date, or when the issuer kind cannot be told, it is not checkable (info).")
def check_timeliness(report: Report) -> list[CheckResult]:
    rule_id = "TIMELINESS"
    if report.year is None or not report.agency:
        return []
    # A Report made elsewhere than normalize_document (tests, tools) has no issuer yet: read it now.
    issuer = (Issuer(IssuerKind(report.issuer_kind), report.issuer_basis, report.issuer_provenance)
              if report.issuer_basis is not None else classify_issuer(report.agency, None, report.narrative))
    deadline = deadline_for(issuer.deadline_kind, report.year)
    verdict = timeliness(report.published_on, deadline, report.signed_on)
    if verdict == ON_TIME:
        return []
    kind = VOCAB.messages.deadline_kinds[deadline.kind]
    due = _day_text(deadline.due)
    # Why this deadline: the issuer kind and the words of the report it was read from.
    why = msg("TIMELINESS_issuer", kind=kind, issuer=issuer.basis)
    if verdict == LATE and not issuer.certain:
        # Late for a department, perhaps on time for a government: never an accusation.
        by_date = report.published_on is not None
        day = report.published_on if by_date else report.signed_on
        assert day is not None  # late needs a publication or a signing date
        message = msg("TIMELINESS_uncertain_kind", year=report.year, date_label="发布日期" if by_date else "成文日期",
                       date=day.isoformat(), issuer=issuer.basis, due=due,
                       government_due=_day_text(deadline_for("government", report.year).due))
        where = report.published_on_provenance if by_date else report.signed_on_provenance
        return [CheckResult(rule_id, INFO, "published_on" if by_date else "signed_on", _day_number(deadline.due),
                            _day_number(day), message, evidence_of([where, issuer.provenance]))]
    # Late by the publication date, else (none printed) by the date the report was signed.
    dates = (("published_on", report.published_on, report.published_on_provenance, "TIMELINESS_late", "published"),
             ("signed_on", report.signed_on, report.signed_on_provenance, "TIMELINESS_signed_late", "signed"))
    for subject, late_day, where, key, field in dates:
        if verdict == LATE and late_day is not None:
            message = msg(key, year=report.year, kind=kind, due=due, basis=deadline.basis,
                          **{field: late_day.isoformat()}) + why
            return [CheckResult(rule_id, RULES[rule_id].severity, subject, _day_number(deadline.due),
                                _day_number(late_day), message, evidence_of([where, issuer.provenance]))]
    message = msg("TIMELINESS_unknown", year=report.year, kind=kind, due=due) + why
    return [CheckResult(rule_id, INFO, "published_on", _day_number(deadline.due), None, message,
                        evidence_of([report.signed_on_provenance, issuer.provenance]))]


def _day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
