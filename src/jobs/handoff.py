"""Downloaded files into the ordinary ingest: the processor `run_ingest` calls in its worker
processes for raw-store files. It reads the file like `nianbao ingest` does, with the URL as the
document's source, the download time as its first-seen time, and the page's publication date
when the document itself has none (an attachment rarely prints its 发布日期).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nianbao.extract.model import Provenance
from nianbao.fetch.rawstore import read_first_seen
from nianbao.normalize.checks import run_checks
from nianbao.normalize.model import DocumentResult
from nianbao.pipeline import process_document

# "module:function", as nianbao.jobs.ingest.run_ingest(processor=...) takes it.
FETCHED_PROCESSOR = "nianbao.jobs.handoff:process_fetched_document"


def process_fetched_document(path: str | Path) -> DocumentResult:
    """process_document for a raw-store file, using its sidecar (FirstSeen) when there is one."""
    first_seen = read_first_seen(path)
    if first_seen is None:
        return process_document(path)
    result = process_document(path, source=first_seen.url)
    result = replace(result, fetched_at=first_seen.fetched_at)
    if result.report is not None and result.report.published_on is None and first_seen.published_on:
        where = Provenance(document=first_seen.url, locator="publication date of the page that links the file")
        report = replace(result.report, published_on=first_seen.published_on, published_on_provenance=where)
        # The checks run again: TIMELINESS now has a date.
        result = replace(result, report=report, checks=tuple(run_checks(report)))
    return result
