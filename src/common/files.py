"""Facts about a local file that do not need its contents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path


def file_time(path: str | Path) -> datetime:
    """When a local file was first seen: its modification time (UTC, naive), now when it cannot
    be read. Not the time it was read: that depends on which worker reached it first, and the
    latest first-seen version of a report is the current one (nianbao.warehouse), so a folder
    read by 2 workers, or on a cluster, would get different current reports run after run."""
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return datetime.now(UTC).replace(tzinfo=None)
