"""`nianbao ingest` and `nianbao show` through typer's CliRunner (no Prefect, fake reader)."""

from __future__ import annotations

import fcntl
import os

import pytest
from sample_results import AGENCY, make_result, process_fixture, write_fixtures
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB
from nianbao.warehouse.store import lock_path_for, write_session

ENV = {"COLUMNS": "220", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def fake_reader(monkeypatch):
    monkeypatch.setattr("nianbao.pipeline.process_document", process_fixture)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "samples"
    write_fixtures(folder, {
        "a.html": f"report {AGENCY} 2021",
        "README.md": "not_a_report",
        "scan.pdf": "unsupported",
        "a.expected.json": "{}",
    })
    return folder


def test_ingest_prints_the_summary_and_exits_0_despite_bad_documents(runner, fake_reader, corpus, tmp_path):
    db = tmp_path / "out" / "wh.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--no-prefect", "--workers", "0"],
                           env=ENV)
    assert result.exit_code == 0, result.output
    out = result.output
    ui = VOCAB.ui.terminal
    assert f"{ui.documents} (3)" in out
    assert "ok 正常" in out and "not_a_report 非年度报告" in out and "unsupported 不支持的格式" in out
    assert f"{ui.reports}: 1" in out
    assert "T3_ROW_TOTAL" in out and "error 错误" in out
    assert ui.not_ok_documents in out
    assert "README.md: fixture says not_a_report" in out and "scan.pdf: fixture says unsupported" in out
    assert db.exists()


def test_ingest_exits_nonzero_when_another_ingest_holds_the_warehouse(runner, fake_reader, corpus, tmp_path):
    db = tmp_path / "wh.duckdb"
    fd = os.open(lock_path_for(db), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--no-prefect", "--workers", "0"],
                               env=ENV)
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert f"another nianbao ingest or crawl is writing {db}" in result.output.replace("\n", "")


def test_ingest_exits_nonzero_for_a_bad_db_path_or_missing_input(runner, fake_reader, corpus, tmp_path):
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path), "--no-prefect", "--workers", "0"],
                           env=ENV)
    assert result.exit_code == 1
    assert "is a folder" in result.output
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--no-prefect"], env=ENV)
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_show_prints_the_tables_with_official_labels_and_the_evidence(runner, tmp_path):
    db = tmp_path / "wh.duckdb"
    with write_session(db) as wh:
        wh.load(make_result("doc-a"))
    result = runner.invoke(app, ["show", "舞阳工信局", "2021", "--db", str(db)], env=ENV)
    assert result.exit_code == 0, result.output
    out = result.output
    # Header.
    assert AGENCY in out and f"{AGENCY}2021年政府信息公开工作年度报告" in out and "v2021" in out
    # Section titles and official labels, all from the spec.
    for section in ("active", "applications", "appeals"):
        assert SPEC.sections[section] in out
    assert SPEC.row_label("received") in out and SPEC.row_label("withheld_state_secret") in out
    # 法人或其他组织 / 商业企业: the group over its column, as in the official header.
    assert SPEC.applicant_group in out and SPEC.applicants["commercial_enterprise"] in out
    assert SPEC.applicants["natural_person"] in out
    assert SPEC.appeal_label("litigation_direct") in out and SPEC.appeal_outcomes["upheld"] in out
    assert SPEC.active_item_labels["art20_8"] in out and "本年收费金额（单位：万元）" in out
    assert "5949.088667" in out  # six decimals, stored and shown exactly
    # A blank cell shows its note.
    assert "blank cell" in out
    # The flag, with the cells it rests on.
    assert "T3_ROW_TOTAL" in out and "「一、本年新收政府信息公开申请数量」行" in out
    assert "依据" in out and "表3 第4行 第3列" in out
    assert "「四、政府信息公开行政复议、行政诉讼情况」多出官方格式没有的列（表4 第2行 第6列）" in out


def test_show_says_when_nothing_matches_and_offers_close_matches(runner, tmp_path):
    db = tmp_path / "wh.duckdb"
    with write_session(db) as wh:
        wh.load(make_result("doc-a"))
    result = runner.invoke(app, ["show", "舞阳县公安局", "2021", "--db", str(db)], env=ENV)
    assert result.exit_code == 1
    assert "未找到" in result.output and f"{AGENCY} (2021)" in result.output
    result = runner.invoke(app, ["show", AGENCY, "2018", "--db", str(db)], env=ENV)
    assert result.exit_code == 1 and "no 2018 report" in result.output
    result = runner.invoke(app, ["show", AGENCY, "2021", "--db", str(tmp_path / "none.duckdb")], env=ENV)
    assert result.exit_code == 1 and "there is no warehouse" in result.output
