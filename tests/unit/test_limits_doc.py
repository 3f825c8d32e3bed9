"""docs/limits.md maps every case of issues 15 and 16 to its test: each test it names exists
(file and function), so the checklist cannot point at nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "docs" / "limits.md"
# `tests/x.py::test_name[param]`, or `::test_name` / `[param]` continuing the previous file's reference.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(test_\w+))?(\[[^\]`]+\])?`")


def _tests_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def referenced_tests() -> list[tuple[str, str]]:
    section = CHECKLIST.read_text(encoding="utf-8").split("## Checklist", 1)[1]
    found = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| Case", "|---")):
            continue
        test_cell = line.rsplit("|", 2)[1]
        path = name = None
        for m in REFERENCE.finditer(test_cell):
            path = m.group(1) or path
            name = m.group(2) or name
            if path and name:
                found.append((path, name))
    return found


def test_every_test_the_checklist_names_exists():
    refs = referenced_tests()
    assert len(refs) >= 45
    missing = [(path, name) for path, name in refs
               if not (ROOT / path).exists() or name not in _tests_of(ROOT / path)]
    assert missing == []


def test_every_case_row_names_a_test():
    section = CHECKLIST.read_text(encoding="utf-8").split("## Checklist", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Case")]
    assert len(rows) == 38  # 23 cases of issue 15, 15 of issue 16
    cells = [r.rsplit("|", 2)[1].strip() for r in rows]
    assert [c for c in cells if "tests/" not in c and not c.startswith("R")] == []
