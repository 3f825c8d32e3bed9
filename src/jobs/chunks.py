"""Work in proportion: documents grouped in chunks (one orchestrator task per chunk, so its fixed
cost is spread over many documents), and a bounded window of work in flight (so the parent holds
the results of a few chunks at most, whatever the size of the corpus).
"""

from __future__ import annotations

import math
import queue
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

# A chunk is big enough that a task's fixed cost (~0.1 s with Prefect) is a few ms per document,
# small enough that every worker gets several (the slow ones balance out) and a crash re-reads few.
MIN_CHUNK = 1
MAX_CHUNK = 32
CHUNKS_PER_WORKER = 4
# Chunks (or documents) in flight per worker: enough to keep each busy while the parent stores.
WINDOW_PER_WORKER = 2

ItemT = TypeVar("ItemT")
JobT = TypeVar("JobT")


def chunk_size(n_documents: int, workers: int) -> int:
    """Documents per task: the corpus spread over CHUNKS_PER_WORKER tasks per worker, within
    [MIN_CHUNK, MAX_CHUNK]."""
    if n_documents <= 0:
        return MIN_CHUNK
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(n_documents / (max(workers, 1) * CHUNKS_PER_WORKER))))


@dataclass(frozen=True)
class Chunk(Generic[JobT]):
    """Consecutive jobs read by one task."""

    number: int
    jobs: tuple[JobT, ...]

    @property
    def label(self) -> str:
        first, last = self.jobs[0], self.jobs[-1]
        return f"chunk {self.number}: {getattr(first, 'name', first)} … {getattr(last, 'name', last)} ({len(self.jobs)})"


class ChunkResults(list):  # type: ignore[type-arg]
    """The results of a chunk; a short repr, because Prefect logs a failed task's result whole."""

    def __repr__(self) -> str:
        return f"<{len(self)} document results>"


def make_chunks(jobs: Sequence[JobT], size: int) -> Iterator[Chunk[JobT]]:
    for number, start in enumerate(range(0, len(jobs), size), start=1):
        yield Chunk(number, tuple(jobs[start:start + size]))


def run_windowed(items: Iterable[ItemT], submit: Callable[[ItemT], Any], window: int,
                 outcome: Callable[[Any], Any], idle_seconds: float,
                 ) -> Iterator[tuple[ItemT, Any] | None]:
    """Submit items (submit(item) -> a future with add_done_callback) keeping at most `window`
    in flight; yield (item, outcome(future) or the exception it raised) as each finishes, and
    None whenever `idle_seconds` pass without one finishing. A finished future is dropped at
    once, so its result is not kept. When submitting raises (a broken pool), that item and
    every one not yet submitted are yielded with the exception."""
    finished: queue.SimpleQueue[Any] = queue.SimpleQueue()
    pending = iter(items)
    in_flight: dict[int, tuple[ItemT, Any]] = {}  # the future kept alive until it is handled
    broken: BaseException | None = None

    def fill() -> Iterator[tuple[ItemT, Any]]:
        nonlocal broken
        while len(in_flight) < max(window, 1):
            item = next(pending, _END)
            if item is _END:
                return
            if broken is None:
                try:
                    future = submit(item)
                except Exception as exc:  # noqa: BLE001 -- the pool is broken: the caller decides
                    broken = exc
                else:
                    in_flight[id(future)] = (item, future)
                    future.add_done_callback(finished.put)
                    continue
            yield item, broken

    yield from fill()
    while in_flight:
        try:
            future = finished.get(timeout=idle_seconds)
        except queue.Empty:
            yield None
            continue
        item, _ = in_flight.pop(id(future))
        try:
            result = outcome(future)
        except Exception as exc:  # noqa: BLE001 -- reported per item
            result = exc
        del future
        yield item, result
        yield from fill()


_END: Any = object()
