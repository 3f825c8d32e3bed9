"""Downloaded files into the ordinary ingest: the processor `run_ingest` calls in its worker
processes for raw-store files. It reads the file like `nianbao ingest` does, with the URL as the
document's source, the download time as its first-seen time, and the page's publication date
when the document itself has none (an attachment rarely prints its 发布日期), all passed to
process_document as inputs.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.extract.model import Provenance
from nianbao.fetch.rawstore import read_first_seen
from nianbao.normalize.model import DocumentResult
from nianbao.pipeline import process_document

# "module:function", as nianbao.jobs.ingest.run_ingest(processor=...) takes it.
FETCHED_PROCESSOR = "nianbao.jobs.handoff:process_fetched_document"


def process_fetched_document(path: str | Path) -> DocumentResult:
    """process_document for a raw-store file, using its sidecar (FirstSeen) when there is one."""
    first_seen = read_first_seen(path)
    if first_seen is None:
        return process_document(path)
    page_date = None
    if first_seen.published_on:
        page_date = (first_seen.published_on,
                     Provenance(document=first_seen.url, locator="publication date of the page that links the file"))
    return process_document(path, source=first_seen.url, fetched_at=first_seen.fetched_at,
                            page_published_on=page_date)
