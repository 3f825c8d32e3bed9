"""Supervisors' review decisions on flags: confirmed (a real problem) or dismissed (not one).

A decision is stored in `review_decisions`, apart from `check_results` (which every ingest and
re-check rewrites). It is keyed by the agency and year (or by the report, when the agency is
unknown), the rule, the subject and the flag's fingerprint: the numbers on both sides and the
values of the cells the flag cites. So it survives re-ingesting the same files, a corrected
version of the report whose flagged numbers did not change, and re-checking; when the numbers
change the fingerprint does too, and the flag is open again. The `open_flags` view (warehouse/tables.py)
leaves dismissed flags out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from nianbao.supervise.labels import subject_code
from nianbao.warehouse.queries import find_agencies
from nianbao.warehouse.store import utc_now

STATUSES = ("confirmed", "dismissed")
# The REPORT argument: a report id, or AGENCY:YEAR (the current report of that agency and year).
REPORT_SEPARATORS = (":", "：")


class ReviewError(Exception):
    """The decision cannot be recorded; the message says why and what to type instead."""


@dataclass(frozen=True)
class ReviewTarget:
    report_id: str
    agency_id: str | None
    agency: str | None
    year: int | None
    is_current: bool


@dataclass(frozen=True)
class Decision:
    decision_key: str
    rule: str
    subject: str
    fingerprint: str
    status: str
    note: str | None
    decided_at: datetime
    agency: str | None
    year: int | None
    report_id: str | None
    severity: str | None
    message: str | None
    applies: bool  # a flag of the current report still has this fingerprint
    reviewer: str | None = None


def decision_key(agency_id: str | None, year: int | None, report_id: str) -> str:
    """Same formula as the flag_reviews view in warehouse/tables.py."""
    if agency_id is not None and year is not None:
        return f"{agency_id}/{year}"
    return f"report/{report_id}"


def resolve_report(con: duckdb.DuckDBPyConnection, text: str) -> ReviewTarget:
    """A report id (rp_…, as `nianbao show` prints it), or AGENCY:YEAR for the current report of
    that agency (found like `show` finds it)."""
    text = text.strip()
    query = """
        SELECT r.report_id, r.agency_id, coalesce(a.name, r.agency_name), r.year, r.is_current
        FROM reports r LEFT JOIN agencies a USING (agency_id)
    """
    if text.startswith("rp_"):
        row = con.execute(query + " WHERE r.report_id = ?", [text]).fetchone()
        if row is None:
            raise ReviewError(f"no report {text} in the warehouse (the id is printed by `nianbao show`)")
        return ReviewTarget(*row)
    for sep in REPORT_SEPARATORS:
        if sep in text:
            agency, _, year_text = text.rpartition(sep)
            break
    else:
        raise ReviewError(f"'{text}' is neither a report id (rp_…) nor AGENCY:YEAR (e.g. 舞阳县教育局:2022)")
    if not year_text.strip().isdigit():
        raise ReviewError(f"'{year_text}' is not a year; write AGENCY:YEAR, e.g. 舞阳县教育局:2022")
    year = int(year_text)
    candidates = find_agencies(con, agency)
    with_year = [c for c in candidates
                 if con.execute("SELECT 1 FROM reports WHERE agency_id = ? AND year = ?", [c[0], year]).fetchone()]
    if len(with_year) != 1:
        names = "、".join(c[1] for c in (with_year or candidates)[:10]) or "none"
        raise ReviewError(f"「{agency}」 with a {year} report matches {len(with_year)} agencies ({names}); "
                          f"give the full name or the report id")
    row = con.execute(query + " WHERE r.agency_id = ? AND r.year = ? ORDER BY r.is_current DESC LIMIT 1",
                      [with_year[0][0], year]).fetchone()
    return ReviewTarget(*row)


def _subject_code(con: duckdb.DuckDBPyConnection, report_id: str, rule: str, subject: str) -> str:
    """The subject as typed: its code, or the Chinese label `show` prints."""
    known = [r[0] for r in con.execute(
        "SELECT DISTINCT subject FROM check_results WHERE report_id = ? AND rule = ?", [report_id, rule]).fetchall()]
    return subject_code(subject, known)


def _log(con: duckdb.DuckDBPyConnection, action: str, key: str, rule: str, subject: str, fingerprint: str,
         note: str | None, reviewer: str | None, target: ReviewTarget, message: str | None, when: datetime) -> None:
    con.execute(
        "INSERT INTO review_log (logged_at, action, decision_key, rule, subject, fingerprint, note, reviewer, "
        "report_id, agency_id, year, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [when, action, key, rule, subject, fingerprint, note, reviewer, target.report_id, target.agency_id,
         target.year, message])


def record_decision(con: duckdb.DuckDBPyConnection, report: str, rule: str, subject: str, status: str,
                    note: str | None = None, seq: int | None = None,
                    reviewer: str | None = None) -> list[Decision]:
    """Record `status` for the flags of `report` with this rule and subject (the code, or the label
    `show` prints; or the one flag with this seq); returns the decisions written, each also logged
    in review_log. Raises ReviewError when there is no such flag."""
    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
    target = resolve_report(con, report)
    rule = rule.strip()
    subject = _subject_code(con, target.report_id, rule, subject)
    reviewer = (reviewer or "").strip() or None
    sql = ("SELECT seq, severity, coalesce(fingerprint, 'legacy:' || md5(coalesce(message, ''))), message "
           "FROM check_results WHERE report_id = ? AND rule = ? AND subject = ?")
    params: list[object] = [target.report_id, rule, subject]
    if seq is not None:
        sql += " AND seq = ?"
        params.append(seq)
    flags = con.execute(sql + " ORDER BY seq", params).fetchall()
    if not flags:
        listed = con.execute("SELECT DISTINCT rule, subject FROM check_results WHERE report_id = ? ORDER BY 1, 2",
                             [target.report_id]).fetchall()
        known = "; ".join(f"{r} {s}" for r, s in listed) or "none"
        raise ReviewError(f"report {target.report_id} ({target.agency or '?'} {target.year or '?'}) has no flag "
                          f"{rule} {subject}{f' with seq {seq}' if seq is not None else ''}; its flags: {known}")
    key = decision_key(target.agency_id, target.year, target.report_id)
    now = utc_now()
    written = []
    con.begin()
    try:
        for _, severity, fingerprint, message in {f[2]: f for f in flags}.values():
            con.execute(
                "INSERT OR REPLACE INTO review_decisions (decision_key, rule, subject, fingerprint, status, note, "
                "decided_at, agency_id, year, report_id, severity, message, reviewer) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, rule, subject, fingerprint, status, note, now, target.agency_id, target.year,
                 target.report_id, severity, message, reviewer])
            _log(con, status, key, rule, subject, fingerprint, note, reviewer, target, message, now)
            written.append(Decision(key, rule, subject, fingerprint, status, note, now, target.agency,
                                    target.year, target.report_id, severity, message, True, reviewer))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return written


def undo_decision(con: duckdb.DuckDBPyConnection, report_id: str, seq: int,
                  reviewer: str | None = None, note: str | None = None) -> Decision:
    """Withdraw the decision in force on flag `seq` of `report_id` (the flag is open again); the
    withdrawal is logged. Raises ReviewError when the flag has no decision."""
    target = resolve_report(con, report_id)
    flag = con.execute(
        "SELECT rule, subject, coalesce(fingerprint, 'legacy:' || md5(coalesce(message, ''))), message, severity "
        "FROM check_results WHERE report_id = ? AND seq = ?", [target.report_id, seq]).fetchone()
    if flag is None:
        raise ReviewError(f"report {target.report_id} has no flag with seq {seq}")
    rule, subject, fingerprint, message, severity = flag
    key = decision_key(target.agency_id, target.year, target.report_id)
    found = con.execute(
        "SELECT status, note FROM review_decisions WHERE decision_key = ? AND rule = ? AND subject = ? "
        "AND fingerprint = ?", [key, rule, subject, fingerprint]).fetchone()
    if found is None:
        raise ReviewError(f"flag {seq} of report {target.report_id} ({rule} {subject}) has no review decision to undo")
    now = utc_now()
    reviewer = (reviewer or "").strip() or None
    con.begin()
    try:
        con.execute("DELETE FROM review_decisions WHERE decision_key = ? AND rule = ? AND subject = ? "
                    "AND fingerprint = ?", [key, rule, subject, fingerprint])
        _log(con, "undone", key, rule, subject, fingerprint, note, reviewer, target, message, now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return Decision(key, rule, subject, fingerprint, "undone", note, now, target.agency, target.year,
                    target.report_id, severity, message, False)


@dataclass(frozen=True)
class LogEntry:
    logged_at: datetime
    action: str  # confirmed / dismissed / undone
    rule: str
    subject: str
    note: str | None
    reviewer: str | None
    agency: str | None
    year: int | None
    report_id: str | None
    message: str | None
    seq: int | None  # the flag of the report it was logged on, when it still exists


def review_history(con: duckdb.DuckDBPyConnection, report_id: str | None = None) -> list[LogEntry]:
    """Every decision recorded or undone (review_log), newest first; of one report's agency and
    year when `report_id` is given."""
    where, params = "", []
    if report_id is not None:
        target = resolve_report(con, report_id)
        where, params = "WHERE l.decision_key = ?", [decision_key(target.agency_id, target.year, target.report_id)]
    rows = con.execute(f"""
        SELECT l.logged_at, l.action, l.rule, l.subject, l.note, l.reviewer, coalesce(a.name, r.agency_name),
               l.year, l.report_id, l.message,
               (SELECT min(c.seq) FROM check_results c WHERE c.report_id = l.report_id AND c.rule = l.rule
                  AND c.subject = l.subject
                  AND coalesce(c.fingerprint, 'legacy:' || md5(coalesce(c.message, ''))) = l.fingerprint)
        FROM review_log l LEFT JOIN agencies a ON a.agency_id = l.agency_id
        LEFT JOIN reports r ON r.report_id = l.report_id
        {where}
        ORDER BY l.logged_at DESC, l.rule, l.subject
    """, params).fetchall()
    return [LogEntry(*r) for r in rows]


def list_decisions(con: duckdb.DuckDBPyConnection, agency: str | None = None) -> list[Decision]:
    """Every decision, newest first, with whether it still applies to a flag of the current report
    (a decision whose flag's numbers changed, or whose flag is gone, does not)."""
    rows = con.execute(
        """
        SELECT d.decision_key, d.rule, d.subject, d.fingerprint, d.status, d.note, d.decided_at,
               coalesce(a.name, r.agency_name), d.year, d.report_id, d.severity, d.message,
               EXISTS (
                   SELECT 1 FROM check_results c JOIN reports cr USING (report_id)
                   WHERE cr.is_current AND c.rule = d.rule AND c.subject = d.subject
                     AND coalesce(c.fingerprint, 'legacy:' || md5(coalesce(c.message, ''))) = d.fingerprint
                     AND (CASE WHEN cr.agency_id IS NOT NULL AND cr.year IS NOT NULL
                               THEN cr.agency_id || '/' || CAST(cr.year AS VARCHAR)
                               ELSE 'report/' || cr.report_id END) = d.decision_key),
               d.reviewer
        FROM review_decisions d
        LEFT JOIN agencies a ON a.agency_id = d.agency_id
        LEFT JOIN reports r ON r.report_id = d.report_id
        ORDER BY d.decided_at DESC, d.decision_key, d.rule, d.subject
        """).fetchall()
    out = [Decision(*r) for r in rows]
    if agency:
        ids = {a for a, _ in find_agencies(con, agency)}
        out = [d for d in out if d.decision_key.split("/")[0] in ids]
    return out


def flag_review_statuses(con: duckdb.DuckDBPyConnection, report_id: str) -> dict[int, tuple[str, str | None]]:
    """seq -> (status, note) for the flags of one report that carry a decision; {} for a warehouse
    older than review decisions."""
    has_view = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'flag_reviews'").fetchone()[0]
    if not has_view:
        return {}
    return {seq: (status, note) for seq, status, note in con.execute(
        "SELECT seq, review_status, review_note FROM flag_reviews WHERE report_id = ?", [report_id]).fetchall()}
