"""Compliance per agency and year, for supervisors: published or missing (against the registry of
expected publishers), on time, right format version, open flags, and the key figures of the
report; the league table behind `nianbao compare` / `nianbao history` and the HTML/Excel reports.

Figures are read from the current report of each agency and year. A 总计 cell left blank is taken
as the sum of the filled cells of its row; a rate whose terms are blank is left blank, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from nianbao.common.text import clean_text
from nianbao.normalize.agency import AgencyRecord, expand_abbreviations, match_in_region
from nianbao.normalize.deadlines import deadline_kind, publication_deadline, report_timeliness, timeliness
from nianbao.spec import SPEC
from nianbao.supervise.registry import ExpectedPublisher
from nianbao.vocabulary import VOCAB, CompareLabels
from nianbao.warehouse.queries import evidence_cells, find_agencies

OPEN_FLAGS_VIEW = "open_flags"  # issue 4: check_results after review decisions, when it exists
RATE_DIGITS = 4

# The columns of the league table, in order (CSV and Excel headers are these codes; the labels are
# ui.yaml compare.columns).
LEAGUE_COLUMNS = (
    "year", "agency", "province", "city", "county", "region_code", "level", "category", "expected",
    "status", "published_on", "signed_on", "issuer_kind", "deadline", "on_time", "template_version", "format_ok",
    "open_errors", "open_warnings", "flag_rules", "received", "handled", "disclosure_rate",
    "not_held_share", "reviews", "lawsuits", "corrected_rate", "report_id", "source",
)
FLAG_COLUMNS = ("year", "agency", "region", "rule", "severity", "subject", "message", "evidence",
                "review_status", "source", "show")


def labels() -> CompareLabels:
    return VOCAB.ui.compare


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] | None = None
    region: str | None = None  # part of the region or agency name (舞阳县, 北舞渡), or a code prefix
    category: str | None = None  # 教育, 公安, government / 政府 …
    level: str | None = None  # county / 县级 / 县 …
    agency_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ComplianceRow:
    year: int
    agency_id: str
    agency: str
    province: str | None
    city: str | None
    county: str | None
    region_code: str | None
    level: str | None
    category: str | None
    expected: bool  # listed in the registry for this year
    status: str  # published / missing
    deadline: date
    deadline_kind: str
    report_id: str | None = None
    # The report's issuer kind (government / department / township / other), read from the report
    # itself; it sets the deadline. None when the report is missing (the registry's agency sets it).
    issuer_kind: str | None = None
    source: str | None = None
    published_on: date | None = None
    signed_on: date | None = None
    on_time: str | None = None  # on_time / late / unknown; None when missing
    template_version: str | None = None
    format_ok: bool | None = None
    open_errors: int | None = None  # None when missing
    open_warnings: int | None = None
    flag_rules: str = ""
    received: int | None = None
    handled: int | None = None
    disclosure_rate: float | None = None
    not_held_share: float | None = None
    reviews: int | None = None
    lawsuits: int | None = None
    corrected_rate: float | None = None
    disclosed: int | None = None  # 予以公开 + 部分公开, the numerator of disclosure_rate

    @property
    def region(self) -> str:
        parts: list[str] = []
        for part in (self.province, self.city, self.county):
            if part and part not in parts:
                parts.append(part)
        return "".join(parts)

    @property
    def place(self) -> str:
        """The region in one word, for narrow views: the county, else the city or province."""
        return self.county or self.city or self.province or ""

    @property
    def violations(self) -> int:
        """Problems a supervisor follows up: missing, late, wrong format, each open flag."""
        return ((self.status == "missing") + (self.on_time == "late") + (self.format_ok is False)
                + (self.open_errors or 0) + (self.open_warnings or 0))

    @property
    def score(self) -> int:
        """The ranked score (ui.yaml compare.score): 100 minus points per problem."""
        cfg = labels().score
        pts = cfg.points
        lost = (pts["missing"] * (self.status == "missing") + pts["late"] * (self.on_time == "late")
                + pts["format"] * (self.format_ok is False) + pts["error"] * (self.open_errors or 0)
                + pts["warning"] * (self.open_warnings or 0))
        return int(max(cfg.floor, cfg.start - lost))

    def value(self, column: str) -> Any:
        return getattr(self, column)


def score_formula() -> str:
    """得分 = 100 − 40×未发布 − 20×逾期 − 10×格式不符 − 10×每个未关闭错误 − 3×每个未关闭警告（最低0分）."""
    cfg = labels().score
    terms = "".join(f" − {cfg.points[k]}×{cfg.names[k]}" for k in cfg.points)
    return f"{cfg.label} = {cfg.start}{terms}（最低{cfg.floor}分）"


def league_counts(rows: Sequence[ComplianceRow]) -> dict[str, int]:
    """The summary cards, as ints that add up: expected = published + missing (agencies the
    registry expects that year); unlisted: published by agencies it does not list."""
    expected = [r for r in rows if r.expected]
    return {
        "expected": len(expected),
        "published": sum(r.status == "published" for r in expected),
        "missing": sum(r.status == "missing" for r in expected),
        "unlisted": sum(r.status == "published" and not r.expected for r in rows),
        "late": sum(r.on_time == "late" for r in rows),
        "unknown": sum(r.on_time == "unknown" for r in rows),
        "flags": int(sum((r.open_errors or 0) + (r.open_warnings or 0) for r in rows)),
    }


@dataclass(frozen=True)
class FlagRow:
    year: int
    agency_id: str
    agency: str
    region: str
    report_id: str
    seq: int
    rule: str
    severity: str
    subject: str | None
    message: str | None
    evidence: tuple[dict[str, Any], ...]
    review_status: str | None
    source: str | None

    @property
    def show(self) -> str:
        return f"nianbao show {self.agency} {self.year}"

    def evidence_text(self, limit: int = 3) -> str:
        """Where to look: 「第3页 表2 第6行 第4列」 of the first cells (1-based, as a reader counts),
        a text file's line as 原文第N行; 等N处 when there are more."""
        from nianbao.supervise.labels import evidence_label

        return evidence_label(self.evidence, limit)

    def value(self, column: str) -> Any:
        if column == "evidence":
            return self.evidence_text()
        return getattr(self, column)


STRUCTURE_COLUMNS = ("year", "agency", "region", "section", "note", "place", "source")


@dataclass(frozen=True)
class StructureRow:
    """A structure note of a report in the league table, in the supervisor's words."""

    year: int
    agency: str
    region: str
    section: str  # the section's official heading
    note: str  # the note said in Chinese (nianbao.normalize.notes)
    place: str  # where it is, as a reader counts (表2 第6行)
    source: str | None

    def value(self, column: str) -> Any:
        return getattr(self, column)


def structure_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[ComplianceRow]) -> list[StructureRow]:
    """The structure notes of the reports in `rows`, in the order of the rows."""
    from nianbao.normalize.notes import structure_note_text
    from nianbao.supervise.labels import place_label
    from nianbao.warehouse.queries import stored_records

    reports = [r for r in rows if r.report_id]
    sources = {r.report_id: r.source for r in reports}
    notes = stored_records(con, "structure_notes", sources, sources)
    return [StructureRow(year=r.year, agency=r.agency, region=r.region,
                         section=SPEC.sections.get(n.section, n.section), note=structure_note_text(n),
                         place=place_label(n.provenance) if n.provenance else "", source=r.source)
            for r in reports for n in notes.get(r.report_id, ())]


@dataclass
class _Report:
    report_id: str
    agency_id: str
    year: int
    template_version: str | None
    published_on: date | None
    signed_on: date | None
    source: str | None
    issuer_kind: str | None
    cells: dict[str, int | None] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    fmt_flag: bool = False


# ------------------------------------------------------------------------------ queries

def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0] > 0


def open_flags_source(con: duckdb.DuckDBPyConnection) -> str:
    """The flags still open: issue 4's `open_flags` view (after review decisions) when the
    warehouse has it, else every error and warn in check_results."""
    if has_relation(con, OPEN_FLAGS_VIEW):
        return (f"SELECT report_id, seq, rule, severity, subject, message, evidence, "
                f"CAST(review_status AS VARCHAR) AS review_status FROM {OPEN_FLAGS_VIEW} "
                f"WHERE severity IN ('error', 'warn')")
    return ("SELECT report_id, seq, rule, severity, subject, message, evidence, "
            "CAST(NULL AS VARCHAR) AS review_status FROM check_results WHERE severity IN ('error', 'warn')")


_FIGURES_SQL = """
WITH cur AS (
    SELECT r.report_id FROM reports r
    WHERE r.is_current AND r.agency_id IS NOT NULL AND r.year IS NOT NULL
),
app AS (
    -- a blank 总计 is the sum of the filled cells of its row
    SELECT report_id, "row" AS k,
           coalesce(max(value) FILTER (WHERE applicant = 'total'),
                    sum(value) FILTER (WHERE applicant <> 'total')) AS v
    FROM applications WHERE report_id IN (SELECT report_id FROM cur)
      AND "row" IN ('received', 'results_total', 'granted', 'partly_granted', 'unavailable_not_held')
    GROUP BY ALL
),
ap AS (
    SELECT report_id, proceeding,
           coalesce(max(value) FILTER (WHERE outcome = 'total'),
                    sum(value) FILTER (WHERE outcome <> 'total')) AS total,
           sum(value) FILTER (WHERE outcome = 'corrected') AS corrected,
           sum(value) FILTER (WHERE outcome IN ('upheld', 'corrected', 'other')) AS concluded
    FROM appeals WHERE report_id IN (SELECT report_id FROM cur)
    GROUP BY ALL
)
SELECT report_id, k, v FROM app
UNION ALL
SELECT report_id, 'appeal_' || proceeding || '_total', total FROM ap
UNION ALL
SELECT report_id, 'appeal_corrected', sum(corrected) FROM ap GROUP BY report_id
UNION ALL
SELECT report_id, 'appeal_concluded', sum(concluded) FROM ap GROUP BY report_id
"""


def _current_reports(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], _Report]:
    rows = con.execute("""
        SELECT r.report_id, r.agency_id, r.year, r.template_version, r.published_on, r.signed_on, d.source,
               r.issuer_kind
        FROM reports r LEFT JOIN documents d USING (document_id)
        WHERE r.is_current AND r.agency_id IS NOT NULL AND r.year IS NOT NULL
    """).fetchall()
    reports = {(r[1], r[2]): _Report(*r) for r in rows}
    by_id = {r.report_id: r for r in reports.values()}
    for report_id, key, value in con.execute(_FIGURES_SQL).fetchall():
        if report_id in by_id:
            by_id[report_id].cells[key] = None if value is None else int(value)
    for report_id, rule, severity in con.execute(
            f"SELECT report_id, rule, severity FROM ({open_flags_source(con)}) ORDER BY report_id, seq").fetchall():
        report = by_id.get(report_id)
        if report is None:
            continue
        if severity == "error":
            report.errors += 1
        else:
            report.warnings += 1
        report.rules[rule] = report.rules.get(rule, 0) + 1
        if rule == "FMT_VERSION":
            report.fmt_flag = True
    return reports


def _known_agencies(con: duckdb.DuckDBPyConnection) -> dict[str, AgencyRecord]:
    rows = con.execute("""
        SELECT agency_id, name, province, city, county, region_code, level, category FROM agencies
        WHERE agency_id IN (SELECT agency_id FROM reports)
    """).fetchall()
    return {r[0]: AgencyRecord(*r) for r in rows}


def _rate(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(numerator / denominator, RATE_DIGITS)


def _sum_known(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


# ------------------------------------------------------------------------------ matching

def _is_government(record: AgencyRecord) -> bool:
    return deadline_kind(record) == "government"


# ------------------------------------------------------------------------------ filters

def _matches(record: AgencyRecord, filters: Filters) -> bool:
    if filters.agency_ids is not None and record.agency_id not in filters.agency_ids:
        return False
    if filters.region:
        q = clean_text(filters.region)
        region = "".join(dict.fromkeys(p for p in (record.province, record.city, record.county) if p))
        by_code = q.isdigit() and (record.region_code or "").startswith(q)
        if not by_code and q not in region and q not in record.name:
            return False
    if filters.category:
        q = expand_abbreviations(clean_text(filters.category))
        category = record.category or ""
        label = labels().categories.get(category, category)
        if not category or not (q == category or q in category or q in label):
            return False
    if filters.level:
        q = clean_text(filters.level)
        level = record.level or ""
        label = labels().levels.get(level, "")
        if not level or not (q == level or (q and q in label)):
            return False
    return True


# ------------------------------------------------------------------------------ the league table

def _row(year: int, record: AgencyRecord, expected: bool, report: _Report | None) -> ComplianceRow:
    deadline = publication_deadline(record, year)
    on_time = None
    if report is not None and report.issuer_kind is not None:
        deadline, on_time = report_timeliness(report.issuer_kind, year, report.published_on, report.signed_on)
    elif report is not None:  # a warehouse written before issuer kinds: the agency's deadline
        on_time = timeliness(report.published_on, deadline, report.signed_on)
    base: dict[str, Any] = {
        "year": year, "agency_id": record.agency_id, "agency": record.name, "province": record.province,
        "city": record.city, "county": record.county, "region_code": record.region_code,
        "level": record.level, "category": record.category, "expected": expected,
        "deadline": deadline.due, "deadline_kind": deadline.kind,
    }
    if report is None:
        return ComplianceRow(status="missing", **base)
    c = report.cells
    granted = c.get("granted")
    partly = c.get("partly_granted")
    handled = c.get("results_total")
    disclosed = None if granted is None or partly is None else granted + partly
    return ComplianceRow(
        status="published", report_id=report.report_id, source=report.source,
        published_on=report.published_on, signed_on=report.signed_on,
        on_time=on_time, issuer_kind=report.issuer_kind,
        template_version=report.template_version,
        format_ok=report.template_version == SPEC.version_for_year(year) and not report.fmt_flag,
        open_errors=report.errors, open_warnings=report.warnings,
        flag_rules="、".join(f"{rule}×{n}" if n > 1 else rule for rule, n in report.rules.items()),
        received=c.get("received"), handled=handled,
        disclosure_rate=_rate(disclosed, handled),
        not_held_share=_rate(c.get("unavailable_not_held"), handled),
        reviews=c.get("appeal_review_total"),
        lawsuits=_sum_known(c.get("appeal_litigation_direct_total"), c.get("appeal_litigation_after_review_total")),
        corrected_rate=_rate(c.get("appeal_corrected"), c.get("appeal_concluded")),
        disclosed=disclosed,
        **base,
    )


def compliance_table(con: duckdb.DuckDBPyConnection, registry: Sequence[ExpectedPublisher],
                     filters: Filters = Filters()) -> list[ComplianceRow]:
    """One row per agency and year: every agency the registry expects that year, and every agency
    that published one. Years: those asked for, else every year with a report or a registry entry."""
    reports = _current_reports(con)
    known = _known_agencies(con)
    expected_by_id: dict[str, tuple[AgencyRecord, ExpectedPublisher]] = {}
    for entry in registry:
        record = entry.resolve()
        if record.agency_id not in known:
            match = match_in_region(record, known.values(), _is_government)
            record = match or record
        expected_by_id.setdefault(record.agency_id, (known.get(record.agency_id, record), entry))

    if filters.years is not None:
        years = sorted(set(filters.years))
    else:
        years = sorted({y for (_, y) in reports} | {y for e in registry for y in (e.years or ())})

    rows: list[ComplianceRow] = []
    for year in years:
        ids = {a for (a, y) in reports if y == year}
        ids |= {a for a, (_, e) in expected_by_id.items() if e.expected_in(year)}
        for agency_id in ids:
            record = known.get(agency_id) or expected_by_id[agency_id][0]
            if not _matches(record, filters):
                continue
            entry = expected_by_id.get(agency_id)
            rows.append(_row(year, record, entry is not None and entry[1].expected_in(year),
                             reports.get((agency_id, year))))
    rows.sort(key=lambda r: (r.year, -r.violations, r.region_code or "~", r.agency))
    return rows


def flag_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[ComplianceRow]) -> list[FlagRow]:
    """The open flags of the reports in `rows`, with the cells they rest on."""
    by_report = {r.report_id: r for r in rows if r.report_id}
    if not by_report:
        return []
    result = con.execute(f"""
        SELECT f.report_id, f.seq, f.rule, f.severity, f.subject, f.message, CAST(f.evidence AS VARCHAR),
               f.review_status
        FROM ({open_flags_source(con)}) f
        WHERE f.report_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY f.report_id, f.seq
    """, [list(by_report)]).fetchall()
    out = []
    for report_id, seq, rule, severity, subject, message, evidence, review_status in result:
        row = by_report[report_id]
        try:
            cells = tuple(evidence_cells(evidence, row.source))
        except ValueError:
            cells = ()
        out.append(FlagRow(
            year=row.year, agency_id=row.agency_id, agency=row.agency, region=row.region,
            report_id=report_id, seq=seq, rule=rule, severity=severity, subject=subject, message=message,
            evidence=cells, review_status=review_status, source=row.source))
    severity_order = {"error": 0, "warn": 1}
    out.sort(key=lambda f: (f.year, severity_order.get(f.severity, 2), f.agency, f.seq))
    return out


@dataclass(frozen=True)
class RegionYear:
    """One region (county, or the deepest division known) in one year."""

    region: str
    region_code: str | None
    year: int
    n_expected: int
    n_published: int
    n_missing: int
    n_late: int
    n_flags: int
    violations: int
    disclosure_rate: float | None  # all its reports pooled

    def value(self, column: str) -> Any:
        return getattr(self, column)


REGION_COLUMNS = ("year", "region", "region_code", "n_expected", "n_published", "n_missing", "n_late",
                  "n_flags", "violations", "disclosure_rate")


def region_summary(rows: Sequence[ComplianceRow]) -> list[RegionYear]:
    groups: dict[tuple[str, str | None, int], list[ComplianceRow]] = defaultdict(list)
    for r in rows:
        groups[(r.region or "—", r.region_code, r.year)].append(r)
    out = []
    for (region, code, year), members in groups.items():
        rated = [m for m in members if m.disclosure_rate is not None]
        disclosed = sum(m.disclosed or 0 for m in rated)
        out.append(RegionYear(
            region=region, region_code=code, year=year,
            n_expected=sum(m.expected for m in members),
            n_published=sum(m.status == "published" for m in members),
            n_missing=sum(m.status == "missing" for m in members),
            n_late=sum(m.on_time == "late" for m in members),
            n_flags=sum((m.open_errors or 0) + (m.open_warnings or 0) for m in members),
            violations=sum(m.violations for m in members),
            disclosure_rate=_rate(disclosed, sum(m.handled or 0 for m in rated)) if rated else None,
        ))
    out.sort(key=lambda g: (g.year, g.region_code or "~", g.region))
    return out


def find_agency_ids(con: duckdb.DuckDBPyConnection, query: str,
                    registry: Sequence[ExpectedPublisher]) -> list[tuple[str, str]]:
    """Agencies for `nianbao history`: the warehouse's (exact name, part of it, abbreviation), else
    the registry's. Returns (agency_id, name) pairs."""
    found = find_agencies(con, query)
    if found:
        return found
    q = clean_text(query)
    out: dict[str, str] = {}
    for entry in registry:
        record = entry.resolve()
        if q == record.name or q in record.name or q == entry.agency:
            out[record.agency_id] = record.name
    return sorted(out.items(), key=lambda kv: kv[1])
