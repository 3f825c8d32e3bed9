"""Publication deadlines of annual reports (《政府信息公开条例》第四十九条) and whether a report met
its deadline. The dates and their legal basis are data: vocabulary.yaml `publication_deadlines`.

A department publishes by 31 January of the next year; a government's own report (人民政府, or
its office reporting for it) by 31 March. Issue 4's TIMELINESS rule uses the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nianbao.normalize.agency import AgencyRecord, parse_agency_name, resolve_agency
from nianbao.spec import SPEC

ON_TIME, LATE, UNKNOWN = "on_time", "late", "unknown"


@dataclass(frozen=True)
class Deadline:
    due: date  # the last day on which publishing is on time
    kind: str  # department / government / township
    basis: str  # the rule, in words a supervisor can quote


def deadline_kind(agency: AgencyRecord | str) -> str:
    """department, government (the government's own report, also when its office publishes it),
    or township (乡镇/街道, whose dates local notices set)."""
    record = resolve_agency(agency) if isinstance(agency, str) else agency
    if record.category != "government":
        return "department"
    if record.level == "township":
        return "township"
    body = parse_agency_name(record.name).body
    bodies: list[str] = SPEC.vocab("government_report_bodies")
    if record.level == "central" or any(body.endswith(b) for b in bodies):
        return "government"
    return "department"  # e.g. a development zone's 管理委员会 reports like a department


def publication_deadline(agency: AgencyRecord | str, year: int) -> Deadline:
    """The deadline of the report on `year`, published in year + 1."""
    kind = deadline_kind(agency)
    rule = SPEC.vocab("publication_deadlines")[kind]
    return Deadline(due=date(year + 1, int(rule["month"]), int(rule["day"])), kind=kind, basis=rule["basis"])


def timeliness(published_on: date | None, deadline: Deadline | date, signed_on: date | None = None) -> str:
    """on_time / late / unknown. Without a publication date the answer is unknown, unless the
    report was signed (成文) after the deadline: it cannot have been published before it was signed."""
    due = deadline.due if isinstance(deadline, Deadline) else deadline
    if published_on is not None:
        return ON_TIME if published_on <= due else LATE
    if signed_on is not None and signed_on > due:
        return LATE
    return UNKNOWN
