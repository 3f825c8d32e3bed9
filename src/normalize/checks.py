"""Named checks of one report's tables (勾稽关系, SPEC.md §5) and of its format version.

Each rule returns its failures with the numbers on both sides; a failure is a flag stored in
`check_results`, never a reason to stop. Messages are templates in messages.yaml `checks`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from nianbao.extract.model import Provenance
from nianbao.normalize.model import CheckResult, Report
from nianbao.spec import (
    APPEAL_OUTCOMES,
    APPEAL_PROCEEDINGS,
    APPLICATION_ROW_GROUPS,
    SPEC,
    V2019_ONLY_ROWS,
    V2021_ONLY_ROWS,
)
from nianbao.vocabulary import VOCAB

# Where a rule runs: over one normalized Report (in the worker that read the document), or over
# the warehouse: rules that compare a report with the same agency's other years or with peers
# (checks_history.py). Those take a `ReportContext` instead of a Report and run after each load.
SCOPE_REPORT = "report"
SCOPE_WAREHOUSE = "warehouse"

INFO = "info"

# 30号 (2021-09-26) applies to reports from year 2021 on; 60号 only encouraged its format for 2019.
FIRST_V2021_YEAR = 2021
LAST_ENCOURAGED_ONLY_YEAR = 2019
# A single （六）其他处理 row in an otherwise v2021 report is a known variant, not an old format.
TOLERATED_V2019_PARTS = ("applications.other",)

_TOTAL = "total"
_COMPONENT_APPLICANTS = tuple(a for a in SPEC.applicants if a != _TOTAL)
_COMPONENT_OUTCOMES = tuple(o for o in APPEAL_OUTCOMES if o != _TOTAL)
_MSG = VOCAB.messages.checks


@dataclass(frozen=True)
class Rule:
    """One named check. `severity` is the default for a violation; "not checkable" results are info."""

    id: str
    severity: str
    description: str
    evaluate: Callable[[Any], list[CheckResult]]
    scope: str = SCOPE_REPORT


RULES: dict[str, Rule] = {}
# The order the rules run and their flags are numbered in (check_results.seq): the single-report
# rules, then the rules over the warehouse. Kept here, not left to the order modules are imported.
RULE_ORDER = ("T3_STATED", "T3_ROW_TOTAL", "T3_RESULTS_SUM", "T3_BOUNDS", "T4_TOTALS", "FMT_VERSION", "TEXT_TABLE",
              "FMT_STRUCTURE", "TIMELINESS", "T3_CROSS_YEAR", "T2_STOCK_CROSS_YEAR", "T2_V2019_CROSS_YEAR",
              "DUPLICATION")


Evaluate = Callable[[Any], list[CheckResult]]


def register(rule_id: str, description: str, scope: str = SCOPE_REPORT) -> Callable[[Evaluate], Evaluate]:
    """Add a rule to RULES (in RULE_ORDER); its id and severity come from template.yaml."""

    def add(evaluate: Evaluate) -> Evaluate:
        if rule_id not in SPEC.rules:
            raise ValueError(f"rule {rule_id} is not listed in template.yaml rules")
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, SPEC.rules[rule_id].severity, description, evaluate, scope)
        ordered = sorted(RULES.values(), key=lambda r: RULE_ORDER.index(r.id) if r.id in RULE_ORDER else len(RULE_ORDER))
        RULES.clear()
        RULES.update((r.id, r) for r in ordered)
        return evaluate

    return add


def run_checks(report: Report) -> list[CheckResult]:
    """Every single-report rule, in registry order, each result with its fingerprint; an empty
    list means every check passed."""
    results: list[CheckResult] = []
    for rule in RULES.values():
        if rule.scope == SCOPE_REPORT:
            results.extend(rule.evaluate(report))
    return with_fingerprints(results, cell_values(report))


def scope_rules(scope: str) -> tuple[str, ...]:
    return tuple(r.id for r in RULES.values() if r.scope == scope)


# ---------------------------------------------------------------------------- fingerprints


def _canonical_number(value: int | Decimal | None) -> str | None:
    if value is None:
        return None
    value = Decimal(value)
    return format(value.normalize(), "f") if value.is_finite() else str(value)


def cell_values(*reports: Report) -> dict[Provenance, str]:
    """Each cell of the reports by its provenance: what it is (table, row, column codes) and its
    value, e.g. 'applications/received/total=25'. Where a cell is printed does not matter."""
    out: dict[Provenance, str] = {}
    for report in reports:
        for a in report.applications:
            if a.provenance is not None:
                out[a.provenance] = f"{report.year}/applications/{a.row}/{a.applicant}={_canonical_number(a.value)}"
        for v in report.active:
            if v.provenance is not None:
                out[v.provenance] = (f"{report.year}/active/{v.item}/{v.row}/{v.metric}="
                                     f"{_canonical_number(v.value)}{v.unit or ''}")
        for p in report.appeals:
            if p.provenance is not None:
                out[p.provenance] = f"{report.year}/appeals/{p.proceeding}/{p.outcome}={_canonical_number(p.value)}"
    return out


def fingerprint(result: CheckResult, cells: dict[Provenance, str]) -> str:
    """What a review decision about this flag rests on: rule, subject, both numbers and the
    values of the cells it cites. A flag without any number (a missing section, a format
    version) rests on its message."""
    values = sorted({cells[p] for p in result.evidence if p in cells})
    basis: list[Any] = [result.rule, result.subject, _canonical_number(result.expected),
                        _canonical_number(result.actual), values]
    if result.expected is None and result.actual is None and not values:
        basis.append(result.message)
    return hashlib.sha256(json.dumps(basis, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def with_fingerprints(results: Iterable[CheckResult], cells: dict[Provenance, str]) -> list[CheckResult]:
    return [r if r.fingerprint else replace(r, fingerprint=fingerprint(r, cells)) for r in results]


# ---------------------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class _Term:
    """One cell taking part in an equation, with the label a supervisor reads."""

    label: str
    value: Decimal | None
    provenance: Provenance | None = None


def _msg(key: str, **fields: object) -> str:
    return _MSG[key].format(**fields)


def _num(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _decimal(value: int | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _row_label(row: str) -> str:
    return SPEC.row_label(row) if row in SPEC.application_rows else row


def _applicant_label(applicant: str) -> str:
    return SPEC.applicant_label(applicant) if applicant in SPEC.applicants else applicant


def _render_terms(terms: Sequence[_Term]) -> str:
    return _MSG["plus"].join(_msg("term", label=t.label, value=_num(t.value)) for t in terms)


def _evidence(terms: Iterable[_Term | Provenance | None]) -> tuple[Provenance, ...]:
    seen: dict[Provenance, None] = {}
    for item in terms:
        prov = item.provenance if isinstance(item, _Term) else item
        if prov is not None:
            seen.setdefault(prov, None)
    return tuple(seen)


def _sum(terms: Sequence[_Term]) -> Decimal:
    return sum((t.value for t in terms if t.value is not None), Decimal(0))


def _not_checkable(rule_id: str, subject: str, where: str, terms: Sequence[_Term]) -> CheckResult:
    blanks = _MSG["list_separator"].join(t.label for t in terms if t.value is None)
    return CheckResult(
        rule=rule_id, severity=INFO, subject=subject, expected=None, actual=None,
        message=_msg("not_checkable", where=where, blanks=blanks, what=VOCAB.messages.what[rule_id]),
        evidence=_evidence(terms),
    )


def _check_sum(
    rule_id: str,
    subject: str,
    where: str,
    parts: Sequence[_Term],
    stated: Sequence[_Term],
    render: Callable[[str, Sequence[_Term], Sequence[_Term], Decimal, Decimal], str],
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
        evidence=_evidence(terms),
    )


class _Applications:
    """Section 三 cells of one report by (row, applicant); absent cells read as blank."""

    def __init__(self, report: Report) -> None:
        self.cells = {(v.row, v.applicant): v for v in reversed(report.applications)}
        self.rows = {v.row for v in report.applications}

    def term(self, row: str, applicant: str, label: str) -> _Term:
        cell = self.cells.get((row, applicant))
        if cell is None:
            return _Term(label, None)
        return _Term(label, _decimal(cell.value), cell.provenance)

    def column(self, rows: Sequence[str], applicant: str) -> list[_Term]:
        return [self.term(row, applicant, _row_label(row)) for row in rows]

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
    message = _msg(
        "table_absent", section=SPEC.sections[section], reason=VOCAB.messages.table_absent_reasons[reason],
        what=VOCAB.messages.what[what or rule_id],
    )
    evidence = _evidence(v.provenance for v in values)
    return [CheckResult(rule_id, INFO, section, None, None, message, evidence)]


def _render_stated(
    where: str, left: Sequence[_Term], right: Sequence[_Term], expected: Decimal, actual: Decimal
) -> str:
    return _msg(
        "T3_STATED", where=where, left_terms=_render_terms(left), left=_num(expected),
        right_terms=_render_terms(right), right=_num(actual),
    )


def _render_total(
    template: str, render_parts: Callable[[Sequence[_Term]], str] | None = None
) -> Callable[[str, Sequence[_Term], Sequence[_Term], Decimal, Decimal], str]:
    """Message for "parts add up to a stated total": parts with their numbers, then the total."""

    def render(
        where: str, parts: Sequence[_Term], stated: Sequence[_Term], expected: Decimal, actual: Decimal
    ) -> str:
        return _msg(
            template, where=where, terms=(render_parts or _render_terms)(parts), sum=_num(expected),
            total_label=stated[0].label, total=_num(actual),
        )

    return render


def _column_where(applicant: str) -> str:
    return _msg("column", label=_applicant_label(applicant))


# ---------------------------------------------------------------------------- section 三


@register("T3_STATED", "Per applicant column: received + carried in == results total + carried out.")
def check_t3_stated(report: Report) -> list[CheckResult]:
    rule_id = "T3_STATED"
    if (absent := _table_absent(rule_id, report, "applications", report.applications)) is not None:
        return absent
    apps = _Applications(report)
    results = []
    for applicant in SPEC.applicants:
        where = _column_where(applicant)
        left = apps.column(("received", "carried_in"), applicant)
        right = apps.column(("results_total", "carried_out"), applicant)
        if (result := _check_sum(rule_id, applicant, where, left, right, _render_stated)) is not None:
            results.append(result)
    return results


@register("T3_ROW_TOTAL", "Per row: the total column == the sum of the six applicant columns.")
def check_t3_row_total(report: Report) -> list[CheckResult]:
    rule_id = "T3_ROW_TOTAL"
    if (absent := _table_absent(rule_id, report, "applications", report.applications)) is not None:
        return absent
    apps = _Applications(report)
    render = _render_total(rule_id)
    results = []
    for row in apps.present_rows():
        where = _msg("row", label=_row_label(row))
        parts = [apps.term(row, a, _applicant_label(a)) for a in _COMPONENT_APPLICANTS]
        stated = [apps.term(row, _TOTAL, _applicant_label(_TOTAL))]
        if (result := _check_sum(rule_id, row, where, parts, stated, render)) is not None:
            results.append(result)
    return results


def _result_rows(present_rows: set[str]) -> list[str]:
    """The outcome rows that add up to （七）总计: （六） is the v2021 sub-rows when the report has
    any of them, else the single v2019 row (also used by some v2021 reports)."""
    v2021_other = any(r in present_rows for r in V2021_ONLY_ROWS)
    dropped = set(V2019_ONLY_ROWS if v2021_other else V2021_ONLY_ROWS) | {"results_total"}
    return [r for r in SPEC.application_rows if r in APPLICATION_ROW_GROUPS and r not in dropped]


def _render_outcome_terms(parts: Sequence[_Term]) -> str:
    """Outcome sums have ~20 terms: name the non-zero ones and count the zeros."""
    nonzero = [t for t in parts if t.value != 0]
    if not nonzero:
        return _msg("all_terms_zero", label=SPEC.application_groups["results"])
    text = _render_terms(nonzero)
    if len(nonzero) < len(parts):
        text += _msg("zero_terms", count=len(parts) - len(nonzero))
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
    render = _render_total(rule_id, _render_outcome_terms)
    results = []
    for applicant in SPEC.applicants:
        where = _column_where(applicant)
        parts = apps.column(rows, applicant)
        stated = apps.column(("results_total",), applicant)
        if (result := _check_sum(rule_id, applicant, where, parts, stated, render)) is not None:
            results.append(result)
    return results


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
        where = _msg("cell", row=_row_label(cell.row), column=_applicant_label(cell.applicant))
        results.append(CheckResult(
            rule_id, severity, f"{cell.row}:{cell.applicant}", Decimal(0), value,
            _msg("T3_BOUNDS_cell", where=where, value=_num(value)), _evidence([cell.provenance]),
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
            term = apps.term(row, applicant, _row_label(row))
            if term.value is None or term.value <= bound:
                continue
            message = _msg(
                f"T3_BOUNDS_{row}", where=where, value_term=_render_terms([term]),
                bound_terms=_render_terms(received), bound=_num(bound),
            )
            results.append(CheckResult(
                rule_id, severity, applicant, bound, term.value, message, _evidence([*received, term]),
            ))
    return results


# ---------------------------------------------------------------------------- section 四


@register("T4_TOTALS", "Per proceeding: total == upheld + corrected + other + pending.")
def check_t4_totals(report: Report) -> list[CheckResult]:
    rule_id = "T4_TOTALS"
    if (absent := _table_absent(rule_id, report, "appeals", report.appeals)) is not None:
        return absent
    cells = {(v.proceeding, v.outcome): v for v in reversed(report.appeals)}

    def term(proceeding: str, outcome: str) -> _Term:
        label = SPEC.appeal_outcomes[outcome]
        cell = cells.get((proceeding, outcome))
        return _Term(label, None) if cell is None else _Term(label, _decimal(cell.value), cell.provenance)

    render = _render_total(rule_id)
    results = []
    for proceeding in APPEAL_PROCEEDINGS:
        where = _msg("proceeding", label=SPEC.appeal_label(proceeding))
        parts = [term(proceeding, o) for o in _COMPONENT_OUTCOMES]
        stated = [term(proceeding, _TOTAL)]
        if (result := _check_sum(rule_id, proceeding, where, parts, stated, render)) is not None:
            results.append(result)
    return results


# ---------------------------------------------------------------------------- format version


def _part_label(part: str) -> str:
    """A version_evidence part ("active.art20_1", "applications.other") as the report names it."""
    section, _, key = part.partition(".")
    if section == "active" and key in SPEC.active_item_labels:
        return SPEC.active_item_labels[key]
    if section == "applications" and key in SPEC.application_groups:
        return SPEC.application_groups[key]
    if section == "applications" and key in SPEC.application_rows:
        return _row_label(key)
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
    expected = "v2021" if report.year >= FIRST_V2021_YEAR else "v2019"
    found = "v2019" if expected == "v2021" else "v2021"
    tolerated = TOLERATED_V2019_PARTS if found == "v2019" else ()
    parts = [p for p, v in report.version_evidence.items() if v == found and p not in tolerated]
    if parts:
        where = _MSG["list_separator"].join(_part_label(p) for p in parts)
    elif not report.version_evidence and report.template_version == found:
        where = _MSG["FMT_VERSION_whole_report"]
    else:
        return []
    severity = INFO if report.year <= LAST_ENCOURAGED_ONLY_YEAR else RULES[rule_id].severity
    names = VOCAB.messages.version_names
    message = _msg("FMT_VERSION", year=report.year, parts=where, found=names[found], expected=names[expected])
    evidence = _evidence(prov for p in parts for prov in _part_evidence(report, p))
    return [CheckResult(rule_id, severity, "template_version", None, None, message, evidence)]


# The narrative, structure and timeliness rules (report scope), then the rules over the warehouse
# (other years, peers). Imported last: they register themselves with the functions above.
from nianbao.normalize import (
    checks_history,  # noqa: F401
    checks_text,  # noqa: F401
)
