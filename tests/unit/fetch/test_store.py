"""source_status and `failing`: a source that used to yield reports and now yields none is not green."""

from __future__ import annotations

from nianbao.fetch.mock_portal import PORTAL_DIR
from nianbao.fetch.store import read_statuses
from tests.helpers.portal import crawl, one_source


def test_a_source_that_stops_yielding_is_failing(portal, tmp_path):
    reg = one_source(portal.url("/wuyang/wjw/xxgk/nb/index.html"), allow_private=True)
    crawl(reg, tmp_path)
    (status,) = read_statuses(tmp_path / "wh.duckdb")
    assert (status.status, status.reports_found, status.new_since_last_run, status.errors) == ("ok", 1, 1, 0)
    first_success = status.last_success_at

    crawl(reg, tmp_path)
    (status,) = read_statuses(tmp_path / "wh.duckdb")
    assert (status.status, status.reports_found, status.new_since_last_run) == ("ok", 1, 0)

    # The portal is redesigned: the column now holds a page without any report link.
    portal.config.files["/wuyang/wjw/xxgk/nb/index.html"] = (
        PORTAL_DIR / "site" / "wuyang" / "jyj" / "nb" / "202203" / "t20220301_1006.html")
    crawl(reg, tmp_path)
    (status,) = read_statuses(tmp_path / "wh.duckdb")
    assert status.status == "failing"
    assert status.reports_found == 0 and status.best_reports_found == 1
    assert "an earlier pass found 1" in status.message
    assert status.last_success_at is not None and status.last_success_at >= first_success


def test_a_source_that_never_yields_is_failing_with_the_reason(portal, tmp_path):
    crawl(one_source(portal.url("/nowhere/index.html"), allow_private=True), tmp_path)
    (status,) = read_statuses(tmp_path / "wh.duckdb")
    assert status.status == "failing" and "HTTP 404" in status.message and status.errors == 1
