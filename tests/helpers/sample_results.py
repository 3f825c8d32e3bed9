"""Hand-built DocumentResults for the warehouse, ingest, CLI and flow tests, and a fake
`process_document` that turns a tiny fixture file into one of them (importable by worker
processes: tests/warehouse is on pytest's pythonpath)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from nianbao.extract.model import Provenance
from nianbao.normalize.agency import resolve_agency
from nianbao.normalize.model import (
    ActiveValue,
    AppealValue,
    ApplicationValue,
    CheckResult,
    DocumentResult,
    IssuerKind,
    NullReason,
    Report,
    StructureKind,
    StructureNote,
)

AGENCY = "舞阳县工业和信息化局"
FETCHED_AT = datetime(2024, 3, 1, 9, 30, 0)


def doc_id(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def cell(source: str, row: int, col: int, table: int = 2) -> Provenance:
    return Provenance(document=source, locator=f"/html/body/table[{table + 1}]/tr[{row + 1}]/td[{col + 1}]",
                      page=None, table=table, row=row, col=col)


def make_report(source: str, *, agency: str = AGENCY, year: int = 2021, received: int = 5) -> Report:
    """A small v2021 report: 3 section 三 cells (one blank), 2 section 二 cells, 2 section 四 cells."""
    return Report(
        source=source,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        agency=agency,
        agency_in_title=agency,
        year=year,
        template_version="v2021",
        version_evidence={"applications": "v2021", "active": "v2021"},
        signed_on=date(year + 1, 1, 20),
        published_on=date(year + 1, 1, 25),
        applications=(
            ApplicationValue("received", "natural_person", received, raw=str(received),
                             provenance=cell(source, 3, 2)),
            ApplicationValue("received", "total", received + 1, raw=str(received + 1),
                             provenance=cell(source, 3, 8)),
            ApplicationValue("carried_in", "natural_person", None, raw="", note="blank cell",
                             provenance=cell(source, 4, 2), null_reason=NullReason.BLANK),
        ),
        active=(
            ActiveValue("art20_1", "rules", "issued", Decimal(2), raw="2",
                        provenance=cell(source, 2, 1, table=0)),
            # Six decimals, as real reports print 本年收费金额: stored exactly, not rounded.
            ActiveValue("art20_8", "fees", "amount", Decimal("5949.088667"), unit="万元", raw="5949.088667",
                        provenance=cell(source, 2, 1, table=1)),
        ),
        appeals=(
            AppealValue("review", "upheld", 1, raw="1", provenance=cell(source, 3, 0, table=3)),
            AppealValue("review", "total", 2, raw="2", provenance=cell(source, 3, 4, table=3)),
        ),
        sections_found=("overview", "active", "applications", "appeals"),
        structure=(StructureNote("appeals", StructureKind.EXTRA_COLUMN, {"label": "小计", "column": 6},
                                 cell(source, 1, 5, table=3)),),
        status="ok",
        issuer_kind=IssuerKind.DEPARTMENT,
        issuer_basis=f"发布机关「{agency}」是政府部门",
    )


def make_check(source: str, received: int = 5) -> CheckResult:
    return CheckResult(
        rule="T3_ROW_TOTAL", severity="error", subject="received",
        expected=Decimal(received), actual=Decimal(received + 1),
        message=f"「一、本年新收政府信息公开申请数量」行：自然人({received}) = {received}，但总计为{received + 1}，不相等。",
        evidence=(cell(source, 3, 2), cell(source, 3, 8)),
    )


def make_result(seed: str = "doc-a", *, source: str | None = None, agency: str = AGENCY, year: int = 2021,
                fetched_at: datetime = FETCHED_AT, received: int = 5) -> DocumentResult:
    source = source or f"data/samples/{seed}.html"
    report = make_report(source, agency=agency, year=year, received=received)
    return DocumentResult(
        document_id=doc_id(seed), source=source, format="html", size_bytes=1234, fetched_at=fetched_at,
        status="ok", error=None, report=report, agency=resolve_agency(agency),
        checks=(make_check(source, received),),
    )


def make_non_report(seed: str = "readme", *, status: str = "not_a_report",
                    error: str = "README.md: no 政府信息公开工作年度报告 title or sections") -> DocumentResult:
    return DocumentResult(
        document_id=doc_id(seed), source=f"data/samples/{seed}.md", format="txt", size_bytes=99,
        fetched_at=FETCHED_AT, status=status, error=error,
    )


def process_fixture(path: str | Path, source: str | None = None) -> DocumentResult:
    """Fake process_document. The fixture file's first line says what to return:
    `report <agency> <year>`, `not_a_report`, `failed`, `crash` (kills the worker) or `raise`."""
    path = Path(path)
    data = path.read_bytes()
    words = data.decode("utf-8").split()
    kind = words[0] if words else "not_a_report"
    seed = hashlib.sha256(data).hexdigest()
    src = source or str(path)
    if kind == "crash":
        os._exit(3)
    if kind == "raise":
        raise RuntimeError("fixture asked to raise")
    if kind == "report":
        result = make_result(seed, source=src, agency=words[1], year=int(words[2]))
        return replace(result, document_id=seed, size_bytes=len(data))
    error = None if kind == "ok" else f"{path.name}: fixture says {kind}"
    return DocumentResult(seed, src, "txt", len(data), FETCHED_AT, kind, error)


def write_fixtures(folder: Path, spec: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in spec.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
        paths.append(p)
    return paths


def dump_tables(con, tables) -> dict[str, list[tuple]]:
    """Full contents of `tables`, sorted, for before/after comparisons."""
    out = {}
    for table in tables:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    return out
