"""DOC and WPS: conversion with LibreOffice, then the DOCX reader; and what happens without it.

The end-to-end tests need LibreOffice. They are skipped on a machine without it, but never in CI
(CI installs libreoffice-writer-nogui), where a missing soffice is a failure.
"""

from __future__ import annotations

import json
import os
import random
import stat
import threading
import time
from pathlib import Path

import pytest

from nianbao.extract import detect_format, office, read_document
from nianbao.extract.model import ReaderError
from nianbao.pipeline import process_document
from tests.helpers.expected import differences
from tests.paths import OFFICE_FILES

OFFICE = OFFICE_FILES
CONVERTED_EXPECTED = sorted(
    p for p in OFFICE.glob("*.expected.json")
    if json.loads(p.read_text(encoding="utf-8"))["file"].endswith((".doc", ".wps")))
DOC_FIXTURE = OFFICE / "xihu_jyj_2023.doc"

needs_soffice = pytest.mark.skipif(
    office.find_soffice() is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui",
)


def fake_soffice(tmp_path: Path, script: str) -> str:
    """An executable standing in for soffice."""
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_fixtures_are_sniffed_as_doc_and_wps() -> None:
    assert detect_format("x.doc", DOC_FIXTURE.read_bytes()) == "doc"
    assert detect_format("x.wps", (OFFICE / "hongze_jtysj_2019.wps").read_bytes()) == "wps"


def test_without_libreoffice_the_document_is_unsupported_with_what_to_install(monkeypatch) -> None:
    monkeypatch.setenv(office.SOFFICE_ENV, "/nonexistent/bin/soffice")
    with pytest.raises(ReaderError) as info:
        read_document(DOC_FIXTURE.read_bytes(), "report.doc")
    assert info.value.status == "unsupported"
    message = str(info.value)
    assert "report.doc" in message and "LibreOffice" in message
    assert "apt-get install libreoffice-writer-nogui" in message
    assert "/nonexistent/bin/soffice" in message

    result = process_document(OFFICE / "hongze_jtysj_2019.wps")
    assert result.status == "unsupported"
    assert "apt-get install libreoffice-writer-nogui" in result.error


def test_a_hung_conversion_is_stopped_and_the_document_failed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(office.SOFFICE_ENV, fake_soffice(tmp_path, "sleep 30"))
    monkeypatch.setenv(office.TIMEOUT_ENV, "0.5")
    start = time.monotonic()
    with pytest.raises(ReaderError) as info:
        read_document(DOC_FIXTURE.read_bytes(), "report.doc")
    assert time.monotonic() - start < 10
    assert info.value.status == "failed"
    assert "did not finish" in str(info.value) and "0.5 seconds" in str(info.value)


def test_a_conversion_that_writes_nothing_fails_with_libreoffice_words(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(office.SOFFICE_ENV, fake_soffice(
        tmp_path, "echo 'Warning: failed to launch javaldx' >&2; echo 'Error: source file could not be loaded' >&2"))
    with pytest.raises(ReaderError) as info:
        read_document(DOC_FIXTURE.read_bytes(), "report.doc")
    assert info.value.status == "failed"
    assert str(info.value).endswith("LibreOffice said: Error: source file could not be loaded")


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("expected", CONVERTED_EXPECTED, ids=lambda p: p.name)
def test_doc_and_wps_reports_exact(expected: Path) -> None:
    assert differences(expected) == []


@pytest.mark.slow
@needs_soffice
def test_converted_document_says_where_it_came_from() -> None:
    doc = read_document((OFFICE / "hongze_jtysj_2019.wps").read_bytes(), "hongze_jtysj_2019.wps")
    assert doc.format == "wps"
    assert doc.metadata["converted_by"] == "LibreOffice"
    t3 = next(t for t in doc.tables if t.n_cols == 10)
    assert t3.rows[5][0].text == "三、本年度\n办理结果" and t3.rows[5][0].rowspan == 20
    assert t3.rows[5][0].provenance.locator.startswith("body/tbl[")


@pytest.mark.slow
@needs_soffice
def test_real_conversion_with_a_tiny_timeout_fails(monkeypatch) -> None:
    monkeypatch.setenv(office.TIMEOUT_ENV, "0.01")
    with pytest.raises(ReaderError) as info:
        read_document(DOC_FIXTURE.read_bytes(), "report.doc")
    assert info.value.status == "failed"
    assert "did not finish" in str(info.value)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_doc_fails_with_a_clear_message(damage: str) -> None:
    good = DOC_FIXTURE.read_bytes()
    if damage == "garbage":  # Word's OLE signature, then noise
        data = good[:8] + random.Random(7).randbytes(24000)
    else:
        data = good[: len(good) // 2]
    with pytest.raises(ReaderError) as info:
        read_document(data, "损坏.doc")
    assert info.value.status == "failed"
    assert "损坏.doc" in str(info.value)
    assert "could not open this doc file as a Word 97-2003 document" in str(info.value)


@pytest.mark.slow
@needs_soffice
def test_parallel_conversions_use_private_profiles() -> None:
    """Two threads converting at once: each has its own LibreOffice profile, neither blocks the other."""
    results: dict[str, object] = {}

    def convert(name: str) -> None:
        try:
            results[name] = read_document((OFFICE / name).read_bytes(), name)
        except ReaderError as exc:  # reported below
            results[name] = exc

    names = ["wuyang_wsjkw_2021.doc", "cangnan_rsj_2022.doc"]
    threads = [threading.Thread(target=convert, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(not isinstance(results.get(n), (ReaderError, type(None))) for n in names), results
    profiles = [p for (pid, _), p in office._profiles.items() if pid == os.getpid()]
    assert len(set(profiles)) >= 2
