"""`nianbao sources add|list|check|status`, `nianbao crawl` and `nianbao demo` against the mock portal."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.fetch.mock_portal import PORTAL_DIR
from nianbao.fetch.sources import load_registry
from tests.paths import REPO

runner = CliRunner(env={"COLUMNS": "300"})  # no wrapped lines in the output


def _sources(portal, tmp_path: Path, name: str = "other_sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(portal.render_sources(PORTAL_DIR / name), encoding="utf-8")
    return path


def test_sources_list_and_add(tmp_path):
    result = runner.invoke(app, ["sources", "list", "--sources", str(REPO / "data" / "sources.yaml")])
    assert result.exit_code == 0 and "舞阳县人民政府办公室" in result.output
    path = tmp_path / "sources.yaml"
    result = runner.invoke(app, ["sources", "add", "https://www.example.gov.cn/nb/", "--agency", "某县教育局",
                                 "--region", "某省某县", "--sources", str(path)])
    assert result.exit_code == 0, result.output
    assert "某县教育局" in runner.invoke(app, ["sources", "list", "--sources", str(path)]).output
    again = runner.invoke(app, ["sources", "add", "https://www.example.gov.cn/nb/", "--agency", "某县教育局",
                                "--sources", str(path)])
    assert again.exit_code == 1 and "already has an entry" in again.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/nb/index.html", "http://localhost/nb/", "http://[::1]/nb/",
                                 "http://192.168.10.4/xxgk/ndbg/"])
def test_sources_add_refuses_a_private_or_loopback_host_unless_allowed(url, tmp_path):
    path = tmp_path / "sources.yaml"
    refused = runner.invoke(app, ["sources", "add", url, "--agency", "内网局", "--sources", str(path)])
    assert refused.exit_code == 1
    assert "address; the crawler only connects to public addresses. Not added; give --allow-private" in refused.output
    assert not path.exists()
    allowed = runner.invoke(app, ["sources", "add", url, "--agency", "内网局", "--sources", str(path), "--allow-private"])
    assert allowed.exit_code == 0, allowed.output
    (source,) = load_registry(path).sources
    assert (source.url, source.allow_private) == (url, True)


def test_sources_add_a_loopback_column_with_its_saved_fixture(tmp_path):
    from nianbao.fetch.replay import FixturePortal, load_fixture
    from tests.helpers.fixture_portals import PORTALS

    path, saved = tmp_path / "sources.yaml", tmp_path / "saved"
    with FixturePortal(PORTALS / "trs_irs") as portal:
        url = portal.url("/col/col3301/index.html")
        result = runner.invoke(app, ["sources", "add", url, "--agency", "子市人民政府办公室", "--sources", str(path),
                                     "--save-fixture", str(saved), "--allow-private"])
    assert result.exit_code == 0, result.output
    assert f"saved 6 answers and 2 reports found in {saved / 'fixture.yaml'}" in result.output
    assert [(s.url, s.allow_private) for s in load_registry(path).sources] == [(url, True)]
    assert load_fixture(saved)["expected"]["structures"] == ["json:trs-irs"]


def test_sources_check_counts_report_links_and_fails_on_a_source_without_any(portal, tmp_path):
    path = _sources(portal, tmp_path)
    result = runner.invoke(app, ["sources", "check", "--sources", str(path)])
    assert result.exit_code == 0, result.output
    assert "2023, 2019" in result.output
    assert not [h for h in portal.hits if h.path.startswith("/xihu/art/")]  # listing pages only
    path.write_text(path.read_text(encoding="utf-8").replace("/xihu/zwgk/nb/list.shtml", "/xihu/gone.html"),
                    encoding="utf-8")
    failing = runner.invoke(app, ["sources", "check", "--sources", str(path)])
    assert failing.exit_code == 1 and "HTTP 404" in failing.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - url: http://x.gov.cn/\n", encoding="utf-8")
    result = runner.invoke(app, ["sources", "check", "--offline", "--sources", str(bad)])
    assert result.exit_code == 1 and "`agency`" in result.output


def test_crawl_then_status(portal, tmp_path):
    path = _sources(portal, tmp_path)
    db = tmp_path / "wh.duckdb"
    result = runner.invoke(app, ["crawl", "--sources", str(path), "--db", str(db), "--raw", str(tmp_path / "raw"),
                                 "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert "杭州市西湖区人民政府" in result.output and "documents new to the warehouse: 2" in result.output
    status = runner.invoke(app, ["sources", "status", "--db", str(db)])
    assert status.exit_code == 0 and "ok" in status.output
    path.write_text(path.read_text(encoding="utf-8").replace("/xihu/zwgk/nb/list.shtml", "/xihu/gone.html"),
                    encoding="utf-8")
    runner.invoke(app, ["crawl", "--sources", str(path), "--db", str(db), "--raw", str(tmp_path / "raw")])
    status = runner.invoke(app, ["sources", "status", "--db", str(db)])
    assert status.exit_code == 1 and "failing" in status.output


def test_status_without_a_warehouse_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["sources", "status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "nianbao crawl" in result.output


@pytest.mark.slow  # the whole mock portal, LibreOffice for the .doc and .wps reports
def test_demo_crawls_the_mock_portal_and_prints_the_summary(tmp_path):
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.duckdb"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    # 11 documents on the portal; 4 of them are bundled samples the demo ingested first.
    assert "ingesting the sample corpus" in result.output
    assert "documents new to the warehouse: 7" in result.output
    assert "failing" not in result.output
    # The demo's own registry goes into the demo warehouse (and only there); the hint uses NIANBAO_DB.
    assert "29 expected publishers of the demo loaded into" in " ".join(result.output.split())
    assert f"export NIANBAO_DB={tmp_path / 'demo.duckdb'}" in result.output
