"""`nianbao web` over HTTP (no browser): pages, parameter checks, the token, CSRF and Origin
checks, a warehouse locked by a writer, decisions and their exports. The browser journeys are in
test_web_browser.py."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from starlette.testclient import TestClient

from nianbao.supervise.web.app import create_app

BASE = "http://127.0.0.1:8213"


def _client(db: Path, **kwargs) -> TestClient:
    return TestClient(create_app(db, **kwargs), base_url=BASE, follow_redirects=False)


def _report_id(db: Path, agency: str, year: int) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT r.report_id FROM reports r JOIN agencies a USING (agency_id) "
                           "WHERE a.name = ? AND r.year = ? AND r.is_current", [agency, year]).fetchone()[0]


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_league_table_of_a_year_adds_up(fresh_db):
    client = _client(fresh_db)
    page = client.get("/?year=2021")
    assert page.status_code == 200
    cards = dict(re.findall(r'data-card="(\w+)"><b>(\d+)</b>', page.text))
    assert cards == {"expected": "17", "published": "9", "missing": "8", "unlisted": "0", "late": "0",
                     "unknown": "9", "flags": "4"}
    assert int(cards["expected"]) == int(cards["published"]) + int(cards["missing"])
    assert "得分 = 100 − 40×未发布 − 20×逾期 − 10×格式不符 − 10×每个未关闭错误 − 3×每个未关闭警告（最低0分）" in page.text
    assert page.text.count("<tr data-agency=") == 17
    # Worst first: 舞阳县住房和城乡建设局 has two open errors (80), under the missing agencies (60).
    order = re.findall(r'<tr data-agency="([^"]+)" data-status="(\w+)">', page.text)
    assert order[:8] == [(a, "missing") for a, _ in order[:8]]
    assert order[8][0] == "舞阳县住房和城乡建设局"
    assert "总计与各申请人之和、办理结果总计与各项之和" in page.text  # rule names, not ids


def test_filters_narrow_the_table(fresh_db):
    client = _client(fresh_db)
    missing = client.get("/?year=2021&missing=1")
    assert set(re.findall(r'data-status="(\w+)"', missing.text)) == {"missing"}
    assert missing.text.count("<tr data-agency=") == 8
    problems = client.get("/?year=2021&problems=1&level=county&region=舞阳县")
    agencies = re.findall(r'<tr data-agency="([^"]+)"', problems.text)
    assert agencies == ["舞阳县人民政府办公室", "舞阳县民政局", "舞阳县住房和城乡建设局"]
    by_name = client.get("/?year=2021&sort=agency&order=asc&category=教育")
    assert re.findall(r'<tr data-agency="([^"]+)"', by_name.text) == ["舞阳县教育局", "苍南县教育局"]  # code point order


@pytest.mark.parametrize("query, message", [
    ("year=abc", "year must be a whole number from 1990 to 2100"),
    ("year=2021&year=2022", "parameter 'year' given twice"),
    ("sort=agency;DROP TABLE reports", "sort must be one of"),
    ("level=县级' OR 1=1", "level must be one of"),
    ("missing=yes", "missing must be one of 1"),
    ("region=" + "舞" * 61, "region is longer than 60 characters"),
    ("debug=1", "unknown parameter 'debug'"),
])
def test_every_parameter_is_checked(fresh_db, query, message):
    page = _client(fresh_db).get("/?" + query)
    assert page.status_code == 400
    assert message in page.text.replace("&#39;", "'")


def test_ids_in_paths_are_checked(fresh_db):
    client = _client(fresh_db)
    assert client.get("/report/rp_x' OR '1").status_code == 400
    assert client.get("/agency/../../etc").status_code == 404
    missing = client.get("/report/rp_0000000000000000")
    assert missing.status_code == 404 and "no report rp_0000000000000000" in missing.text


def test_report_page_shows_flags_in_chinese_with_their_cells(fresh_db):
    report_id = _report_id(fresh_db, "来凤县人力资源和社会保障局", 2021)
    page = _client(fresh_db).get(f"/report/{report_id}")
    assert page.status_code == 200
    assert '<b class="rule-name">数值范围（非负整数、办结不超过收到）</b>' in page.text
    assert "（三）不予公开4.保护第三方合法权益·自然人" in page.text
    assert "依据：表2 第11行 第4列" in page.text
    assert 'data-cells="p-withheld_third_party-natural_person"' in page.text
    assert re.search(r'<td id="p-withheld_third_party-natural_person" class="flag-error"[^>]*>-1</td>', page.text)
    assert f'href="/report/{report_id}/original"' in page.text


def test_report_page_says_its_structure_notes_in_chinese(fresh_db):
    page = _client(fresh_db).get(f"/report/{_report_id(fresh_db, '平武县人民政府', 2019)}")
    assert page.status_code == 200
    notes = re.search(r'<ul class="structure" id="structure">(.*?)</ul>', page.text, re.DOTALL).group(1)
    items = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", notes, re.DOTALL)]
    assert [i.split(" （")[0] for i in items] == [
        "「二、主动公开政府信息情况」表格多出官方格式没有的行「文字解读」，已忽略，未计入数据",
        "「二、主动公开政府信息情况」表格多出官方格式没有的行「图片图解」，已忽略，未计入数据",
        "「三、收到和处理政府信息公开申请情况」表格多出官方格式没有的行「4.非本机关政府信息公开范围」，已忽略，未计入数据"]
    assert all(re.search(r"（表\d+ 第\d+行", i) for i in items), items  # where each is, as a reader counts


def test_original_document_is_served_sandboxed(fresh_db, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[3])  # the samples were ingested by this path
    report_id = _report_id(fresh_db, "来凤县人力资源和社会保障局", 2021)
    original = _client(fresh_db).get(f"/report/{report_id}/original")
    assert original.status_code == 200
    assert original.headers["content-security-policy"].startswith("sandbox")
    assert "来凤县人力资源和社会保障局" in original.text


def test_a_decision_is_recorded_undone_and_exported(fresh_db):
    client = _client(fresh_db)
    report_id = _report_id(fresh_db, "淮安市洪泽区交通运输局", 2022)
    csrf = _csrf(client, f"/report/{report_id}")
    done = client.post(f"/report/{report_id}/decide", data={
        "csrf": csrf, "seq": "1", "action": "confirmed", "reviewer": "王督查", "note": "自然人列确实不平"},
        headers={"Origin": BASE})
    assert done.status_code == 303 and done.headers["location"] == f"/report/{report_id}?flag=1#flag-1"
    page = client.get(f"/report/{report_id}?flag=1")
    assert "审核结论：已确认：自然人列确实不平" in page.text
    assert 'name="reviewer" value="王督查"' in page.text  # remembered for the next decision
    undone = client.post(f"/report/{report_id}/decide", data={
        "csrf": csrf, "seq": "1", "action": "undo", "reviewer": "王督查"}, headers={"Origin": BASE})
    assert undone.status_code == 303
    page = client.get(f"/report/{report_id}")
    assert "审核结论：已确认" not in page.text
    assert re.findall(r'<tr data-action="(\w+)">', page.text) == ["undone", "confirmed"]

    client.post(f"/report/{report_id}/decide", data={
        "csrf": csrf, "seq": "2", "action": "dismissed", "reviewer": "李审核", "note": "总计列为笔误"},
        headers={"Origin": BASE})
    csv_bytes = client.get("/reviews.csv").content
    assert csv_bytes.startswith("\ufeff".encode())
    lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "机关,年度,规则编号,规则,对象,审核结论,审核人,说明,仍然适用,审核时间,核验提示,报告编号"
    assert lines[1].startswith("淮安市洪泽区交通运输局,2022,T3_STATED,依申请公开表勾稽关系,总计,已排除,李审核,总计列为笔误,是,")
    codes = client.get("/reviews.csv?codes=1").content.decode("utf-8-sig").splitlines()
    assert codes[0].startswith("agency,year,rule,rule_name,subject,status,reviewer,note,applies")
    assert ",total,dismissed,李审核," in codes[1]
    xlsx = client.get("/reviews.xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert "李审核" in strings and "已排除" in strings and "审核人" in strings
    log = client.get("/reviews")
    assert re.findall(r'<tr data-action="(\w+)">', log.text) == ["dismissed", "undone", "confirmed"]


def test_posts_need_the_csrf_token_and_this_origin(fresh_db):
    client = _client(fresh_db)
    report_id = _report_id(fresh_db, "淮安市洪泽区交通运输局", 2022)
    csrf = _csrf(client, f"/report/{report_id}")
    form = {"csrf": csrf, "seq": "1", "action": "confirmed", "reviewer": "王督查"}
    other_site = client.post(f"/report/{report_id}/decide", data=form, headers={"Origin": "http://evil.example"})
    assert other_site.status_code == 403 and "Origin 不符" in other_site.text
    no_origin = client.post(f"/report/{report_id}/decide", data=form)
    assert no_origin.status_code == 403
    wrong_token = client.post(f"/report/{report_id}/decide", data={**form, "csrf": "forged"},
                              headers={"Origin": BASE})
    assert wrong_token.status_code == 403 and "表单令牌不符" in wrong_token.text
    no_reviewer = client.post(f"/report/{report_id}/decide", data={**form, "reviewer": " "},
                              headers={"Origin": BASE})
    assert no_reviewer.status_code == 400 and "请填写审核人姓名" in no_reviewer.text
    with duckdb.connect(str(fresh_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM review_decisions").fetchone()[0] == 0


def test_loopback_app_refuses_other_host_names(fresh_db):
    page = _client(fresh_db).get("/", headers={"Host": "attacker.example:8213"})
    assert page.status_code == 400 and "DNS 重绑定" in page.text


def test_a_non_loopback_bind_needs_the_token_on_every_request(fresh_db):
    client = TestClient(create_app(fresh_db, token="s3cret-token", loopback=False),
                        base_url="http://192.0.2.10:8213", follow_redirects=False)
    refused = client.get("/")
    assert refused.status_code == 401 and "需要访问令牌" in refused.text
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/static/app.css").status_code == 401
    entered = client.get("/?token=s3cret-token&year=2021")
    assert entered.status_code == 303 and entered.headers["location"] == "/?year=2021"
    assert client.get("/?year=2021").status_code == 200  # the cookie carries it from now on
    bearer = TestClient(create_app(fresh_db, token="s3cret-token", loopback=False), base_url="http://192.0.2.10:8213")
    assert bearer.get("/missing", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_pages_say_so_while_an_ingest_holds_the_warehouse(fresh_db):
    script = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", script, str(fresh_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        page = _client(fresh_db).get("/")
        assert page.status_code == 503
        assert page.headers["retry-after"] == "5"
        assert "仓库正在写入" in page.text and "nianbao ingest" in page.text
    finally:
        holder.kill()
        holder.wait()
    assert _client(fresh_db).get("/").status_code == 200


def test_missing_page_lists_deadlines(fresh_db):
    page = _client(fresh_db).get("/missing?year=2021")
    rows = re.findall(r'<tr data-agency="([^"]+)">.*?<td>(\d{4}-\d\d-\d\d)</td>', page.text, flags=re.DOTALL)
    assert len(rows) == 8
    assert ("舞阳县民政局", "2022-01-31") in rows and ("舞阳县人民政府办公室", "2022-03-31") in rows


def test_agency_page_has_trend_charts(fresh_db):
    with duckdb.connect(str(fresh_db), read_only=True) as con:
        agency_id = con.execute("SELECT agency_id FROM agencies WHERE name = '淮安市洪泽区人民政府办公室'").fetchone()[0]
    page = _client(fresh_db).get(f"/agency/{agency_id}")
    assert page.status_code == 200
    assert re.findall(r'data-chart="(\w+)"', page.text) == ["flags_by_year", "received_by_year", "rate_by_year",
                                                           "score_by_year"]
    assert re.findall(r'<tr data-year="(\d+)">', page.text) == ["2019", "2020", "2021", "2022", "2023"]
