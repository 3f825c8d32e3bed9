"""Incremental ingest by content: unchanged bytes read by the same pipeline version are skipped,
--force and a new pipeline version read again, and the summary says why."""

from __future__ import annotations

from sample_results import write_fixtures

from nianbao.jobs import incremental, ingest
from nianbao.jobs.ingest import ingest_paths
from nianbao.vocabulary import FILES
from nianbao.warehouse.store import read_session

FAKE = "sample_results:process_fixture"


def _corpus(folder):
    return write_fixtures(folder, {
        "a.html": "report 舞阳县工业和信息化局 2021",
        "b.html": "report 舞阳县教育局 2021",
        "README.md": "not_a_report",
        "c.pdf": "failed",
        "d.html": "raise",  # an internal error: recorded without a version, so read again next time
    })


def _read_counts(monkeypatch):
    calls = []
    original = ingest.run_job

    def counting(job, *args, **kwargs):
        calls.append(job.name)
        return original(job, *args, **kwargs)

    monkeypatch.setattr(ingest, "run_job", counting)
    return calls


def test_an_unchanged_corpus_is_not_read_again_and_the_summary_says_why(tmp_path, monkeypatch):
    folder, db = tmp_path / "in", tmp_path / "wh.duckdb"
    _corpus(folder)
    calls = _read_counts(monkeypatch)
    first = ingest_paths([folder], db, workers=0, processor=FAKE)
    assert sorted(calls) == ["README.md", "a.html", "b.html", "c.pdf", "d.html"]
    assert first.plan == {"new": 5} and first.n_skipped == 0

    calls.clear()
    again = ingest_paths([folder], db, workers=0, processor=FAKE)
    assert calls == ["d.html"]
    assert again.plan == {"unchanged": 4, "not_read": 1} and again.n_skipped == 4
    # Skipped documents keep their stored status: the run's summary is the same.
    assert again.documents_by_status == first.documents_by_status == {"failed": 2, "not_a_report": 1, "ok": 2}
    assert again.n_reports == 2 and again.n_flags == first.n_flags
    with read_session(db) as con:
        version = incremental.pipeline_version(FAKE)
        assert con.execute("SELECT source, pipeline_version FROM documents ORDER BY source").fetchall() == [
            (str(folder / "README.md"), version), (str(folder / "a.html"), version),
            (str(folder / "b.html"), version), (str(folder / "c.pdf"), version), (str(folder / "d.html"), None)]
        assert con.execute(
            "SELECT source, skip_reason FROM run_documents WHERE run_id = ? ORDER BY seq",
            [again.run_id]).fetchall()[:4] == [
            (str(folder / n), "unchanged") for n in ("README.md", "a.html", "b.html", "c.pdf")]

    calls.clear()
    forced = ingest_paths([folder], db, workers=0, processor=FAKE, force=True)
    assert len(calls) == 5 and forced.plan == {"forced": 5}


def test_a_new_pipeline_version_or_new_bytes_are_read_again(tmp_path, monkeypatch):
    folder, db = tmp_path / "in", tmp_path / "wh.duckdb"
    _corpus(folder)
    ingest_paths([folder], db, workers=0, processor=FAKE)
    calls = _read_counts(monkeypatch)
    (folder / "b.html").write_text("report 舞阳县教育局 2022", encoding="utf-8")
    changed = ingest_paths([folder], db, workers=0, processor=FAKE)
    assert sorted(calls) == ["b.html", "d.html"]
    assert changed.plan == {"new": 1, "not_read": 1, "unchanged": 3}

    calls.clear()
    monkeypatch.setattr(ingest, "pipeline_version", lambda processor: "pv_next")
    upgraded = ingest_paths([folder], db, workers=0, processor=FAKE)
    assert len(calls) == 5 and upgraded.plan == {"pipeline_changed": 4, "not_read": 1}
    with read_session(db) as con:
        # The bytes b.html had before are still stored, as the older version read them.
        assert con.execute(
            "SELECT DISTINCT pipeline_version FROM documents WHERE pipeline_version IS NOT NULL AND document_id "
            "IN (SELECT document_id FROM run_documents WHERE run_id = ?)", [upgraded.run_id]).fetchall() == [
            ("pv_next",)]


def test_the_pipeline_version_follows_the_code_and_spec_files(tmp_path, monkeypatch):
    version = incremental.pipeline_version("nianbao.pipeline:process_document")
    assert version.startswith("pv_") and len(version) == 19
    assert incremental.pipeline_version(FAKE) != version  # the processor and its module count
    names = [name for name, _ in incremental._versioned_files("nianbao.pipeline")]
    assert "spec_data/template.yaml" in names
    assert {f"spec_data/vocabulary/{f}.yaml" for f in FILES} <= set(names) and "vocabulary.py" in names
    assert "pipeline.py" in names and "extract/pdf.py" in names and "normalize/checks.py" in names
    assert not any(n.startswith(("warehouse/", "cli/", "jobs/ingest")) for n in names)
    # A spec file's content changes the version.
    spec = tmp_path / "nianbao"
    (spec / "spec_data").mkdir(parents=True)
    (spec / "__init__.py").write_text("", encoding="utf-8")
    (spec / "spec_data" / "template.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(incremental.nianbao, "__file__", str(spec / "__init__.py"))
    incremental.pipeline_version.cache_clear()
    one = incremental.pipeline_version(FAKE)
    (spec / "spec_data" / "template.yaml").write_text("a: 2\n", encoding="utf-8")
    incremental.pipeline_version.cache_clear()
    assert incremental.pipeline_version(FAKE) != one
    incremental.pipeline_version.cache_clear()


def test_file_hash_is_the_document_id(tmp_path):
    import hashlib

    p = tmp_path / "x.html"
    p.write_bytes(b"abc" * 1000)
    assert incremental.file_sha256(p) == hashlib.sha256(b"abc" * 1000).hexdigest()
    assert incremental.file_sha256(tmp_path / "missing") is None
