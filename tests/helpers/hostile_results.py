"""A fake process_document for the budget tests (importable by worker processes: tests/warehouse is
on the path). First word of the fixture file: `sleep` (Python code the alarm interrupts), `spin`
(a catastrophically backtracking regex: native code the alarm cannot interrupt), `grow` (memory
grown 50 MB at a time), `huge` (one allocation beyond the address-space limit); anything else is
handled by sample_results.process_fixture."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import replace
from pathlib import Path

from sample_results import make_result, process_fixture

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
    elif kind == "slow":  # `slow SECONDS AGENCY YEAR`: a report that takes a while to read
        time.sleep(float(words[1]))
        data = Path(path).read_bytes()
        seed = hashlib.sha256(data).hexdigest()
        result = make_result(seed, source=source or str(path), agency=words[2], year=int(words[3]))
        return replace(result, document_id=seed, size_bytes=len(data))
    return process_fixture(path, source)
