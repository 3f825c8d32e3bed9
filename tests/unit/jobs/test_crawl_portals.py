"""Reports that are only files (a download script with Content-Disposition, a redirect to an
address without an extension) crawled from their columns and read by the ordinary ingest: every
application cell as the report prints it."""

from __future__ import annotations

import json

import duckdb
import pytest

from nianbao.fetch.replay import FixturePortal
from nianbao.jobs.crawl import crawl_once
from tests.helpers.fixture_portals import PORTALS, fixture_sources

OFFICE = PORTALS.parent / "office"


@pytest.mark.slow
def test_attachment_only_reports_are_crawled_and_ingested_cell_for_cell(tmp_path):
    db = tmp_path / "wh.duckdb"
    with FixturePortal(PORTALS / "attachments_e2e") as portal:
        first = crawl_once(fixture_sources(portal), db, tmp_path / "raw", workers=0)
        second = crawl_once(fixture_sources(portal), db, tmp_path / "raw", workers=0)
    assert first.ingest is not None and first.ingest.n_documents == 2
    assert second.to_ingest == () and second.ingest is None   # unchanged: nothing new, no rows
    con = duckdb.connect(str(db), read_only=True)
    try:
        # The publication date is the one the portal prints (the report page, or beside the listing link).
        for name, year, date in (("cangnan_rsj_2022.expected.json", 2022, "2023-01-18"),
                                 ("laifeng_zrzyhghj_2020.pdf.expected.json", 2020, "2021-01-26")):
            expected = json.loads((OFFICE / name).read_text(encoding="utf-8"))
            (report_id, agency, published) = con.execute(
                "SELECT report_id, agency_name, published_on FROM reports WHERE year = ?", [year]).fetchone()
            assert (agency, str(published)) == (expected["agency"], date)
            cells = {(row, applicant): value for row, applicant, value in con.execute(
                'SELECT "row", applicant, value FROM applications WHERE report_id = ?', [report_id]).fetchall()}
            want = {(row, applicant): value for row, values in expected["applications"].items()
                    for applicant, value in values.items()}
            assert {k: cells.get(k) for k in want} == want
        n_reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        sources = sorted(s.replace(portal.base, "") for (s,) in con.execute("SELECT source FROM documents").fetchall())
    finally:
        con.close()
    assert n_reports == 2
    assert sources == ["/laifeng/ndbg/download.jsp?id=20", "/module/download/downfile.jsp?classid=0&filename=2301181620.docx"]
