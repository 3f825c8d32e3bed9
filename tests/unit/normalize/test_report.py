"""Every NULL value of every generated document says why with a code, and only NULLs do; the
report's status follows the codes (a document's own blanks never make it partial)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.normalize.model import READ_PROBLEMS, NullReason, StructureKind
from nianbao.pipeline import process_document
from tests.helpers.expected import document_for, expected_files
from tests.paths import CHECK_FILES, CHECK_QUIRKS, HOLDOUTS, SAMPLES

CORPORA = expected_files(SAMPLES, CHECK_FILES, CHECK_QUIRKS, HOLDOUTS[0])


@pytest.mark.parametrize("expected", CORPORA, ids=lambda p: p.name)
def test_null_values_have_a_reason_code_and_numbers_none(expected: Path):
    result = process_document(document_for(expected))
    if result.report is None:
        return
    report = result.report
    for v in (*report.applications, *report.active, *report.appeals):
        if v.value is None:
            assert isinstance(v.null_reason, NullReason), v
        else:
            assert v.null_reason is None, v
    read_problems = [v for v in (*report.applications, *report.active, *report.appeals)
                     if v.value is None and v.null_reason in READ_PROBLEMS]
    assert (report.status == "partial") >= bool(read_problems)


def test_structure_note_kinds_are_codes():
    report = process_document(CHECK_FILES / "xinfeng_sjj_2022_no_table.html").report
    assert [(n.section, n.kind) for n in report.structure] == [("appeals", StructureKind.NO_TABLE),
                                                                ("appeals", StructureKind.HEADING_ONLY)]
    appeals = {v.null_reason for v in report.appeals}
    assert appeals == {NullReason.NO_TABLE}
