"""Batch loads (Warehouse.load_many): the same tables as loading one by one, idempotent, one bad
document never costs the others, is_current right within and across batches."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sample_results import FETCHED_AT, dump_tables, make_non_report, make_result

from nianbao.jobs.ingest import discover_documents
from nianbao.normalize.model import DocumentResult
from nianbao.pipeline import process_document
from nianbao.warehouse.store import DATA_TABLES, Warehouse, report_id_for, write_session
from tests.paths import SAMPLES


@pytest.fixture(scope="module")
def sample_results() -> list[DocumentResult]:
    """The sample corpus through the real pipeline: ok, not_a_report and failed
    documents with every kind of cell, flag and structure note."""
    return [process_document(p) for p in discover_documents([SAMPLES])]


def dump_everything(con) -> dict[str, list[tuple]]:
    tables = dump_tables(con, DATA_TABLES)
    # run ids are random: compare what the run recorded, in order.
    tables["run_documents"] = con.execute(
        "SELECT seq, source, document_id, status, error FROM run_documents ORDER BY seq").fetchall()
    return tables


def store(db: Path, batches: list[list[DocumentResult]], *, one_by_one: bool) -> dict[str, list[tuple]]:
    with write_session(db) as wh:
        run_id = wh.start_run(orchestrator="plain", paths=["x"], workers=0)
        for batch in batches:
            if one_by_one:
                for result in batch:
                    wh.load(result, run_id)
            else:
                outcomes = wh.load_many(batch, run_id)
                assert [o.document_id for o in outcomes] == [r.document_id for r in batch]
                assert all(o.error is None for o in outcomes)
        return dump_everything(wh.con)


def current(con) -> list[tuple]:
    return sorted(con.execute("SELECT document_id, agency_id, year, is_current FROM reports").fetchall(),
                  key=repr)


def assert_one_current_per_group(con) -> None:
    bad = con.execute(
        "SELECT agency_id, year, count(*) FILTER (WHERE is_current) AS n FROM reports "
        "WHERE agency_id IS NOT NULL AND year IS NOT NULL GROUP BY ALL HAVING n <> 1").fetchall()
    assert bad == []
    assert con.execute("SELECT count(*) FROM reports WHERE (agency_id IS NULL OR year IS NULL) "
                       "AND NOT is_current").fetchone() == (0,)


def tricky_batches(samples: list[DocumentResult]) -> list[list[DocumentResult]]:
    v1 = make_result("v1", fetched_at=datetime(2022, 2, 1))
    v2 = make_result("v2", fetched_at=datetime(2022, 6, 1), received=7)
    v0 = make_result("v0", fetched_at=datetime(2021, 1, 1), received=3)
    moved = make_result("moved", fetched_at=datetime(2022, 9, 1))
    no_agency = replace(make_result("no-agency"), agency=None)
    no_year = make_result("no-year")
    no_year = replace(no_year, report=replace(no_year.report, year=None))
    tie_a, tie_b = make_result("tie-a", year=2019), make_result("tie-b", year=2019)
    later = FETCHED_AT + timedelta(days=30)
    return [
        [*samples, v1, make_non_report()],
        # Two versions of one agency/year and a tie in one batch; samples and v1 seen again
        # (later, elsewhere); a document twice in the batch; reports without agency or year.
        [v2, tie_b, tie_a, replace(samples[3], fetched_at=later, source="elsewhere/a.html"),
         replace(v1, fetched_at=later), moved, make_result("twice", year=2018, received=1),
         make_result("twice", year=2018, received=8, source="copy/twice.html", fetched_at=later),
         no_agency, no_year, *samples[10:20]],
        # An older version; a report read again as another year; a stored report that is now
        # read as not a report (its group must be recomputed).
        [v0, replace(moved, report=replace(moved.report, year=2022)),
         replace(v2, status="not_a_report", error="not a report after all", report=None, agency=None,
                 checks=()), replace(samples[0], fetched_at=later)],
    ]


def test_a_batch_stores_exactly_what_loading_one_by_one_stores(tmp_path, sample_results):
    batches = tricky_batches(sample_results)
    one_by_one = store(tmp_path / "one.duckdb", batches, one_by_one=True)
    batched = store(tmp_path / "batch.duckdb", batches, one_by_one=False)
    assert batched == one_by_one
    assert len(batched["documents"]) == len(sample_results) + 10
    assert len(batched["run_documents"]) == sum(len(b) for b in batches)
    with write_session(tmp_path / "batch.duckdb") as wh:
        assert_one_current_per_group(wh.con)


def test_reloading_a_batch_changes_nothing(tmp_path, sample_results):
    batches = tricky_batches(sample_results)
    with write_session(tmp_path / "wh.duckdb") as wh:
        for batch in batches:
            wh.load_many(batch)
        before = dump_tables(wh.con, DATA_TABLES)
        for batch in batches:
            wh.load_many(batch)
        assert dump_tables(wh.con, DATA_TABLES) == before
        # Seen again later, from elsewhere, in another order and other batches.
        everything = [r for batch in batches for r in batch]
        again = [replace(r, fetched_at=r.fetched_at + timedelta(days=90), source=f"mirror/{i}")
                 for i, r in enumerate(everything)]
        wh.load_many(again[::-1][: len(again) // 2])
        wh.load_many(again[: len(again) // 2 + 1])
        for batch in batches:
            wh.load_many(batch)
        assert dump_tables(wh.con, DATA_TABLES) == before
    with write_session(tmp_path / "wh.duckdb") as wh:  # and across sessions
        for batch in batches:
            wh.load_many(batch)
        assert dump_tables(wh.con, DATA_TABLES) == before


def test_a_document_that_cannot_be_stored_fails_alone(tmp_path, monkeypatch, caplog):
    a, bad, c = make_result("a"), make_result("bad", agency="乙局"), make_result("c", year=2020)
    readme = make_non_report()
    original = Warehouse._append_cells

    def fail_for_bad(self, report_id, report):
        if report.agency == "乙局":
            raise ValueError("a cell the warehouse cannot hold")
        return original(self, report_id, report)

    monkeypatch.setattr(Warehouse, "_append_cells", fail_for_bad)
    with write_session(tmp_path / "wh.duckdb") as wh, caplog.at_level(logging.WARNING, "nianbao.warehouse"):
        run_id = wh.start_run(orchestrator="plain", paths=["x"], workers=0)
        outcomes = wh.load_many([a, bad, readme, c], run_id)
        assert [o.error is None for o in outcomes] == [True, False, True, True]
        assert "could not be stored" in outcomes[1].error and "a cell the warehouse cannot hold" in outcomes[1].error
        assert [o.report_id for o in outcomes] == [report_id_for(a.document_id), None, None,
                                                   report_id_for(c.document_id)]
        assert "could not be stored together" in caplog.text
        con = wh.con
        assert sorted(con.execute("SELECT document_id, status FROM documents").fetchall()) == sorted([
            (a.document_id, "ok"), (bad.document_id, "failed"), (readme.document_id, "not_a_report"),
            (c.document_id, "ok")])
        assert sorted(r[0] for r in con.execute("SELECT document_id FROM reports").fetchall()) == sorted(
            [a.document_id, c.document_id])
        assert con.execute("SELECT count(*) FROM applications WHERE report_id = ?",
                           [report_id_for(bad.document_id)]).fetchone() == (0,)
        assert con.execute("SELECT seq, document_id, status FROM run_documents ORDER BY seq").fetchall() == [
            (1, a.document_id, "ok"), (2, bad.document_id, "failed"), (3, readme.document_id, "not_a_report"),
            (4, c.document_id, "ok")]
        assert_one_current_per_group(con)


def test_a_batch_failing_inside_duckdb_is_rolled_back_and_retried_one_by_one(tmp_path):
    a = make_result("a")
    c = make_result("c", year=2020)
    dup = make_result("dup", agency="乙局")
    # A cell without its column code: the NOT NULL of `applications.applicant` rejects it in DuckDB.
    cells = dup.report.applications
    dup = replace(dup, report=replace(dup.report, applications=(replace(cells[0], applicant=None), *cells[1:])))
    with write_session(tmp_path / "wh.duckdb") as wh:
        wh.load_many([a, make_non_report()])
        before = dump_tables(wh.con, DATA_TABLES)
        # a again (its old rows are deleted in the batch: the rollback must bring them back)
        outcomes = wh.load_many([replace(a, fetched_at=FETCHED_AT + timedelta(days=1)), dup, c])
        assert [o.error is not None for o in outcomes] == [False, True, False]
        assert "ConstraintException" in outcomes[1].error
        after = dump_tables(wh.con, DATA_TABLES)
        for table in ("applications", "active_disclosure", "appeals", "check_results", "structure_notes"):
            assert {r for r in after[table] if r[0] != report_id_for(c.document_id)} == set(before[table]), table
        assert wh.con.execute("SELECT status FROM documents WHERE document_id = ?",
                              [dup.document_id]).fetchall() == [("failed",)]
        assert wh.con.execute("SELECT fetched_at FROM documents WHERE document_id = ?",
                              [a.document_id]).fetchall() == [(FETCHED_AT,)]
        wh.load_many([make_result("d", year=2018), make_result("e", year=2017)])  # still usable
        assert wh.con.execute("SELECT count(*) FROM reports").fetchone() == (4,)


def test_a_document_with_the_same_cell_twice_is_refused_without_a_key_index(tmp_path):
    # applications has no PRIMARY KEY index (tables.py): the loader checks its key.
    a = make_result("a")
    dup = make_result("dup", agency="乙局")
    dup = replace(dup, report=replace(dup.report, applications=dup.report.applications * 2))
    with write_session(tmp_path / "wh.duckdb") as wh:
        outcomes = wh.load_many([a, dup])
        assert [o.error is not None for o in outcomes] == [False, True]
        cell = dup.report.applications[0]
        assert (f"DuplicateKey: applications: two rows with the key (report_id, row, applicant) = "
                f"('{report_id_for(dup.document_id)}', '{cell.row}', '{cell.applicant}')") in outcomes[1].error
        assert wh.con.execute("SELECT count(*) FROM applications WHERE report_id = ?",
                              [report_id_for(dup.document_id)]).fetchone() == (0,)
        assert wh.con.execute("SELECT count(*) FROM applications").fetchone() == (len(a.report.applications),)


def test_is_current_within_a_batch_and_across_batches(tmp_path):
    old = make_result("v1", fetched_at=datetime(2022, 2, 1))
    new = make_result("v2", fetched_at=datetime(2022, 6, 1), received=7)
    newest = make_result("v3", fetched_at=datetime(2023, 1, 1), received=9)
    oldest = make_result("v0", fetched_at=datetime(2021, 1, 1))
    other_year = make_result("y2020", year=2020, fetched_at=datetime(2021, 2, 1))
    no_agency = replace(make_result("no-agency", fetched_at=datetime(2020, 1, 1)), agency=None)
    aid = old.agency.agency_id

    def row(result, year, is_current, agency_id=aid):
        return (result.document_id, agency_id, year, is_current)

    with write_session(tmp_path / "wh.duckdb") as wh:
        # Two versions of one agency/year in the same batch, the newer one first.
        wh.load_many([new, other_year, old, no_agency])
        assert current(wh.con) == sorted([row(old, 2021, False), row(new, 2021, True), row(other_year, 2020, True),
                                          row(no_agency, 2021, True, None)], key=repr)
        # A newer version in a later batch takes over; an older one does not.
        wh.load_many([newest, make_non_report()])
        wh.load_many([oldest, replace(old, fetched_at=datetime(2024, 1, 1))])  # seeing v1 again: no newer
        assert current(wh.con) == sorted([
            row(old, 2021, False), row(new, 2021, False), row(newest, 2021, True), row(oldest, 2021, False),
            row(other_year, 2020, True), row(no_agency, 2021, True, None)], key=repr)
        # The current report read again as another year: the newest left in 2021 takes over.
        wh.load_many([replace(newest, report=replace(newest.report, year=2022)), make_result("z", year=2019)])
        assert [(d, y) for d, _, y, c in current(wh.con) if c and y == 2021 and _ == aid] == [
            (new.document_id, 2021)]
        assert_one_current_per_group(wh.con)

    # Same first-seen time in one batch: the larger document_id wins, whatever the order.
    tie_a, tie_b = make_result("tie-a", year=2019), make_result("tie-b", year=2019)
    winner = max(tie_a.document_id, tie_b.document_id)
    for i, batch in enumerate(([tie_a, tie_b], [tie_b, tie_a])):
        with write_session(tmp_path / f"tie{i}.duckdb") as wh:
            wh.load_many(batch)
            assert wh.con.execute("SELECT document_id FROM reports WHERE is_current").fetchall() == [(winner,)]


def test_an_agency_keeps_what_any_document_of_the_batch_knew(tmp_path):
    a = make_result("a")
    known = a.agency
    vague = replace(known, province=None, city=None, county=None, region_code=None, level=None)
    precise = replace(known, province="河南省", city="漯河市", county="舞阳县", region_code="411121")
    batch = [replace(a, agency=precise), replace(make_result("b", year=2020), agency=vague)]
    with write_session(tmp_path / "one.duckdb") as wh:
        for r in batch:
            wh.load(r)
        one_by_one = wh.con.execute("SELECT * FROM agencies").fetchall()
        # What was stored is kept too, when a later batch knows less.
        later = [replace(make_result(seed, year=2019), agency=vague) for seed in ("c", "d")]
        for r in later:
            wh.load(r)
        after_later = wh.con.execute("SELECT * FROM agencies").fetchall()
    with write_session(tmp_path / "batch.duckdb") as wh:
        wh.load_many(batch)
        assert wh.con.execute("SELECT * FROM agencies").fetchall() == one_by_one
        assert one_by_one[0][2:6] == ("河南省", "漯河市", "舞阳县", "411121")
        wh.load_many(later)
        assert wh.con.execute("SELECT * FROM agencies").fetchall() == after_later == one_by_one
