"""The codes stages exchange are documented where warehouse readers look (docs/warehouse.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.normalize.model import IssuerKind, NullReason, StructureKind

DOC = (Path(__file__).resolve().parents[3] / "docs" / "warehouse.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", [*NullReason, *StructureKind, *IssuerKind], ids=str)
def test_every_code_is_documented(code):
    assert f"| `{code}` |" in DOC


def test_codes_are_plain_strings_in_the_warehouse():
    assert NullReason.BLANK == "blank" and str(StructureKind.EXTRA_ROW) == "extra_row"
