"""Versions and review decisions, on the four versions of 信丰县统计局's 2022 report
(tests/files/checks_versions): the newest version is current, older ones stay queryable, flags follow
the current one; a decision survives re-ingesting the same files and a new version whose flagged
numbers did not change, and the flag is open again when they do."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.jobs.ingest import ingest_paths
from nianbao.supervise.review import ReviewError, list_decisions, record_decision
from nianbao.warehouse.store import SCHEMA_VERSION, write_session
from tests.paths import CHECK_VERSIONS

VERSIONS = CHECK_VERSIONS
AGENCY = "信丰县统计局"
runner = CliRunner()


def ingest(db: Path, *names: str) -> None:
    for name in names:
        ingest_paths([str(VERSIONS / name)], db, workers=0)


def current_flags(db: Path, table: str = "check_results") -> list[tuple]:
    """(file, rule, subject, review_status) of the flags (error/warn) of the current 2022 report."""
    status = "review_status" if table == "open_flags" else "NULL"
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"""
            SELECT regexp_extract(d.source, '[^/]+$'), c.rule, c.subject, {status}
            FROM {table} c JOIN reports r USING (report_id) JOIN documents d USING (document_id)
            WHERE r.is_current AND r.year = 2022 AND c.severity IN ('error', 'warn')
            ORDER BY c.seq""").fetchall()


def versions(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            SELECT regexp_extract(d.source, '[^/]+$'), r.is_current,
                   (SELECT count(*) FROM check_results c WHERE c.report_id = r.report_id AND c.severity = 'error'),
                   (SELECT count(*) FROM check_results c WHERE c.report_id = r.report_id AND c.rule = 'T3_CROSS_YEAR')
            FROM reports r JOIN documents d USING (document_id) WHERE r.year = 2022 ORDER BY d.fetched_at""").fetchall()


def review(db: Path, rule: str, subject: str, status: str, note: str | None = None) -> None:
    with write_session(db) as warehouse:
        record_decision(warehouse.con, f"{AGENCY}:2022", rule, subject, status, note)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    ingest(db, "xinfeng_tjj_2021.html", "xinfeng_tjj_2022_v1.html")
    return db


def test_first_version_flags(db):
    assert current_flags(db) == [
        ("xinfeng_tjj_2022_v1.html", "T3_STATED", "natural_person", None),
        ("xinfeng_tjj_2022_v1.html", "T3_STATED", "total", None),
        ("xinfeng_tjj_2022_v1.html", "T3_CROSS_YEAR", "natural_person", None),
        ("xinfeng_tjj_2022_v1.html", "T3_CROSS_YEAR", "total", None),
    ]


def test_a_decision_survives_reingesting_and_a_new_version_with_the_same_numbers(db):
    review(db, "T3_STATED", "natural_person", "dismissed", "typo in the draft, confirmed by phone")
    review(db, "T3_CROSS_YEAR", "natural_person", "confirmed")
    expected = [
        ("xinfeng_tjj_2022_v1.html", "T3_STATED", "total", None),
        ("xinfeng_tjj_2022_v1.html", "T3_CROSS_YEAR", "natural_person", "confirmed"),
        ("xinfeng_tjj_2022_v1.html", "T3_CROSS_YEAR", "total", None),
    ]
    assert current_flags(db, "open_flags") == expected

    # The same folder again: nothing changes.
    ingest_paths([str(VERSIONS / "xinfeng_tjj_2021.html"), str(VERSIONS / "xinfeng_tjj_2022_v1.html")], db,
                 workers=0)
    assert current_flags(db, "open_flags") == expected

    # A new version (its text edited, the numbers as before) becomes current; the decisions hold.
    ingest(db, "xinfeng_tjj_2022_v1_edited.html")
    assert current_flags(db, "open_flags") == [(f.replace("v1", "v1_edited"), *rest) for f, *rest in expected]
    assert versions(db) == [("xinfeng_tjj_2022_v1.html", False, 2, 0), ("xinfeng_tjj_2022_v1_edited.html", True, 2, 2)]

    # Other numbers in 本年新收: the dismissed T3_STATED flag is open again; the carry-over flag,
    # whose numbers did not change, stays confirmed.
    ingest(db, "xinfeng_tjj_2022_v1_renumbered.html")
    assert current_flags(db, "open_flags") == [
        ("xinfeng_tjj_2022_v1_renumbered.html", "T3_STATED", "natural_person", None),
        ("xinfeng_tjj_2022_v1_renumbered.html", "T3_STATED", "total", None),
        ("xinfeng_tjj_2022_v1_renumbered.html", "T3_CROSS_YEAR", "natural_person", "confirmed"),
        ("xinfeng_tjj_2022_v1_renumbered.html", "T3_CROSS_YEAR", "total", None),
    ]

    # The corrected version: no flag; every older version stays, with its own flags only.
    ingest(db, "xinfeng_tjj_2022_v2.html")
    assert current_flags(db) == []
    assert versions(db) == [
        ("xinfeng_tjj_2022_v1.html", False, 2, 0), ("xinfeng_tjj_2022_v1_edited.html", False, 2, 0),
        ("xinfeng_tjj_2022_v1_renumbered.html", False, 2, 0), ("xinfeng_tjj_2022_v2.html", True, 0, 0)]
    with duckdb.connect(str(db), read_only=True) as con:
        decisions = list_decisions(con)
    assert sorted((d.rule, d.subject, d.status, d.applies) for d in decisions) == [
        ("T3_CROSS_YEAR", "natural_person", "confirmed", False), ("T3_STATED", "natural_person", "dismissed", False)]


def test_an_older_version_arriving_later_does_not_become_current(db):
    ingest(db, "xinfeng_tjj_2022_v2.html", "xinfeng_tjj_2022_v1.html")  # v1 already known: first seen earlier
    assert current_flags(db) == []


def test_review_errors_name_what_to_type(db):
    with write_session(db) as warehouse:
        with pytest.raises(ReviewError, match="has no flag T3_STATED received; its flags: .*T3_STATED natural_person"):
            record_decision(warehouse.con, f"{AGENCY}:2022", "T3_STATED", "received", "dismissed")
        with pytest.raises(ReviewError, match="neither a report id"):
            record_decision(warehouse.con, AGENCY, "T3_STATED", "total", "dismissed")
        with pytest.raises(ReviewError, match="status must be one of confirmed, dismissed"):
            record_decision(warehouse.con, f"{AGENCY}:2022", "T3_STATED", "total", "ignored")


# ---------------------------------------------------------------------------- the commands

def test_review_command_then_ingest_command_keeps_the_decision(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("xinfeng_tjj_2021.html", "xinfeng_tjj_2022_v1.html"):
        shutil.copy(VERSIONS / name, folder)
    db = tmp_path / "w.duckdb"
    args = ["ingest", str(folder), "--db", str(db), "--no-prefect", "--workers", "0"]
    assert runner.invoke(app, args).exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        report_id = con.execute("SELECT report_id FROM reports WHERE year = 2022").fetchone()[0]
    # The subject as `show` prints it (自然人), not only its code.
    result = runner.invoke(app, ["review", report_id, "T3_STATED", "自然人", "--status", "dismissed",
                                 "--note", "草稿笔误", "--reviewer", "王督查", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "已排除 依申请公开表勾稽关系（T3_STATED） 自然人 — 信丰县统计局 2022" in result.output

    assert runner.invoke(app, args).exit_code == 0  # the same folder again
    assert ("xinfeng_tjj_2022_v1.html", "T3_STATED", "natural_person") not in [
        f[:3] for f in current_flags(db, "open_flags")]
    shutil.copy(VERSIONS / "xinfeng_tjj_2022_v1_edited.html", folder)  # a changed document, same numbers
    assert runner.invoke(app, args).exit_code == 0
    assert [f[:3] for f in current_flags(db, "open_flags")] == [
        ("xinfeng_tjj_2022_v1_edited.html", "T3_STATED", "total"),
        ("xinfeng_tjj_2022_v1_edited.html", "T3_CROSS_YEAR", "natural_person"),
        ("xinfeng_tjj_2022_v1_edited.html", "T3_CROSS_YEAR", "total")]

    listed = runner.invoke(app, ["reviews", "--db", str(db)])
    assert listed.exit_code == 0 and "草稿笔误" in listed.output and "王督查" in listed.output
    assert "审核说明" in listed.output and "仍然适用" in listed.output

    shown = runner.invoke(app, ["show", AGENCY, "2022", "--db", str(db), "--html", str(tmp_path / "r.html")],
                          env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert "〔审核：已排除：草稿笔误〕" in shown.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    # The cells of the open flags are highlighted; nothing is loaded from elsewhere.
    assert 'id="p-received-total" class="flag-error"' in page
    # T3_STATED, which cites it too, is dismissed: the cell is coloured by T3_CROSS_YEAR (warn).
    assert 'id="p-carried_in-natural_person" class="flag-warn"' in page
    assert "已排除" in page and "http" not in page.replace("http-equiv", "")

    rechecked = runner.invoke(app, ["recheck", "--db", str(db)])
    assert rechecked.exit_code == 0 and "2 cross-year and duplication flags" in rechecked.output


def test_review_command_with_agency_and_year_and_an_unknown_flag(db):
    result = runner.invoke(app, ["review", f"{AGENCY}:2022", "T4_TOTALS", "review", "--status", "confirmed",
                                 "--db", str(db)])
    assert result.exit_code == 1
    assert "has no flag T4_TOTALS review" in result.output


def test_a_warehouse_of_schema_version_1_is_upgraded(tmp_path):
    db = tmp_path / "old.duckdb"
    with write_session(db):
        pass
    with duckdb.connect(str(db)) as con:  # as an older nianbao left it
        con.execute("DROP VIEW open_flags")
        con.execute("DROP VIEW flag_reviews")
        con.execute("ALTER TABLE check_results DROP COLUMN fingerprint")
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (1, now(), 'version 1')")
    with write_session(db) as warehouse:
        columns = [r[0] for r in warehouse.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'check_results'").fetchall()]
        versions_seen = [r[0] for r in warehouse.con.execute(
            "SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert columns[-1] == "fingerprint" and versions_seen == [1, SCHEMA_VERSION]


def test_review_takes_the_rule_and_subject_exactly_as_show_prints_them(fresh_db):
    """Issue 13: the 对象 cell of `show` (a compound label here), typed back into `review` with
    the report id of show's hint, records the decision on that flag."""
    shown = runner.invoke(app, ["show", "来凤县人力资源和社会保障局", "2021", "--db", str(fresh_db)],
                          env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if "T3_BOUNDS" in line)
    rule_cell, _severity, subject = (c.strip() for c in row.strip("│").split("│")[:3])
    assert (rule_cell, subject) == ("数值范围（非负整数、办结不超过收到） T3_BOUNDS", "（三）不予公开4.保护第三方合法权益·自然人")
    report_id = re.search(r"nianbao review (rp_[0-9a-f]+) ", shown.output).group(1)
    result = runner.invoke(app, ["review", report_id, "T3_BOUNDS", subject, "--status", "confirmed",
                                 "--reviewer", "李督查", "--db", str(fresh_db)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(fresh_db), read_only=True) as con:
        (decision,) = list_decisions(con)
    assert (decision.rule, decision.subject, decision.status, decision.reviewer) == (
        "T3_BOUNDS", "withheld_third_party:natural_person", "confirmed", "李督查")
