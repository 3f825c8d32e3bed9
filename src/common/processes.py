"""Child processes that die with the process that started them (Linux `PR_SET_PDEATHSIG`): a
`kill -9` of an ingest must not leave its workers or its temporary Prefect server running."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: ask the kernel to SIGKILL it when its parent dies. With `parent` (the
    pid that started it), exit at once when that parent is already gone (it died before the
    request was made). A no-op where the call does not exist."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def dying_with_this_process() -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen: the child dies with the process (the thread, for the
    kernel: call it from the main thread) that starts it."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)
