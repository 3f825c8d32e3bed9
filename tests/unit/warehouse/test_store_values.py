"""Numbers are stored exactly as printed (DECIMAL(38,10)), NULLs with their code, reports with
their issuer kind; a warehouse of schema 2 is upgraded in place."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from nianbao.pipeline import process_document
from nianbao.supervise.compliance import compliance_table
from nianbao.supervise.league_view import display_value
from nianbao.warehouse.queries import report_view_by_id
from nianbao.warehouse.store import (
    SCHEMA_VERSION,
    as_printed,
    fit_number,
    fits_decimal,
    read_session,
    write_session,
)
from tests.paths import CHECK_FILES, CHECK_QUIRKS

QUIRKS = CHECK_QUIRKS
FEES = {"xinfeng_fgw_2022_fee_six.html": ("5949.088667", "5949.088667"),
        "xinfeng_fgw_2022_fee_zeros.html": ("7730.280000", "7730.28"),
        "xinfeng_fgw_2022_fee_tiny.html": ("0.000125", "0.000125")}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "wh.duckdb"
    names = [*FEES, "xinfeng_gxq_2022_zone_title.html", "xinfeng_gxq_2023_uncertain.html"]
    with write_session(path) as warehouse:
        warehouse.load_many([process_document(QUIRKS / n) for n in names]
                            + [process_document(CHECK_FILES / "xinfeng_sjj_2022_no_table.html")])
    return path


def test_fees_are_stored_exactly_as_printed(db):
    with read_session(db) as con:
        rows = dict(con.execute(
            "SELECT d.source, a.raw || '|' || CAST(a.value AS VARCHAR) || '|' || a.unit FROM active_disclosure a "
            "JOIN reports r USING (report_id) JOIN documents d USING (document_id) "
            "WHERE a.item = 'art20_8' AND a.metric = 'amount'").fetchall())
        typ = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'active_disclosure' "
                          "AND column_name = 'value'").fetchone()[0]
    assert typ == "DECIMAL(38,10)"
    for name, (printed, _) in FEES.items():
        raw, value, unit = rows[str(QUIRKS / name)].split("|")
        assert (raw, unit) == (printed, "万元")
        assert Decimal(value) == Decimal(printed)  # 5949.0886670000: not rounded to 5949.0887


def test_a_stored_fee_reads_back_as_printed(db):
    with read_session(db) as con:
        ids = dict(con.execute("SELECT d.source, r.report_id FROM reports r JOIN documents d USING (document_id)")
                   .fetchall())
        for name, (_, shown) in FEES.items():
            view = report_view_by_id(con, ids[str(QUIRKS / name)])
            (fee,) = [v for v in view.active if v.item == "art20_8" and v.metric == "amount"]
            assert str(fee.value) == shown


def test_null_values_are_stored_with_their_code(db):
    with read_session(db) as con:
        for table in ("applications", "active_disclosure", "appeals"):
            assert con.execute(
                f"SELECT count(*) FILTER (WHERE value IS NULL AND null_reason IS NULL), "
                f"count(*) FILTER (WHERE value IS NOT NULL AND null_reason IS NOT NULL) FROM {table}").fetchone() \
                == (0, 0), table
        # 审计局 wrote a sentence instead of the section 四 table: 15 cells NULL, no_table.
        assert con.execute("SELECT null_reason, count(*) FROM appeals WHERE value IS NULL GROUP BY ALL").fetchall() \
            == [("no_table", 15)]


def test_issuer_kind_is_a_column_of_reports_and_of_the_compare_table(db):
    with read_session(db) as con:
        kinds = dict(con.execute("SELECT d.source, r.issuer_kind FROM reports r JOIN documents d USING (document_id)")
                     .fetchall())
        table = {(row.agency, row.year): row for row in compliance_table(con, [])}
    assert kinds[str(QUIRKS / "xinfeng_gxq_2022_zone_title.html")] == "government"
    assert kinds[str(QUIRKS / "xinfeng_gxq_2023_uncertain.html")] == "other"
    assert kinds[str(QUIRKS / "xinfeng_fgw_2022_fee_six.html")] == "department"
    zone = table[("信丰县高新技术产业园区管理委员会", 2022)]
    assert (zone.issuer_kind, zone.deadline.isoformat(), zone.on_time) == ("government", "2023-03-31", "on_time")
    uncertain = table[("信丰县高新技术产业园区管理委员会", 2023)]
    # Published 2024-03-08: late for a department, on time for a government; never called late.
    assert (uncertain.issuer_kind, uncertain.on_time) == ("other", "unknown")
    assert display_value("issuer_kind", "government") == "本级政府"


def test_numbers_that_do_not_fit_exactly_are_null_with_a_reason():
    assert fits_decimal(Decimal("5949.088667")) and fits_decimal(Decimal("1.50000000000000"))
    assert not fits_decimal(Decimal("0.12345678901"))  # 11 decimals would be rounded
    assert not fits_decimal(Decimal(10) ** 28)
    assert fit_number(Decimal("0.12345678901")) is None
    assert as_printed(Decimal("100.0000000000")) == Decimal(100) and str(as_printed(Decimal("100.0000000000"))) == "100"


def test_a_schema_2_warehouse_is_upgraded(tmp_path):
    db = tmp_path / "old.duckdb"
    with write_session(db):
        pass
    with duckdb.connect(str(db)) as con:  # as nianbao of schema 2 left it
        con.execute("DROP VIEW open_flags")
        con.execute("DROP VIEW flag_reviews")
        for table in ("applications", "active_disclosure", "appeals"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN null_reason")
        con.execute("ALTER TABLE reports DROP COLUMN issuer_kind")
        con.execute("ALTER TABLE reports DROP COLUMN issuer_basis")
        con.execute("ALTER TABLE active_disclosure ALTER COLUMN value TYPE DECIMAL(18,4)")
        con.execute("ALTER TABLE check_results ALTER COLUMN expected TYPE DECIMAL(18,4)")
        con.execute("ALTER TABLE check_results ALTER COLUMN actual TYPE DECIMAL(18,4)")
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (2, now(), 'version 2')")
    with write_session(db) as warehouse:
        warehouse.load(process_document(QUIRKS / "xinfeng_fgw_2022_fee_six.html"))
        types = {(t, c): d for t, c, d in warehouse.con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()}
        fee = warehouse.con.execute("SELECT value FROM active_disclosure WHERE item = 'art20_8'").fetchone()[0]
        versions = [r[0] for r in warehouse.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert {types[("active_disclosure", "value")], types[("check_results", "expected")],
            types[("check_results", "actual")]} == {"DECIMAL(38,10)"}
    assert ("reports", "issuer_kind") in types and ("appeals", "null_reason") in types
    assert fee == Decimal("5949.088667") and versions == [2, SCHEMA_VERSION]
