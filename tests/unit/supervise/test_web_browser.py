"""`nianbao web` in a real browser: headless Chromium (the Debian package, never a downloaded
build) driven by Playwright. Loads the pages, filters and sorts the league table, goes from the
league table to a flag's cells and records a decision in three clicks, undoes it, and checks the
highlighted cells. Screenshots of the main pages go to docs/screenshots/ when NIANBAO_SCREENSHOTS=1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (Debian package `chromium`)")
        pytest.skip("chromium is not installed")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    # A returning supervisor: the name given with the first decision is remembered (a cookie).
    context.add_cookies([{"name": "nianbao_reviewer", "value": "%E7%8E%8B%E7%9D%A3%E6%9F%A5",
                          "url": served.url}])
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()
    assert errors == []  # no script error, no failed resource on any page


def _shot(pg, name: str) -> None:
    if os.environ.get("NIANBAO_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _agencies(pg) -> list[str]:
    return pg.locator("#league tbody tr").evaluate_all("rows => rows.map(r => r.dataset.agency)")


def test_league_table_filters_and_sorts(page, served):
    pg = page
    pg.goto(served.url + "/?year=2021")
    assert pg.title() == "合规总表 2021"
    assert len(_agencies(pg)) == 17
    assert pg.locator("#formula").inner_text().startswith("得分 = 100 − 40×未发布")
    _shot(pg, "league")
    # 只看未发布: the form submits itself when the box is ticked.
    with pg.expect_navigation():
        pg.get_by_label("只看未发布").check()
    assert "missing=1" in pg.url
    statuses = pg.locator("#league tbody tr").evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert statuses == ["missing"] * 8
    with pg.expect_navigation():
        pg.locator("select[name=region]").select_option("舞阳县")
    assert _agencies(pg) == ["舞阳县人民政府办公室", "舞阳县民政局"]
    pg.goto(served.url + "/?year=2021&category=教育")
    with pg.expect_navigation():
        pg.locator("#league th[data-col=agency] a").click()
    assert "sort=agency" in pg.url and _agencies(pg) == ["舞阳县教育局", "苍南县教育局"]
    with pg.expect_navigation():
        pg.locator("#league th[data-col=agency] a").click()
    assert "order=desc" in pg.url and _agencies(pg) == ["苍南县教育局", "舞阳县教育局"]


def test_from_the_league_table_to_a_flags_cells_and_a_decision_in_three_clicks(page, served):
    pg = page
    pg.goto(served.url + "/?year=2022")
    row = pg.locator('#league tbody tr[data-agency="淮安市洪泽区交通运输局"]')
    # Click 1: the report of the agency.
    with pg.expect_navigation():
        row.locator("a.report").click()
    assert pg.locator("h1").inner_text() == "淮安市洪泽区交通运输局2022年政府信息公开工作年度报告"
    flag = pg.locator("li.flag").first
    assert flag.locator(".rule-name").inner_text() == "依申请公开表勾稽关系"
    assert flag.locator(".subject").inner_text() == "自然人"
    assert flag.locator(".where").inner_text() == "依据：表2 第4行 第4列；表2 第5行 第4列；表2 第27行 第4列；表2 第28行 第4列"
    # Click 2: the flag; its four cells are picked out in the table.
    flag.locator("button.locate").click()
    picked = pg.locator(".picked")
    assert picked.count() == 4
    assert picked.evaluate_all("cells => cells.map(c => c.id)") == [
        "p-received-natural_person", "p-carried_in-natural_person", "p-results_total-natural_person",
        "p-carried_out-natural_person"]
    assert set(picked.evaluate_all("cells => cells.map(c => c.className)")) == {"flag-error picked"}
    _shot(pg, "report")
    # Click 3: 确认属实 (the reviewer's name is remembered).
    with pg.expect_navigation():
        flag.locator("button.confirm").click()
    decided = pg.locator("#flag-1 .review")
    assert decided.inner_text() == "审核结论：已确认"
    assert pg.locator("li.picked-flag").get_attribute("id") == "flag-1"
    assert pg.locator(".picked").count() == 4  # the cells stay picked after the page reloads
    assert pg.locator("#history tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)") == ["confirmed"]
    with duckdb.connect(str(served.db), read_only=True) as con:
        assert con.execute("SELECT rule, subject, status, reviewer FROM review_decisions").fetchall() == [
            ("T3_STATED", "natural_person", "confirmed", "王督查")]


def test_dismiss_with_a_note_then_undo(page, served):
    pg = page
    pg.goto(served.url + "/?year=2021")
    with pg.expect_navigation():
        pg.locator('#league tbody tr[data-agency="来凤县人力资源和社会保障局"] a.report').click()
    cell = pg.locator("#p-withheld_third_party-natural_person")
    assert cell.inner_text() == "-1" and cell.get_attribute("class") == "flag-error"
    flag = pg.locator("li.flag").first
    flag.locator("input[name=note]").fill("原表为“-”，录入错误")
    with pg.expect_navigation():
        flag.locator("button.dismiss").click()
    assert pg.locator("#flag-1 .review").inner_text() == "审核结论：已排除：原表为“-”，录入错误"
    assert "dismissed" in pg.locator("#flag-1").get_attribute("class")
    # A dismissed flag no longer colours its cell, and leaves the league table's open errors.
    assert cell.get_attribute("class") in (None, "", "picked")
    with pg.expect_navigation():
        pg.locator("#flag-1 button.undo").click()
    assert pg.locator("#flag-1 .review").count() == 0
    assert cell.get_attribute("class").split()[0] == "flag-error"
    assert pg.locator("#history tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)") == [
        "undone", "dismissed"]


def test_a_decision_needs_a_reviewer(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(served.url + "/?year=2021")
    with pg.expect_navigation():
        pg.locator('#league tbody tr[data-agency="苍南县教育局"] a.report').click()
    pg.locator("li.flag button.confirm").first.click()  # the browser refuses: 审核人 is required
    assert pg.locator("li.flag").first.locator(".review").count() == 0
    assert pg.locator("li.flag input[name=reviewer]").first.evaluate("e => e.validity.valueMissing")
    context.close()


def test_other_pages_load(page, served):
    pg = page
    pg.goto(served.url + "/missing?year=2022")
    assert pg.locator("#missing tbody tr").count() == 8
    _shot(pg, "missing")
    pg.goto(served.url + "/?year=2022")
    with pg.expect_navigation():
        pg.locator('#league tbody tr[data-agency="淮安市洪泽区人民政府办公室"] a.agency').click()
    assert pg.locator("#charts svg").count() == 4
    assert pg.locator("#history tbody tr").count() == 5
    _shot(pg, "agency")
    pg.goto(served.url + "/reviews")
    assert pg.locator("#export-csv").get_attribute("href") == "/reviews.csv"
    _shot(pg, "reviews")
