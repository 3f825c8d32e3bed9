"""Compare a processed document with its expected-values JSON (the shape of shared/seeds/*.expected.json)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from nianbao.normalize.checks import RULES, SCOPE_REPORT
from nianbao.normalize.model import DocumentResult
from nianbao.pipeline import process_document
from tests.paths import REPO  # noqa: F401 -- re-exported for the corpus tests


def expected_files(*folders: Path) -> list[Path]:
    out: list[Path] = []
    for folder in folders:
        if folder.exists():
            out.extend(sorted(folder.glob("*.expected.json")))
    return out


def document_for(expected_path: Path) -> Path:
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    return expected_path.with_name(spec["file"])


def _num(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def differences(expected_path: Path, result: DocumentResult | None = None) -> list[str]:
    """Every way the document's extraction differs from its expected JSON (empty = exact)."""
    exp = json.loads(expected_path.read_text(encoding="utf-8"))
    result = result or process_document(document_for(expected_path))
    diffs: list[str] = []
    want_status = exp.get("expected_status", "ok")
    if result.status != want_status:
        diffs.append(f"status {result.status!r} ({result.error}) != {want_status!r}")
    if want_status != "ok" or result.report is None:
        return diffs
    report = result.report
    for key, got in (("agency", report.agency), ("year", report.year), ("version", report.template_version)):
        if key in exp and exp[key] != got:
            diffs.append(f"{key}: {got!r} != {exp[key]!r}")
    for row, columns in exp.get("applications", {}).items():
        for applicant, want in columns.items():
            cell = report.application(row, applicant)
            got = cell.value if cell else "absent"
            if got != want:
                diffs.append(f"applications[{row}][{applicant}] = {got!r} != {want!r}"
                             + (f" ({cell.note})" if cell and cell.note else ""))
    want_rows = set(exp.get("applications", {}))
    extra_rows = {v.row for v in report.applications} - want_rows
    if exp.get("applications") and extra_rows:
        diffs.append(f"unexpected application rows {sorted(extra_rows)}")
    for proceeding, outcomes in exp.get("appeals", {}).items():
        for outcome, want in outcomes.items():
            cell = report.appeal(proceeding, outcome)
            got = cell.value if cell else "absent"
            if got != want:
                diffs.append(f"appeals[{proceeding}][{outcome}] = {got!r} != {want!r}")
    got_active = {(v.item, v.row, v.metric): v for v in report.active}
    want_keys = set()
    for entry in exp.get("active", []):
        key = (entry["item"], entry["row"], entry["metric"])
        want_keys.add(key)
        cell = got_active.get(key)
        if cell is None:
            diffs.append(f"active{key} absent != {entry['value']!r}")
            continue
        if cell.value != _num(entry["value"]):
            diffs.append(f"active{key} = {cell.value!r} != {entry['value']!r}" + (f" ({cell.note})" if cell.note else ""))
        if "unit" in entry and cell.unit != entry["unit"]:
            diffs.append(f"active{key} unit {cell.unit!r} != {entry['unit']!r}")
    if exp.get("active") and set(got_active) - want_keys:
        diffs.append(f"unexpected active cells {sorted(set(got_active) - want_keys)}")
    # Every single-report rule of the registry is compared; the rules over the warehouse (other
    # years, peers) cannot fire on one document: tests/checks ingests whole folders for those.
    want_flags = {(f["rule"], f["subject"], f["severity"]) for f in exp.get("expected_flags", [])
                  if f["rule"] in RULES and RULES[f["rule"]].scope == SCOPE_REPORT}
    got_flags = {(c.rule, c.subject, c.severity) for c in result.checks if c.severity in ("error", "warn")}
    if want_flags != got_flags:
        diffs.append(f"flags: missing {sorted(want_flags - got_flags)}, unexpected {sorted(got_flags - want_flags)}")
    return diffs
