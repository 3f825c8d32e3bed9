"""Reading while an ingest writes: DuckDB lets no other process open a file one process writes,
so the writer publishes a read-only copy, `<db>.snapshot`, after its batches (at most every
NIANBAO_SNAPSHOT_SECONDS, and when the run ends). `read_session` opens that copy when the
warehouse itself is locked, and says how old it is.

The copy is taken right after a CHECKPOINT (every committed row is in the main file, the WAL is
empty), by a `cp` process (see publish_snapshot), and published with a rename, so a reader
never sees half a copy.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from datetime import datetime
from pathlib import Path

import duckdb

log = logging.getLogger("nianbao.warehouse.snapshot")

ENV_SNAPSHOT_SECONDS = "NIANBAO_SNAPSHOT_SECONDS"
DEFAULT_SNAPSHOT_SECONDS = 30.0


def snapshot_path(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".snapshot")


def snapshot_seconds() -> float:
    raw = os.environ.get(ENV_SNAPSHOT_SECONDS)
    try:
        return float(raw) if raw else DEFAULT_SNAPSHOT_SECONDS
    except ValueError:
        return DEFAULT_SNAPSHOT_SECONDS


def publish_snapshot(con: duckdb.DuckDBPyConnection, db: str | Path) -> Path | None:
    """Checkpoint the writer's connection and publish a copy of the file for readers; None
    (and a warning) when the copy cannot be made: readers then wait for the ingest, as before."""
    db = Path(db)
    target = snapshot_path(db)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        con.execute("CHECKPOINT")
        # Copied by another process: closing any descriptor of the file in this one would drop
        # DuckDB's POSIX lock on it, letting other processes open a file being written.
        done = subprocess.run(["cp", "--", str(db), str(tmp)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise OSError(done.stderr.strip() or f"cp exited with {done.returncode}")
        os.replace(tmp, target)
    except (OSError, duckdb.Error) as exc:
        log.warning("%s: could not publish the read snapshot %s (%s)", db, target, exc)
        tmp.unlink(missing_ok=True)
        return None
    return target


class SnapshotPublisher:
    """Publishes at most every `seconds` (and never more often than ten times the last copy
    took, so a big warehouse is not copied all the time)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: str | Path, seconds: float | None = None) -> None:
        self.con, self.db = con, Path(db)
        self.seconds = snapshot_seconds() if seconds is None else seconds
        self._last = time.monotonic()
        self._cost = 0.0

    def maybe_publish(self) -> None:
        now = time.monotonic()
        if now - self._last >= max(self.seconds, 10 * self._cost):
            self.publish()

    def publish(self) -> None:
        started = time.monotonic()
        publish_snapshot(self.con, self.db)
        self._last = time.monotonic()
        self._cost = self._last - started


def snapshot_note(db: str | Path) -> str:
    """What a reader is told when it reads the snapshot instead of the warehouse."""
    path = snapshot_path(db)
    when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
    return (f"{db} is being written by an ingest; reading the snapshot it published at {when} "
            f"({path}): documents stored since then are not in it yet")
