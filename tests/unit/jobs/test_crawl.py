"""Crawled documents through the ordinary ingest: the URL is the document's source, unchanged
documents are not read again, and a changed report becomes a new version."""

from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
import pytest

from nianbao.config import samples_dir
from nianbao.jobs.crawl import crawl_once
from tests.helpers.portal import registry

# The .doc/.wps sources need LibreOffice (seconds per file); the other formats are enough here.
AGENCIES = ("舞阳县教育局", "舞阳县卫生健康委员会", "淮安市洪泽区人民政府办公室", "平武县市场监督管理局")


@pytest.mark.slow
def test_crawled_documents_are_ingested_once_and_a_changed_report_is_a_new_version(portal, tmp_path):
    reg = registry(portal)
    reg = replace(reg, sources=tuple(s for s in reg.sources if s.agency in AGENCIES))
    db, raw = tmp_path / "wh.duckdb", tmp_path / "raw"

    first = crawl_once(reg, db, raw, workers=0)
    assert first.ingest is not None and first.ingest.n_documents == 6
    assert first.ingest.documents_by_status.get("ok", 0) >= 5  # the page image: as the OCR reader can
    con = duckdb.connect(str(db), read_only=True)
    sources = {s for (s,) in con.execute("SELECT source FROM documents").fetchall()}
    assert all(s.startswith(portal.base) for s in sources)
    pdf = con.execute(
        "SELECT r.published_on, r.year, d.format FROM reports r JOIN documents d USING (document_id) "
        "WHERE d.source LIKE '%.pdf'").fetchone()
    assert (str(pdf[0]), pdf[1], pdf[2]) == ("2023-01-28", 2022, "pdf")  # the date beside the listing link
    ingest_run = con.execute("SELECT ingest_run_id FROM crawl_runs").fetchone()[0]
    assert con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [ingest_run]).fetchone()[0] == 1
    con.close()

    second = crawl_once(reg, db, raw, workers=0)
    assert second.to_ingest == () and second.ingest is None

    # The 2021 report is corrected on the portal: its page changes.
    corrected = tmp_path / "corrected.html"
    shutil.copy(samples_dir() / "wuyang_jyj_2021.html", corrected)
    with corrected.open("a", encoding="utf-8") as f:
        f.write("<!-- 2022-02-10 更正 -->\n")
    portal.config.files["/wuyang/jyj/nb/202201/t20220120_1001.html"] = corrected
    third = crawl_once(reg, db, raw, workers=0)
    assert [d.url.replace(portal.base, "") for d in third.crawl.documents if d.changed] == ["/wuyang/jyj/nb/old/2021.html"]
    assert third.ingest is not None and third.ingest.n_documents == 1
    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute(
        "SELECT r.is_current, r.agency_name FROM reports r JOIN documents d USING (document_id) "
        "WHERE r.year = 2021 AND d.source LIKE '%/old/2021.html' ORDER BY d.fetched_at").fetchall()
    con.close()
    assert versions == [(False, "舞阳县教育局"), (True, "舞阳县教育局")]
