"""The mock portal end to end: every report and nothing else, every fault survived, and a second
pass that downloads nothing and takes under a tenth of the first's time."""

from __future__ import annotations

import time

import duckdb
import pytest

from nianbao.fetch.rawstore import read_first_seen
from tests.helpers.portal import EXPECTED, crawl, paths, registry


@pytest.mark.slow  # the portal's slow page takes 4 s
def test_mock_portal_crawl_finds_every_report_and_a_second_pass_downloads_nothing(portal, sentinel, tmp_path):
    expected = EXPECTED["sources.yaml"]
    reg = registry(portal)

    started = time.monotonic()
    first = crawl(reg, tmp_path)
    first_seconds = time.monotonic() - started

    assert paths(portal, (r.url for r in first.crawl.reports)) == set(expected["reports"])
    assert paths(portal, (d.url for d in first.crawl.documents)) == set(expected["documents"])
    assert all(d.outcome == "downloaded" for d in first.crawl.documents)
    assert len(first.to_ingest) == len(expected["documents"])
    requested = {h.path for h in portal.hits}
    assert not requested & set(expected["never_requested"])
    assert sentinel.hits == []  # the off-host link was never followed
    # Every fault was met and survived.
    errors = " ".join(e for s in first.crawl.sources for e in s.errors)
    for path in expected["errors"]:
        assert path in errors
    assert "HTTP 404" in errors and "redirect loop" in errors
    skipped = " ".join(e for s in first.crawl.sources for e in s.skipped)
    assert "192.168.10.20" in skipped and sentinel.base in skipped and "robots.txt" in skipped
    flaky = [h.status for h in portal.hits if h.path == "/wuyang/jyj/nb/index_1.html"]
    assert flaky == [500, 200]
    # Every source yielded.
    assert all(s.reports for s in first.crawl.sources)

    # The publication dates: from the page (发布日期 / 发布时间) or beside the listing link.
    by_path = {r.url.replace(portal.base, ""): r for r in first.crawl.reports}
    assert str(by_path["/wuyang/jyj/nb/202301/t20230118_1002.html"].published_on) == "2023-01-18"
    assert str(by_path["/wuyang/wjw/xxgk/nb/202201/t20220125_2001.html"].published_on) == "2022-01-25"
    assert str(by_path["/pingwu/scjgj/gkml/ndbg/P020230128612345.pdf"].published_on) == "2023-01-28"
    docx = next(d for d in first.crawl.documents if d.url.endswith(".docx"))
    seen = read_first_seen(docx.path)
    assert seen.url == docx.url and str(seen.published_on) == "2022-01-25"
    assert docx.path.parent.parent == tmp_path / "raw" and docx.path.name.startswith(docx.sha256)

    hits_before = len(portal.hits)
    started = time.monotonic()
    second = crawl(reg, tmp_path)
    second_seconds = time.monotonic() - started
    print(f"first pass {first_seconds:.2f} s, second pass {second_seconds:.2f} s")

    assert paths(portal, (r.url for r in second.crawl.reports)) == set(expected["reports"])
    assert {d.outcome for d in second.crawl.documents} == {"not_modified"}
    assert second_seconds < first_seconds / 10
    # One conditional request per page and document: nothing was downloaded again.
    second_hits = portal.hits[hits_before:]
    fetched = [h for h in second_hits if h.status == 200 and h.path != "/robots.txt"]
    assert fetched == []
    assert all(h.conditional for h in second_hits if h.status == 304)

    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT crawl_id, n_downloaded, n_not_modified, n_reports, n_new_documents FROM crawl_runs ORDER BY started_at"
    ).fetchall()
    assert rows[1][1] == 1 and rows[1][4] == 0  # the second pass downloaded robots.txt only
    assert rows[0][3] == rows[1][3] == len(expected["reports"])
    pdf = con.execute(
        "SELECT http_status, outcome, content_type, bytes, sha256 IS NOT NULL, published_on FROM fetches "
        "WHERE url LIKE '%P020230128612345.pdf' ORDER BY crawl_id").fetchall()
    assert [(s, o) for s, o, *_ in pdf] == [(200, "downloaded"), (304, "not_modified")]
    assert pdf[0][2] == "application/pdf" and pdf[0][3] > 1000 and pdf[0][4] and str(pdf[0][5]) == "2023-01-28"
    statuses = con.execute("SELECT status, new_since_last_run FROM source_status").fetchall()
    assert {s for s, _ in statuses} == {"warn", "ok"} and all(n == 0 for _, n in statuses)
    con.close()
