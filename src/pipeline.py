"""One document, end to end and in memory: bytes -> Document -> Report -> check results.

Pure apart from reading the one file; safe to run in a worker process. The warehouse load and
the orchestration live elsewhere (nianbao.warehouse, flows/).
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from nianbao.config import limits
from nianbao.extract import read_document
from nianbao.extract.limits import InputTooLarge, check_file_size
from nianbao.extract.model import Provenance, ReaderError
from nianbao.normalize.agency import resolve_agency
from nianbao.normalize.checks import run_checks
from nianbao.normalize.model import DocumentResult, NotAReport
from nianbao.normalize.report import normalize_document
from nianbao.normalize.similarity import narrative_buckets


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sniff_format(path: Path, data: bytes) -> str:
    from nianbao.extract import detect_format

    return detect_format(path.name, data)


def _pdf_engine(fmt: str) -> str | None:
    """The engine read_pdf used on a PDF that raised before returning its Document."""
    from nianbao.extract.pdf import pdf_engine

    return pdf_engine() if fmt == "pdf" else None


def process_document(path: str | Path, source: str | None = None, *, fetched_at: datetime | None = None,
                     page_published_on: tuple[date, Provenance] | None = None) -> DocumentResult:
    """Read, normalize and check one file. Never raises for a bad document: the problem is
    recorded as the document's status and error.

    A crawled file comes with what the portal said of it: `source` (its URL), `fetched_at` (when it
    was first downloaded) and `page_published_on` (the date the listing printed beside the link,
    with where it was read): the report's publication date when the document prints none."""
    path = Path(path)
    fetched_at = fetched_at or datetime.now(UTC).replace(tzinfo=None)
    src = source or str(path)
    try:
        # Bigger files are refused before they are read into memory (Limits.file_mb).
        check_file_size(path.name, path.stat().st_size)
        data = path.read_bytes()
    except InputTooLarge as exc:
        document_id, size = _hash_file(path)
        return DocumentResult(document_id, src, path.suffix.lower().lstrip(".") or "unknown", size,
                              fetched_at, exc.status, str(exc))
    except OSError as exc:
        return DocumentResult(
            document_id=hashlib.sha256(src.encode()).hexdigest(), source=src, format="unknown",
            size_bytes=0, fetched_at=fetched_at, status="failed",
            error=f"{path}: cannot read the file ({exc.strerror or exc})",
        )
    document_id = hashlib.sha256(data).hexdigest()
    fmt = "unknown"
    document = None
    try:
        fmt = sniff_format(path, data)
        document = read_document(data, name=src, fmt=fmt)
        report = normalize_document(document)
        if report.published_on is None and page_published_on is not None:
            report = replace(report, published_on=page_published_on[0],
                             published_on_provenance=page_published_on[1])
        agency = resolve_agency(report.agency) if report.agency else None
        checks = tuple(run_checks(report))
        return DocumentResult(
            document_id=document_id, source=src, format=fmt, size_bytes=len(data),
            fetched_at=fetched_at, status=report.status, error=report.status_reason,
            report=report, agency=agency, checks=checks, text_buckets=narrative_buckets(report.narrative),
            pdf_engine=document.metadata.get("pdf_engine"),
        )
    except ReaderError as exc:
        return DocumentResult(document_id, src, fmt, len(data), fetched_at, exc.status, str(exc),
                              pdf_engine=_pdf_engine(fmt))
    except MemoryError:
        lim = limits()
        return DocumentResult(
            document_id, src, fmt, len(data), fetched_at, "out_of_memory",
            f"{path.name}: reading needed more memory than the {lim.worker_address_space_mb} MB limit of a "
            f"worker (setting NIANBAO_WORKER_ADDRESS_SPACE_MB)")
    except NotAReport as exc:
        return DocumentResult(document_id, src, fmt, len(data), fetched_at, "not_a_report", str(exc),
                              pdf_engine=document.metadata.get("pdf_engine") if document else None)
    except Exception as exc:  # noqa: BLE001 - a bug or a pathological file must not stop the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return DocumentResult(
            document_id, src, fmt, len(data), fetched_at, "failed",
            f"{path.name}: internal error while reading ({type(exc).__name__}: {exc}) "
            f"at {Path(where.filename).name}:{where.lineno}",
        )
