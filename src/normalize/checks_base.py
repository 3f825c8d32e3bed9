"""What every check rule module shares: the registry of named rules (`register`, `RULES`, their
order and scope), flag fingerprints, and the pieces a rule's message is built from.

Rule modules (checks.py, checks_text.py, checks_history.py) import this; checks.py imports them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from nianbao.extract.model import Provenance
from nianbao.normalize.model import CheckResult, Report
from nianbao.spec import APPEAL_OUTCOMES, SPEC
from nianbao.vocabulary import VOCAB

# Where a rule runs (checks.yaml): over one normalized Report (in the worker that read the document),
# or over the warehouse: rules that compare a report with the same agency's other years or with peers
# (checks_history.py). Those take a `ReportContext` instead of a Report and run after each load.
SCOPE_REPORT = "report"
SCOPE_WAREHOUSE = "warehouse"

INFO = "info"

TOTAL = "total"
COMPONENT_APPLICANTS = tuple(a for a in SPEC.applicants if a != TOTAL)
COMPONENT_OUTCOMES = tuple(o for o in APPEAL_OUTCOMES if o != TOTAL)
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


Evaluate = Callable[[Any], list[CheckResult]]


def register(rule_id: str, description: str) -> Callable[[Evaluate], Evaluate]:
    """Add a rule to RULES, in the order the rules run (checks.yaml rule_order, not the order
    modules are imported); its severity (template.yaml) and scope (checks.yaml) are data."""

    def add(evaluate: Evaluate) -> Evaluate:
        if rule_id not in SPEC.rules:
            raise ValueError(f"rule {rule_id} is not listed in template.yaml rules")
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        spec = SPEC.rules[rule_id]
        RULES[rule_id] = Rule(rule_id, spec.severity, description, evaluate, spec.scope)
        ordered = sorted(RULES.values(), key=lambda r: SPEC.rule_order.index(r.id))
        RULES.clear()
        RULES.update((r.id, r) for r in ordered)
        return evaluate

    return add


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


# ---------------------------------------------------------------------------- message pieces


@dataclass(frozen=True)
class Term:
    """One cell taking part in an equation, with the label a supervisor reads."""

    label: str
    value: Decimal | None
    provenance: Provenance | None = None


def msg(key: str, **fields: object) -> str:
    """A check message from its template in vocabulary/messages.yaml `checks`."""
    return _MSG[key].format(**fields)


def num(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def row_label(row: str) -> str:
    return SPEC.row_label(row) if row in SPEC.application_rows else row


def applicant_label(applicant: str) -> str:
    return SPEC.applicant_label(applicant) if applicant in SPEC.applicants else applicant


def evidence_of(terms: Iterable[Term | Provenance | None]) -> tuple[Provenance, ...]:
    seen: dict[Provenance, None] = {}
    for item in terms:
        prov = item.provenance if isinstance(item, Term) else item
        if prov is not None:
            seen.setdefault(prov, None)
    return tuple(seen)
