"""The budget of one document, enforced in the worker process that reads it: wall time (an alarm,
then a kill), memory (RLIMIT_AS, and a watchdog on resident memory), and a worker that dies with
its parent. A breach is written next to the job's start marker so the parent records it.

The parent (nianbao.jobs.ingest) replaces a worker that was stopped and goes on with the run.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nianbao.common.processes import die_with_parent
from nianbao.config import Limits, limits

BUDGET_STATUSES = ("too_large", "timeout", "out_of_memory")
TEMP_PREFIX = "nianbao-ingest-"
# Seconds between the alarm (the reader is interrupted, the worker lives on) and the kill of a
# worker stuck in native code that the alarm cannot interrupt.
KILL_GRACE_SECONDS = 5.0
WATCH_SECONDS = 0.05

T = TypeVar("T")


class DocumentTimeUp(BaseException):  # a BaseException so no `except Exception` in a reader swallows it
    """The alarm of the document's wall-time budget rang."""


@dataclass(frozen=True)
class Verdict:
    """Why a worker stopped reading a document: a status of BUDGET_STATUSES and the message."""

    status: str
    error: str

    def write(self, marker: Path) -> None:
        # Write then rename: the parent never reads half a verdict.
        tmp = marker.with_name(marker.name + ".tmp")
        tmp.write_text(json.dumps({"status": self.status, "error": self.error}), encoding="utf-8")
        os.replace(tmp, marker)


def read_verdict(marker: Path | None) -> Verdict | None:
    """The verdict a worker left in `marker` before it was stopped, if any."""
    if marker is None:
        return None
    try:
        text = marker.read_text(encoding="utf-8")
    except OSError:
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
        return Verdict(str(data["status"]), str(data["error"]))
    except (ValueError, KeyError, TypeError):
        return None


def timeout_message(name: str, seconds: float, elapsed: float) -> str:
    return (f"{name}: reading took longer than the {seconds:g} s limit for one document (setting "
            f"NIANBAO_DOCUMENT_SECONDS); stopped after {elapsed:.0f} s")


def memory_message(name: str, limit_mb: int, used_mb: int | None, setting: str = "NIANBAO_WORKER_MEMORY_MB") -> str:
    used = f"; {used_mb} MB in use when it was stopped" if used_mb else ""
    return (f"{name}: reading needed more memory than the {limit_mb} MB limit of a worker "
            f"(setting {setting}){used}")


# ------------------------------------------------------------------------------ worker side

def _resident_mb() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)


@dataclass
class _Current:
    name: str
    marker: Path | None
    started: float
    kill_at: float


class _WorkerGuard:
    """Installed once per worker process: the address-space limit, death with the parent, and
    the watchdog thread that stops a document over its time or memory budget."""

    def __init__(self, lim: Limits) -> None:
        self.limits = lim
        # The process that started this worker: a worker it started before it was killed must
        # not take init (pid 1) for its parent and live on.
        started_by = multiprocessing.parent_process()
        self.parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()
        self.current: _Current | None = None
        self.lock = threading.Lock()
        self._limit_address_space()
        self._die_with_parent()
        threading.Thread(target=self._watch, name="nianbao-budget", daemon=True).start()

    def _limit_address_space(self) -> None:
        want = self.limits.worker_address_space_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))

    def _die_with_parent(self) -> None:
        # The kernel kills this process when its parent dies (Linux); the watchdog also checks.
        die_with_parent(self.parent)

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != self.parent:
                os._exit(1)  # orphaned: the ingest that started this worker is gone
            with self.lock:
                current = self.current
            if current is None:
                continue
            used = _resident_mb()
            if used > self.limits.worker_memory_mb:
                self._stop(current, Verdict("out_of_memory", memory_message(
                    current.name, self.limits.worker_memory_mb, used)))
            elif time.monotonic() > current.kill_at:
                self._stop(current, Verdict("timeout", timeout_message(
                    current.name, self.limits.document_seconds, time.monotonic() - current.started)))

    def _stop(self, current: _Current, verdict: Verdict) -> None:
        if current.marker is not None:
            with contextlib.suppress(OSError):
                verdict.write(current.marker)
        os._exit(3)

    @contextlib.contextmanager
    def document(self, name: str, marker: Path | None) -> Iterator[None]:
        seconds = self.limits.document_seconds
        now = time.monotonic()
        with self.lock:
            self.current = _Current(name, marker, now, now + seconds + KILL_GRACE_SECONDS)
        alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
        previous = None
        if alarm:
            def ring(signum: int, frame: object) -> None:
                raise DocumentTimeUp()

            previous = signal.signal(signal.SIGALRM, ring)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            with self.lock:
                self.current = None
            if alarm:
                # The alarm may ring while it is being disarmed: retry until it is off.
                while True:
                    try:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                        signal.signal(signal.SIGALRM, previous)
                        break
                    except DocumentTimeUp:
                        continue


_guard: _WorkerGuard | None = None


def install_worker_guard() -> None:
    """Pool initializer: limit this worker process and tie it to its parent before any job
    arrives (run_within_budget installs it too, for pools without an initializer)."""
    global _guard
    if _guard is None:
        _guard = _WorkerGuard(limits())


def run_within_budget(fn: Callable[[], T], name: str, marker: Path | None,
                      on_breach: Callable[[Verdict], T]) -> T:
    """Run `fn` (read one document) under the budget of this worker process; a breach the worker
    survives (the alarm, MemoryError) returns on_breach(verdict). Worse breaches stop the process
    after writing the verdict to `marker`."""
    global _guard
    if _guard is None:
        _guard = _WorkerGuard(limits())
    lim = _guard.limits
    started = time.monotonic()
    try:
        with _guard.document(name, marker):
            return fn()
    except DocumentTimeUp:
        return on_breach(Verdict("timeout", timeout_message(name, lim.document_seconds,
                                                            time.monotonic() - started)))
    except MemoryError:
        return on_breach(Verdict("out_of_memory", memory_message(
            name, lim.worker_address_space_mb, None, "NIANBAO_WORKER_ADDRESS_SPACE_MB")))


# ------------------------------------------------------------------------------ parent side

def make_temp_folder() -> str:
    """The run's scratch folder (job markers), named after this process so a later run can tell
    whether its owner is still alive."""
    return tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-")
# Folders of older versions carry no process id: removed once they are this old.
_UNNAMED_STALE_SECONDS = 24 * 3600


def remove_stale_temp_folders(root: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders of ingests that are no longer running (killed before they
    could clean up); returns those removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        candidates = list(root.glob(TEMP_PREFIX + "*"))
    except OSError:
        return []
    for folder in candidates:
        m = _TEMP_NAME.match(folder.name)
        try:
            if m:
                stale = int(m.group(1)) != os.getpid() and not _alive(int(m.group(1)))
            else:
                stale = time.time() - folder.stat().st_mtime > _UNNAMED_STALE_SECONDS
        except OSError:
            continue
        if stale and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
