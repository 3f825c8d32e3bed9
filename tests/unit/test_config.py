"""Default paths: NIANBAO_DB and NIANBAO_HOME, and the bundled data inside the package."""

from pathlib import Path

from nianbao import config


def test_default_db_follows_the_environment(monkeypatch):
    monkeypatch.delenv(config.ENV_DB, raising=False)
    monkeypatch.delenv(config.ENV_HOME, raising=False)
    assert config.default_db() == Path("data/nianbao.duckdb")
    monkeypatch.setenv(config.ENV_HOME, "/srv/nianbao")
    assert config.default_db() == Path("/srv/nianbao/nianbao.duckdb")
    assert config.default_raw_dir() == Path("/srv/nianbao/raw")
    assert config.default_sources() == Path("/srv/nianbao/sources.yaml")
    monkeypatch.setenv(config.ENV_DB, "/tmp/w.duckdb")
    assert config.default_db() == Path("/tmp/w.duckdb")


def test_bundled_data_is_the_package_data():
    assert (config.samples_dir() / "000_353fe64ea44b1a70.txt").is_file()
    assert (config.mock_portal_dir() / "portal.yaml").is_file()
    assert [p.name for p in config.demo_registry_files()] == ["sources.yaml", "expected_publishers.yaml"]
    assert all(p.is_file() for p in config.demo_registry_files())


def test_the_cli_db_option_reads_nianbao_db(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nianbao.cli import app

    missing = tmp_path / "nowhere.duckdb"
    result = CliRunner().invoke(app, ["show", "某局", "2021"], env={config.ENV_DB: str(missing)})
    assert result.exit_code == 1
    assert str(missing) in result.output.replace("\n", "")
