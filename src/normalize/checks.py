"""Named checks of one report's tables (勾稽关系, SPEC.md §5) and of its format version.

Each rule returns its failures with the numbers on both sides; a failure is a flag stored in
`check_results`, never a reason to stop. Messages are templates in messages.yaml `checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from nianbao.extract.model import Provenance

# The narrative, structure and timeliness rules (report scope) and the rules over the warehouse
# (other years, peers) register themselves on import: this module holds every rule.
from nianbao.normalize import checks_text  # noqa: F401
from nianbao.normalize.checks_base import (  # noqa: F401 (the rule registry's public names)
    COMPONENT_APPLICANTS,
    COMPONENT_OUTCOMES,
    INFO,
    RULES,
    SCOPE_REPORT,
    SCOPE_WAREHOUSE,
    TOTAL,
    Term,
    applicant_label,
    cell_values,
    evidence_of,
    msg,
    num,
    register,
    row_label,
    scope_rules,
    with_fingerprints,
)
from nianbao.normalize.checks_history import ReportContext
from nianbao.normalize.model import CheckResult, Report
from nianbao.spec import (
    APPEAL_PROCEEDINGS,
    APPLICATION_ROW_GROUPS,
    SPEC,
    V2019_ONLY_ROWS,
    V2021_ONLY_ROWS,
    VERSIONS,
)
from nianbao.vocabulary import VOCAB

_MSG = VOCAB.messages.checks


def _evaluate(scope: str, subject: Report | ReportContext) -> list[CheckResult]:
    return [result for rule in RULES.values() if rule.scope == scope for result in rule.evaluate(subject)]


def run_checks(report: Report) -> list[CheckResult]:
    """Every single-report rule, in registry order, each result with its fingerprint; an empty
    list means every check passed."""
    return with_fingerprints(_evaluate(SCOPE_REPORT, report), cell_values(report))


def run_warehouse_checks(context: ReportContext) -> list[CheckResult]:
    """Every warehouse rule (checks_history.py) on one report, in registry order, with fingerprints."""
    results = _evaluate(SCOPE_WAREHOUSE, context)
    if not results:
        return results
    reports = [context.current.report] + ([context.previous.report] if context.previous else [])
    return with_fingerprints(results, cell_values(*reports, *(p.report for p in context.peers)))


# ---------------------------------------------------------------------------- building blocks


def _decimal(value: int | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _render_terms(terms: Sequence[Term]) -> str:
    return _MSG["plus"].join(msg("term", label=t.label, value=num(t.value)) for t in terms)


def _sum(terms: Sequence[Term]) -> Decimal:
    return sum((t.value for t in terms if t.value is not None), Decimal(0))


def _not_checkable(rule_id: str, subject: str, where: str, terms: Sequence[Term]) -> CheckResult:
    blanks = _MSG["list_separator"].join(t.label for t in terms if t.value is None)
    return CheckResult(
        rule=rule_id, severity=INFO, subject=subject, expected=None, actual=None,
        message=msg("not_checkable", where=where, blanks=blanks, what=VOCAB.messages.what[rule_id]),
        evidence=evidence_of(terms),
    )


def _check_sum(
    rule_id: str,
    subject: str,
    where: str,
    parts: Sequence[Term],
    stated: Sequence[Term],
    render: Callable[[str, Sequence[Term], Sequence[Term], Decimal, Decimal], str],
) -> CheckResult | None:
    """sum(parts) == sum(stated): expected is the parts' side, actual the stated side.
    Any blank term makes the equation not checkable (info), never a violation."""
    terms = [*parts, *stated]
    if any(t.value is None for t in terms):
        return _not_checkable(rule_id, subject, where, terms)
    expected, actual = _sum(parts), _sum(stated)
    if expected == actual:
        return None
    return CheckResult(
        rule=rule_id, severity=RULES[rule_id].severity, subject=subject,
        expected=expected, actual=actual, message=render(where, parts, stated, expected, actual),
        evidence=evidence_of(terms),
    )


def _check_sums(
    rule_id: str,
    render: Callable[[str, Sequence[Term], Sequence[Term], Decimal, Decimal], str],
    equations: Iterable[tuple[str, str, Sequence[Term], Sequence[Term]]],
) -> list[CheckResult]:
    """_check_sum over (subject, where, parts, stated) equations: the failures, in order."""
    return [result for subject, where, parts, stated in equations
            if (result := _check_sum(rule_id, subject, where, parts, stated, render)) is not None]


class _Applications:
    """Section 三 cells of one report by (row, applicant); absent cells read as blank."""

    def __init__(self, report: Report) -> None:
        self.cells = {(v.row, v.applicant): v for v in reversed(report.applications)}
        self.rows = {v.row for v in report.applications}

    def term(self, row: str, applicant: str, label: str) -> Term:
        cell = self.cells.get((row, applicant))
        if cell is None:
            return Term(label, None)
        return Term(label, _decimal(cell.value), cell.provenance)

    def column(self, rows: Sequence[str], applicant: str) -> list[Term]:
        return [self.term(row, applicant, row_label(row)) for row in rows]

    def present_rows(self) -> list[str]:
        known = [r for r in SPEC.application_rows if r in self.rows]
        extra = sorted(r for r in self.rows if r not in SPEC.application_rows)
        return known + extra


def _table_absent(
    rule_id: str, report: Report, section: str, values: Sequence[Any], what: str | None = None
) -> list[CheckResult] | None:
    """One info result when the whole table is missing or blank; None when there is data to check."""
    if any(v.value is not None for v in values):
        return None
    if values:
        reason = "all_blank"
    elif section not in report.sections_found:
        reason = "section_missing"
    else:
        reason = "no_table"
    message = msg(
        "table_absent", section=SPEC.sections[section], reason=VOCAB.messages.table_absent_reasons[reason],
        what=VOCAB.messages.what[what or rule_id],
    )
    evidence = evidence_of(v.provenance for v in values)
    return [CheckResult(rule_id, INFO, section, None, None, message, evidence)]


def _render_stated(
    where: str, left: Sequence[Term], right: Sequence[Term], expected: Decimal, actual: Decimal
) -> str:
    return msg(
        "T3_STATED", where=where, left_terms=_render_terms(left), left=num(expected),
        right_terms=_render_terms(right), right=num(actual),
    )


def _render_total(
    template: str, render_parts: Callable[[Sequence[Term]], str] | None = None
) -> Callable[[str, Sequence[Term], Sequence[Term], Decimal, Decimal], str]:
    """Message for "parts add up to a stated total": parts with their numbers, then the total."""

    def render(
        where: str, parts: Sequence[Term], stated: Sequence[Term], expected: Decimal, actual: Decimal
    ) -> str:
        return msg(
            template, where=where, terms=(render_parts or _render_terms)(parts), sum=num(expected),
            total_label=stated[0].label, total=num(actual),
        )

    return render


def _column_where(applicant: str) -> str:
    return msg("column", label=applicant_label(applicant))


# ---------------------------------------------------------------------------- section 三


@register("T3_STATED", "Per applicant column: received + carried in == results total + carried out.")
def check_t3_stated(report: Report) -> list[CheckResult]:
    rule_id = "T3_STATED"
    if (absent := _table_absent(rule_id, report, "applications", report.applications)) is not None:
        return absent
    apps = _Applications(report)
    return _check_sums(rule_id, _render_stated, (
        (applicant, _column_where(applicant), apps.column(("received", "carried_in"), applicant),
         apps.column(("results_total", "carried_out"), applicant)) for applicant in SPEC.applicants))


@register("T3_ROW_TOTAL", "Per row: the total column == the sum of the six applicant columns.")
def check_t3_row_total(report: Report) -> list[CheckResult]:
    rule_id = "T3_ROW_TOTAL"
    if (absent := _table_absent(rule_id, report, "applications", report.applications)) is not None:
        return absent
    apps = _Applications(report)
    return _check_sums(rule_id, _render_total(rule_id), (
        (row, msg("row", label=row_label(row)), [apps.term(row, a, applicant_label(a)) for a in COMPONENT_APPLICANTS],
         [apps.term(row, TOTAL, applicant_label(TOTAL))]) for row in apps.present_rows()))


def _result_rows(present_rows: set[str]) -> list[str]:
    """The outcome rows that add up to （七）总计: （六） is the v2021 sub-rows when the report has
    any of them, else the single v2019 row (also used by some v2021 reports)."""
    v2021_other = any(r in present_rows for r in V2021_ONLY_ROWS)
    dropped = set(V2019_ONLY_ROWS if v2021_other else V2021_ONLY_ROWS) | {"results_total"}
    return [r for r in SPEC.application_rows if r in APPLICATION_ROW_GROUPS and r not in dropped]


def _render_outcome_terms(parts: Sequence[Term]) -> str:
    """Outcome sums have ~20 terms: name the non-zero ones and count the zeros."""
    nonzero = [t for t in parts if t.value != 0]
    if not nonzero:
        return msg("all_terms_zero", label=SPEC.application_groups["results"])
    text = _render_terms(nonzero)
    if len(nonzero) < len(parts):
        text += msg("zero_terms", count=len(parts) - len(nonzero))
    return text


@register(
    "T3_RESULTS_SUM",
    "Per applicant column: results total == the sum of every outcome row (other handling: 1 or 3 rows).",
)
def check_t3_results_sum(report: Report) -> list[CheckResult]:
    rule_id = "T3_RESULTS_SUM"
    if (absent := _table_absent(rule_id, report, "applications", report.applications)) is not None:
        return absent
    apps = _Applications(report)
    rows = _result_rows(apps.rows)
    return _check_sums(rule_id, _render_total(rule_id, _render_outcome_terms), (
        (applicant, _column_where(applicant), apps.column(rows, applicant), apps.column(("results_total",), applicant))
        for applicant in SPEC.applicants))


@register(
    "T3_BOUNDS",
    "Every cell a non-negative integer; per column results total and carried out <= received + carried in.",
)
def check_t3_bounds(report: Report) -> list[CheckResult]:
    rule_id = "T3_BOUNDS"
    absent = _table_absent(rule_id, report, "applications", report.applications, "T3_BOUNDS_table")
    if absent is not None:
        return absent
    severity = RULES[rule_id].severity
    results = []
    for cell in report.applications:
        value = _decimal(cell.value)
        if value is None or (value >= 0 and value == value.to_integral_value()):
            continue
        where = msg("cell", row=row_label(cell.row), column=applicant_label(cell.applicant))
        results.append(CheckResult(
            rule_id, severity, f"{cell.row}:{cell.applicant}", Decimal(0), value,
            msg("T3_BOUNDS_cell", where=where, value=num(value)), evidence_of([cell.provenance]),
        ))

    apps = _Applications(report)
    for applicant in SPEC.applicants:
        where = _column_where(applicant)
        received = apps.column(("received", "carried_in"), applicant)
        terms = [*received, *apps.column(("results_total", "carried_out"), applicant)]
        if any(t.value is None for t in terms):
            results.append(_not_checkable(rule_id, applicant, where, terms))
        if any(t.value is None for t in received):
            continue
        bound = _sum(received)
        # Each inequality is reported only when it fails itself, so a T3_STATED mismatch is not
        # repeated here unless the column also claims more outcomes than requests.
        for row in ("results_total", "carried_out"):
            term = apps.term(row, applicant, row_label(row))
            if term.value is None or term.value <= bound:
                continue
            message = msg(
                f"T3_BOUNDS_{row}", where=where, value_term=_render_terms([term]),
                bound_terms=_render_terms(received), bound=num(bound),
            )
            results.append(CheckResult(
                rule_id, severity, applicant, bound, term.value, message, evidence_of([*received, term]),
            ))
    return results


# ---------------------------------------------------------------------------- section 四


@register("T4_TOTALS", "Per proceeding: total == upheld + corrected + other + pending.")
def check_t4_totals(report: Report) -> list[CheckResult]:
    rule_id = "T4_TOTALS"
    if (absent := _table_absent(rule_id, report, "appeals", report.appeals)) is not None:
        return absent
    cells = {(v.proceeding, v.outcome): v for v in reversed(report.appeals)}

    def term(proceeding: str, outcome: str) -> Term:
        label = SPEC.appeal_outcomes[outcome]
        cell = cells.get((proceeding, outcome))
        return Term(label, None) if cell is None else Term(label, _decimal(cell.value), cell.provenance)

    return _check_sums(rule_id, _render_total(rule_id), (
        (proceeding, msg("proceeding", label=SPEC.appeal_label(proceeding)),
         [term(proceeding, o) for o in COMPONENT_OUTCOMES], [term(proceeding, TOTAL)])
        for proceeding in APPEAL_PROCEEDINGS))


# ---------------------------------------------------------------------------- format version


def _part_label(part: str) -> str:
    """A version_evidence part ("active.art20_1", "applications.other") as the report names it."""
    section, _, key = part.partition(".")
    if section == "active" and key in SPEC.active_item_labels:
        return SPEC.active_item_labels[key]
    if section == "applications" and key in SPEC.application_groups:
        return SPEC.application_groups[key]
    if section == "applications" and key in SPEC.application_rows:
        return row_label(key)
    if section in SPEC.sections and not key:
        return SPEC.sections[section]
    return part


def _part_evidence(report: Report, part: str) -> list[Provenance | None]:
    section, _, key = part.partition(".")
    if section == "active":
        return [v.provenance for v in report.active if v.item == key]
    if section == "applications":
        # "other" is （六）: the v2019 single row or the v2021 sub-rows under it.
        rows = {r for r, group in APPLICATION_ROW_GROUPS.items() if group == key} | {key}
        if key == "other":
            rows |= set(V2019_ONLY_ROWS)
        return [v.provenance for v in report.applications if v.row in rows]
    return []


@register("FMT_VERSION", "The labels match the format version of the report year (v2019 to 2020, v2021 from 2021).")
def check_fmt_version(report: Report) -> list[CheckResult]:
    rule_id = "FMT_VERSION"
    if report.year is None:
        return []
    expected = SPEC.version_for_year(report.year)
    found = next(v for v in VERSIONS if v != expected)
    tolerated = SPEC.tolerated_version_parts.get(found, ())
    parts = [p for p, v in report.version_evidence.items() if v == found and p not in tolerated]
    if parts:
        where = _MSG["list_separator"].join(_part_label(p) for p in parts)
    elif not report.version_evidence and report.template_version == found:
        where = _MSG["FMT_VERSION_whole_report"]
    else:
        return []
    severity = INFO if SPEC.only_encouraged(report.year) else RULES[rule_id].severity
    names = VOCAB.messages.version_names
    message = msg("FMT_VERSION", year=report.year, parts=where, found=names[found], expected=names[expected])
    evidence = evidence_of(prov for p in parts for prov in _part_evidence(report, p))
    return [CheckResult(rule_id, severity, "template_version", None, None, message, evidence)]


