"""`nianbao ingest` and `nianbao show` through typer's CliRunner (no Prefect, fake reader)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sample_results import AGENCY, make_result, process_fixture, write_fixtures
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB
from nianbao.warehouse.store import lock_path_for, read_session, write_session

ENV = {"COLUMNS": "220", "NO_COLOR": "1", "TERM": "dumb"}
ROOT = Path(__file__).resolve().parents[3]


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
    assert "空白单元格 二、上年结转政府信息公开申请数量×自然人: 空白\n" in out  # why, in Chinese
    # The flag, with the cells it rests on.
    assert "T3_ROW_TOTAL" in out and "「一、本年新收政府信息公开申请数量」行" in out
    assert "依据" in out and "表3 第4行 第3列" in out
    assert ("「四、政府信息公开行政复议、行政诉讼情况」表格多出官方格式没有的列「小计」（第6列），已忽略，未计入数据"
            "（表4 第2行 第6列）") in out


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


def test_follow_links_reads_links_leaving_the_folder_only_when_given_and_loops_stay_safe(runner, fake_reader,
                                                                                         tmp_path):
    """Issue 15: a link out of the input folder is skipped with its reason unless --follow-links;
    with it the linked file and folder are read, and loops (inside, and back through the outside
    folder) are still skipped, each file read once."""
    root, outside = tmp_path / "in", tmp_path / "elsewhere"
    write_fixtures(root, {"a.html": f"report {AGENCY} 2021"})
    write_fixtures(outside, {"b.html": "report 乙局 2021"})
    (tmp_path / "c.html").write_text("report 丙局 2021", encoding="utf-8")
    os.symlink(outside, root / "linked_folder")
    os.symlink(tmp_path / "c.html", root / "c.html")
    os.symlink(root, outside / "back_to_in")  # a loop through the folder outside
    os.symlink(".", root / "self_loop")

    def ingest(*extra):
        db = tmp_path / f"wh{len(extra)}.duckdb"
        result = runner.invoke(app, ["ingest", str(root), "--db", str(db), "--no-prefect", "--workers", "0",
                                     *extra], env=ENV)
        assert result.exit_code == 0, result.output
        with read_session(db) as con:
            read = sorted(Path(s).name for (s,) in con.execute("SELECT source FROM documents").fetchall())
            skipped = sorted((Path(s).name, r.split(": ", 1)[1]) for s, r in con.execute(
                "SELECT source, error FROM run_documents WHERE status = 'skipped'").fetchall())
        return read, skipped, result.output

    read, skipped, out = ingest()
    assert read == ["a.html"]
    not_followed = "not followed (use --follow-links to read it)"
    assert skipped == [
        ("c.html", f"symbolic link leaving the input folder (→ {tmp_path}/c.html); {not_followed}"),
        ("linked_folder", f"symbolic link leaving the input folder (→ {outside}); {not_followed}"),
        ("self_loop", "symbolic link loop (a folder that contains itself); not followed"),
    ]
    assert "(use--follow-linkstoreadit)" in "".join(out.split())  # the summary says why
    read, skipped, _ = ingest("--follow-links")
    assert read == ["a.html", "b.html", "c.html"]
    assert [name for name, _ in skipped] == ["back_to_in", "self_loop"]
    assert all("symbolic link loop" in reason for _, reason in skipped)


def test_ingest_of_a_file_whose_name_is_not_utf8_records_it_and_exits_0(tmp_path):
    """Issue 15: `nianbao ingest FILE` with such a name crashed (exit 1); it is stored under its
    escaped name, with its raw bytes."""
    raw = os.fsencode(tmp_path) + b"/report_\xff\xfe_2021.txt"
    with open(raw, "wb") as f:
        f.write((ROOT / "data" / "samples" / "xihu_rsj_2021.txt").read_bytes())
    db = tmp_path / "wh.duckdb"
    done = subprocess.run([str(Path(sys.executable).with_name("nianbao")).encode(), b"ingest", raw, b"--db",
                           os.fsencode(db), b"--no-prefect", b"--workers", b"0"],
                          capture_output=True, env={**os.environ, **ENV}, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    with read_session(db) as con:
        assert con.execute("SELECT source, source_bytes, status FROM documents").fetchall() == [
            (f"{tmp_path}/report_\\xff\\xfe_2021.txt", raw, "ok")]
