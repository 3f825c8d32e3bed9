"""The registry of expected publishers: YAML (sources.yaml, expected_publishers.yaml) and CSV."""

from __future__ import annotations

import pytest

from nianbao.normalize.agency import agency_id_for
from nianbao.supervise.registry import (
    RegistryError,
    load_registry,
    parse_years,
    read_registry_file,
)
from tests.helpers.demo_fixtures import DEMO_REGISTRY


def test_demo_registry_lists_the_corpus_agencies_and_two_that_did_not_publish():
    entries = read_registry_file(DEMO_REGISTRY)
    assert len(entries) == 25
    by_name = {e.agency: e for e in entries}
    assert by_name["舞阳县民政局"].years == (2019, 2020, 2021, 2022, 2023)
    assert by_name["舞阳县教育局"].years == (2021, 2022, 2023)
    assert by_name["舞阳县工业和信息化局"].region == "河南省漯河市舞阳县"
    assert sum(e.expected_in(2021) for e in entries) == 11
    # Every entry resolves to a region.
    assert all(e.resolve().region_code for e in entries)


@pytest.mark.parametrize(("value", "years"), [
    (None, None), ("", None), (2021, (2021,)), ([2022, 2021, 2021], (2021, 2022)),
    ("2019-2021", (2019, 2020, 2021)), ("2019–2020", (2019, 2020)), ("2021,2023", (2021, 2023)),
])
def test_years(value, years):
    assert parse_years(value, "here") == years


def test_bad_years_name_the_entry():
    with pytest.raises(RegistryError, match="here: cannot read the years 'soon'"):
        parse_years("soon", "here")
    with pytest.raises(RegistryError, match="runs backwards"):
        parse_years("2023-2019", "here")


def test_yaml_mapping_csv_with_and_without_header(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "sources:\n  - agency: 舞阳县财政局\n    url: http://example.invalid/\n  - url: http://example.invalid/list\n",
        encoding="utf-8")
    assert [(e.agency, e.region, e.years) for e in read_registry_file(tmp_path / "a.yaml")] == [
        ("舞阳县财政局", None, None)]
    (tmp_path / "b.csv").write_text("agency,region,years\n工信局,河南省漯河市舞阳县,2021\n", encoding="utf-8")
    (entry,) = read_registry_file(tmp_path / "b.csv")
    assert entry.resolve().agency_id == agency_id_for("舞阳县工业和信息化局")
    assert entry.years == (2021,)
    (tmp_path / "c.csv").write_text("\ufeff平武县公安局,四川省绵阳市平武县\n舞阳县教育局\n", encoding="utf-8")
    assert [(e.agency, e.region) for e in read_registry_file(tmp_path / "c.csv")] == [
        ("平武县公安局", "四川省绵阳市平武县"), ("舞阳县教育局", None)]


def test_unreadable_files_are_named(tmp_path):
    (tmp_path / "bad.yaml").write_text("agency: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="bad.yaml: not valid YAML"):
        read_registry_file(tmp_path / "bad.yaml")
    (tmp_path / "map.yaml").write_text("foo: bar\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="map.yaml: expected a list"):
        read_registry_file(tmp_path / "map.yaml")
    with pytest.raises(RegistryError, match="no such registry file"):
        read_registry_file(tmp_path / "none.yaml")


def test_files_are_read_in_order_and_an_agency_keeps_its_first_entry(tmp_path):
    (tmp_path / "expected.yaml").write_text(
        "- {agency: 舞阳县教育局, region: 河南省漯河市舞阳县, years: [2021]}\n"
        "- {agency: 舞阳县民政局, years: 2019-2023}\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "- {agency: 舞阳县教育局, url: 'http://example.invalid/jyj'}\n"
        "- {agency: 平武县公安局, region: 四川省绵阳市平武县}\n", encoding="utf-8")
    entries = load_registry([tmp_path / "sources.yaml", tmp_path / "expected.yaml"])
    # 舞阳县教育局 keeps its sources.yaml entry (every year); the second file adds 舞阳县民政局.
    assert [(e.agency, e.years, e.origin.split("/")[-1]) for e in entries] == [
        ("舞阳县教育局", None, "sources.yaml"),
        ("平武县公安局", None, "sources.yaml"),
        ("舞阳县民政局", (2019, 2020, 2021, 2022, 2023), "expected.yaml"),
    ]


def test_a_warehouse_keeps_its_own_registry_and_never_reads_the_demo_files(demo_db, tmp_path, monkeypatch):
    import shutil

    from typer.testing import CliRunner

    from nianbao.cli import app

    runner = CliRunner()
    db = tmp_path / "mine.duckdb"
    shutil.copy(demo_db, db)
    # The demo's files lie in the working folder, as in a checkout: they must not be used.
    (tmp_path / "data").mkdir()
    shutil.copy(DEMO_REGISTRY, tmp_path / "data" / "expected_publishers.yaml")
    monkeypatch.chdir(tmp_path)
    before = runner.invoke(app, ["compare", "--db", str(db), "--year", "2021", "--format", "csv", "--codes"])
    assert before.exit_code == 0, before.output
    assert ",missing," not in before.stdout
    shown = runner.invoke(app, ["registry", "show", "--db", str(db)])
    assert "has no registry of expected publishers" in " ".join(shown.stdout.split())
    (tmp_path / "mine.csv").write_bytes("机关,地区,年度\n舞阳县民政局,河南省漯河市舞阳县,2021\n".encode("gbk"))
    loaded = runner.invoke(app, ["registry", "load", str(tmp_path / "mine.csv"), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert "1 expected publishers loaded" in loaded.stdout
    after = runner.invoke(app, ["compare", "--db", str(db), "--year", "2021", "--format", "csv", "--codes"])
    missing = [line.split(",")[1] for line in after.stdout.splitlines() if ",missing," in line]
    assert missing == ["舞阳县民政局"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk_with_chinese_or_code_headers(tmp_path, encoding):
    chinese = tmp_path / "cn.csv"
    chinese.write_bytes("机关名称,所属地区,应发布年度\n舞阳县教育局,河南省漯河市舞阳县,2021-2022\n"
                        "平武县公安局,,\n".encode(encoding))
    codes = tmp_path / "codes.csv"
    codes.write_bytes("agency,region,years\n舞阳县教育局,河南省漯河市舞阳县,2021-2022\n平武县公安局,,\n"
                      .encode(encoding))
    for path in (chinese, codes):
        assert [(e.agency, e.region, e.years) for e in read_registry_file(path)] == [
            ("舞阳县教育局", "河南省漯河市舞阳县", (2021, 2022)), ("平武县公安局", None, None)]


def test_csv_errors_name_the_row(tmp_path):
    bad_years = tmp_path / "years.csv"
    bad_years.write_text("机关,年度\n舞阳县教育局,2021\n舞阳县民政局,去年\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"years.csv, row 3 \(舞阳县民政局\): cannot read the years '去年'"):
        read_registry_file(bad_years)
    extra = tmp_path / "extra.csv"
    extra.write_text("机关,年度\n舞阳县教育局,2021,多余\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"extra.csv, row 2: 3 columns, but the header has 2"):
        read_registry_file(extra)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\xfe")
    with pytest.raises(RegistryError, match="not UTF-8 or GBK text"):
        read_registry_file(binary)
