"""The Prefect crawl flow (crawl -> download -> the ingest flow) and the deployment's schedule."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml

from tests.helpers.portal import EXPECTED, registry
from tests.paths import REPO


@pytest.mark.slow  # a temporary Prefect server (~15 s) and the mock portal's slow page
def test_the_crawl_flow_crawls_every_source_and_ingests_the_new_documents(portal, tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    from nianbao.flows.crawl import crawl_flow

    reg = registry(portal)
    keep = ("舞阳县卫生健康委员会", "淮安市洪泽区人民政府办公室", "平武县市场监督管理局")
    sources = tmp_path / "sources.yaml"
    data = yaml.safe_load(portal.render_sources(REPO / "data" / "mock_portal" / "sources.yaml"))
    data["sources"] = [s for s in data["sources"] if s["agency"] in keep]
    sources.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert len(replace(reg, sources=tuple(s for s in reg.sources if s.agency in keep)).sources) == 3
    db = tmp_path / "wh.duckdb"
    with prefect_test_harness():
        result = asyncio.run(crawl_flow(sources=str(sources), db=str(db), raw=str(tmp_path / "raw"), workers=1))
        again = asyncio.run(crawl_flow(sources=str(sources), db=str(db), raw=str(tmp_path / "raw"), workers=1))
    assert result["n_reports"] == 3 and result["failing"] == []
    assert result["n_new_documents"] == 4 and result["ingest"]["n_documents"] == 4
    assert again["n_new_documents"] == 0 and again["ingest"] is None
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT orchestrator FROM runs").fetchall() == [("prefect",)]
    assert con.execute("SELECT count(*) FROM crawl_runs WHERE ingest_run_id IS NOT NULL").fetchone()[0] == 1
    expected = {portal.base + p for p in EXPECTED["sources.yaml"]["documents"]}
    assert {s for (s,) in con.execute("SELECT source FROM documents").fetchall()} <= expected
    con.close()


@pytest.mark.slow  # imports Prefect's server schemas (~8 s)
def test_the_deployment_crawls_daily_from_january_to_april_and_weekly_otherwise():
    from prefect.server.schemas.schedules import CronSchedule

    from nianbao.flows.crawl import deployment_schedules

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    assert deployment["entrypoint"] == "flows/crawl.py:crawl_flow"
    schedules = [CronSchedule(cron=s.cron, timezone=s.timezone) for s in deployment_schedules()]

    def runs(start: datetime, days: int) -> list[datetime]:
        found = set()
        for schedule in schedules:
            dates = asyncio.run(schedule.get_dates(n=400, start=start, end=start + timedelta(days=days)))
            found |= {d.date() for d in dates}
        return sorted(found)

    shanghai = ZoneInfo("Asia/Shanghai")
    spring = runs(datetime(2025, 1, 1, tzinfo=shanghai), 120)  # 1 Jan .. 30 Apr
    assert len(spring) == 120
    summer = runs(datetime(2025, 6, 1, tzinfo=shanghai), 30)
    assert len(summer) in (4, 5) and all(d.weekday() == 0 for d in summer)


@pytest.mark.slow  # imports Prefect (~3 s)
def test_serve_and_prefect_deploy_register_distinct_deployments(monkeypatch):
    from nianbao.flows import crawl

    served = {}
    monkeypatch.setattr(crawl.crawl_flow, "serve", lambda **kwargs: served.update(kwargs))
    crawl.serve_crawl(sources="s.yaml", db="w.duckdb", raw="raw")
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    deployed = {d["name"] for d in config["deployments"]}
    assert served["name"] == "nianbao-crawl-serve" and deployed == {"nianbao-crawl"}
    assert served["parameters"] == {"sources": "s.yaml", "db": "w.duckdb", "raw": "raw"}
    assert len(served["schedules"]) == 2
