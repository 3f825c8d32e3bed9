"""Crawled documents through the ordinary ingest: the URL is the document's source, unchanged
documents are not read again, and a changed report becomes a new version."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

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


N_REPORTS = 12
CRAWL = "import sys; from nianbao.cli import app; sys.argv[0] = 'nianbao'; app()"


def slow_column(folder: Path) -> Path:
    """A TRS column of N_REPORTS over 3 pages, each report page answering in 0.25 s."""
    import yaml

    folder.mkdir(parents=True)
    routes, per_page = [], N_REPORTS // 3
    for p in range(3):
        items = []
        for i in range(p * per_page, (p + 1) * per_page):
            title = f"第{i}号单位{2010 + i}年政府信息公开工作年度报告"
            items.append(f'<li><a href="./r/{i}.html">{title}</a><span>{2011 + i}-01-15</span></li>')
            (folder / f"r{i}.html").write_text(
                f'<html><head><meta charset="utf-8"><meta name="PubDate" content="{2011 + i}-01-15"></head><body>'
                f"<h1>{title}</h1><p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p></body></html>",
                encoding="utf-8")
            routes.append({"path": f"/nb/r/{i}.html", "file": f"r{i}.html", "content_type": "text/html", "delay": 0.25})
        name = "index.html" if p == 0 else f"index_{p}.html"
        (folder / name).write_text(f'<html><head><meta charset="utf-8"></head><body><ul>{"".join(items)}</ul>'
                                   f'<script>createPageHTML(3, {p}, "index", "html");</script></body></html>',
                                   encoding="utf-8")
        routes.append({"path": f"/nb/{name}", "file": name, "content_type": "text/html"})
    (folder / "fixture.yaml").write_text(yaml.safe_dump({"routes": routes}, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [2, 9, 1 + 3 + N_REPORTS])
def test_kill_9_of_a_crawl_then_a_rerun_finds_every_report_once(kill_at, tmp_path):
    """kill_at: the number of requests the portal has answered when the crawl is killed (2: the
    listing, 9: reports being read, 16: every answer given, the pass being recorded or ingested)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from nianbao.fetch.replay import FixturePortal
    from nianbao.warehouse.store import read_session

    db, raw, sources = tmp_path / "wh.duckdb", tmp_path / "raw", tmp_path / "sources.yaml"
    with FixturePortal(slow_column(tmp_path / "portal")) as portal:
        sources.write_text(f"defaults: {{delay: 0, concurrency: 1, retries: 0}}\nsources:\n"
                           f"  - {{agency: 测试局, url: '{portal.url('/nb/index.html')}', allow_private: true}}\n",
                           encoding="utf-8")
        command = [sys.executable, "-c", CRAWL, "crawl", "--sources", str(sources), "--db", str(db), "--raw", str(raw),
                   "--workers", "0"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while len(portal.hits) < kill_at and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the crawl ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        rerun = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    with read_session(db) as con:
        q = lambda sql: con.execute(sql).fetchall()
        last = "(SELECT crawl_id FROM crawl_runs WHERE finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1)"
        # A pass is recorded whole or not at all: a killed one is unfinished with no reports recorded
        # (or, killed during its ingest, finished with all of them).
        assert q("SELECT c.crawl_id FROM crawl_runs c LEFT JOIN found_reports f USING (crawl_id) GROUP BY ALL "
                 "HAVING count(f.url) != coalesce(any_value(c.n_reports), 0)") == []
        assert q(f"SELECT count(*), count(DISTINCT url) FROM found_reports WHERE crawl_id = {last}") == \
            [(N_REPORTS, N_REPORTS)]
        assert q("SELECT status, reports_found FROM source_status") == [("ok", N_REPORTS)]
        assert q("SELECT count(*), count(DISTINCT source), count(DISTINCT document_id) FROM documents") == \
            [(N_REPORTS, N_REPORTS, N_REPORTS)]
        assert q("SELECT count(*) FROM (SELECT crawl_id, seq FROM fetches GROUP BY ALL HAVING count(*) > 1)") == [(0,)]
        # The last ingest is the re-run's, it finished, and its crawl pass names it.
        assert q(f"SELECT r.finished_at IS NOT NULL, r.run_id = (SELECT ingest_run_id FROM crawl_runs WHERE crawl_id = "
                 f"{last}) FROM runs r ORDER BY r.started_at DESC LIMIT 1") == [(True, True)]
