"""The warehouse records which PDF engine read each PDF (documents.pdf_engine), for every status,
and NULL for other formats; a warehouse made before the column existed gains it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao.pipeline import process_document
from nianbao.warehouse.store import write_session

REPO = Path(__file__).resolve().parents[3]
PDF = REPO / "tests" / "files" / "office" / "xihu_jyj_2023.pdf"
ENCRYPTED = REPO / "tests" / "files" / "pdf" / "encrypted.pdf"
HTML = REPO / "data" / "samples" / "cangnan_zjj_2022_hant.html"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_documents_record_the_pdf_engine(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_PDF_ENGINE", engine)
    results = [process_document(p) for p in (PDF, ENCRYPTED, HTML)]
    assert [r.status for r in results] == ["ok", "failed", "ok"]
    db = tmp_path / "w.duckdb"
    with write_session(db) as wh:
        wh.load_many(results)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT source, format, status, pdf_engine FROM documents ORDER BY source").fetchall()
    con.close()
    assert sorted(rows) == sorted([(str(PDF), "pdf", "ok", engine), (str(ENCRYPTED), "pdf", "failed", engine),
                                   (str(HTML), "html", "ok", None)])


def test_an_older_warehouse_gains_the_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_PDF_ENGINE", raising=False)
    db = tmp_path / "old.duckdb"
    with write_session(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE documents DROP COLUMN pdf_engine")
    con.close()
    with write_session(db) as wh:
        wh.load(process_document(PDF))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT pdf_engine FROM documents").fetchall() == [("pdfium",)]
    con.close()
