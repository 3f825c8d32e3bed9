"""The reliability corpus (make_corpus.py: 45+ kinds of bad input mixed with good reports) in ONE
`nianbao ingest --no-prefect` run: every kind gets its status and reason, the good reports are
stored exactly as when ingested alone, and the run stays within its time and memory budgets."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time

import pytest

from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session, report_id_for

from .make_corpus import GOOD, make_corpus

# The whole run: generous for a loaded 2-core machine (it takes ~20 s alone).
RUN_SECONDS = 240
# Largest resident memory of any one process of the run (the workers' budget is 1,536 MB).
PEAK_MB = 1536


def values(con, document_id: str) -> list[tuple]:
    rid = report_id_for(document_id)
    return [
        *con.execute("SELECT 'a', row, applicant, value FROM applications WHERE report_id = ? ORDER BY ALL",
                     [rid]).fetchall(),
        *con.execute("SELECT 'b', item, row || '/' || metric, value FROM active_disclosure WHERE report_id = ? "
                     "ORDER BY ALL", [rid]).fetchall(),
        *con.execute("SELECT 'c', proceeding, outcome, value FROM appeals WHERE report_id = ? ORDER BY ALL",
                     [rid]).fetchall(),
    ]


@pytest.mark.slow
def test_the_reliability_corpus_in_one_run(tmp_path):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is needed for the .doc/.wps kinds")
    folder = tmp_path / "corpus"
    cases = make_corpus(folder)
    assert len(cases) >= 45

    # The good reports alone: the yardstick for the mixed run.
    alone = tmp_path / "alone.duckdb"
    ingest_paths([folder / rel for rel in GOOD], alone, workers=0)

    db = tmp_path / "wh.duckdb"
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "nianbao.cli.main", "ingest", str(folder), "--db", str(db),
                          "--no-prefect", "--workers", "2"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "200"}, timeout=RUN_SECONDS + 60, check=False)
    elapsed = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    assert run.returncode == 0, run.stderr[-3000:]
    assert elapsed < RUN_SECONDS
    assert peak_mb < PEAK_MB

    with read_session(db) as con, read_session(alone) as base:
        seen = {source: (status, error or "", document_id) for source, status, error, document_id in con.execute(
            "SELECT source, status, error, document_id FROM run_documents").fetchall()}
        assert con.execute("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0] == 1
        wrong = []
        for case in cases:
            source = (folder / case.path).as_posix().encode("utf-8", "surrogateescape").decode(
                "utf-8", "backslashreplace")
            got = seen.get(source)
            if got is None or got[0] != case.status or not re.search(case.reason, got[1]):
                wrong.append((case.path, case.status, case.reason, got))
                continue
            if case.same_as:
                (original,) = base.execute("SELECT document_id FROM documents WHERE source LIKE ?",
                                           [f"%{case.same_as}"]).fetchone()
                if values(con, got[2]) != values(base, original) or not values(con, got[2]):
                    wrong.append((case.path, "values differ from", case.same_as, None))
        assert wrong == [], "\n".join(map(repr, wrong))
        # Nothing recorded that the corpus does not describe (e.g. the deep file, a link target).
        assert len(seen) == len(cases)
