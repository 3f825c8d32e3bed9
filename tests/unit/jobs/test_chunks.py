"""Chunk sizes and the bounded window of work in flight."""

from __future__ import annotations

import threading
from concurrent.futures import BrokenExecutor, Future, ThreadPoolExecutor

from nianbao.jobs.chunks import MAX_CHUNK, chunk_size, make_chunks, run_windowed


def test_chunks_spread_the_corpus_over_the_workers_within_bounds():
    assert chunk_size(0, 2) == 1
    assert chunk_size(4, 2) == 1
    assert chunk_size(200, 2) == 25  # 8 task runs: 4 per worker
    assert chunk_size(2000, 2) == MAX_CHUNK
    assert chunk_size(200, 0) == MAX_CHUNK
    chunks = list(make_chunks(list(range(10)), 4))
    assert [c.jobs for c in chunks] == [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)]
    assert [c.number for c in chunks] == [1, 2, 3]
    assert chunks[2].label == "chunk 3: 8 … 9 (2)"


def test_the_window_bounds_the_work_in_flight_and_yields_every_outcome():
    lock = threading.Lock()
    in_flight = peak = 0

    def work(i: int) -> int:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        with lock:
            in_flight -= 1
        if i == 7:
            raise ValueError("seven")
        return i * i

    with ThreadPoolExecutor(4) as pool:
        submitted = []

        def submit(i: int) -> Future:
            submitted.append(i)
            return pool.submit(work, i)

        out = [x for x in run_windowed(range(20), submit, 3, lambda f: f.result(), 0.05) if x is not None]
    assert peak <= 3
    assert sorted(i for i, _ in out) == list(range(20))
    results = dict(out)
    assert results[4] == 16 and isinstance(results[7], ValueError)


def test_a_broken_pool_gives_its_error_for_every_item_not_yet_submitted():
    def submit(i: int) -> Future:
        if i >= 2:
            raise BrokenExecutor("pool broke")
        future: Future = Future()
        future.set_result(i)
        return future

    out = [x for x in run_windowed(range(5), submit, 2, lambda f: f.result(), 0.05) if x is not None]
    assert sorted(i for i, _ in out) == [0, 1, 2, 3, 4]
    assert [type(o) for i, o in sorted(out)] == [int, int, BrokenExecutor, BrokenExecutor, BrokenExecutor]
