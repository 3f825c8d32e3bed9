"""A fake process_document for the budget tests (importable by worker processes: tests/warehouse is
on the path). First word of the fixture file: `sleep` (Python code the alarm interrupts), `spin`
(a catastrophically backtracking regex: native code the alarm cannot interrupt), `grow` (memory
grown 50 MB at a time), `huge` (one allocation beyond the address-space limit); anything else is
handled by sample_results.process_fixture."""

from __future__ import annotations

import re
import time
from pathlib import Path

from sample_results import process_fixture

from nianbao.normalize.model import DocumentResult


def process_hostile(path: str | Path, source: str | None = None) -> DocumentResult:
    words = Path(path).read_text(encoding="utf-8").split()
    kind = words[0] if words else ""
    if kind == "sleep":
        time.sleep(3600)
    elif kind == "spin":
        re.match(r"(a+)+$", "a" * 64 + "b")
    elif kind == "grow":
        hoard = []
        while True:
            hoard.append(bytearray(50 * 1024 * 1024))
            time.sleep(0.01)
    elif kind == "huge":
        bytearray(64 * 1024**3)
    return process_fixture(path, source)
