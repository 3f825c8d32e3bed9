"""The DuckDB file the warehouse and the crawler's tables share: one writer at a time (a flock on
`<db>.lock`, released when the process dies) and connections whose errors say what to do."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb


class WarehouseError(Exception):
    """The warehouse file cannot be opened or written; the message says why and what to do."""


class WarehouseLocked(WarehouseError):
    """Another writer holds the warehouse."""


def lock_path_for(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".lock")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def connect_file(db: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            what = "read" if read_only else "write"
            raise WarehouseLocked(
                f"cannot {what} {db}: the file is open in another program that is writing it "
                f"(a running `nianbao ingest`, a notebook or a duckdb shell). Close it, or wait for "
                f"the ingest to finish, and try again. DuckDB said: {text}") from exc
        raise WarehouseError(f"cannot open the warehouse {db}: {text}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the warehouse {db}: {exc}") from exc


@contextmanager
def exclusive_lock(db: Path) -> Iterator[Path]:
    """flock on `<db>.lock`: one nianbao writer at a time, released when the process dies."""
    lock = lock_path_for(db)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(f"cannot create the lock file {lock}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            who = f" (process {holder})" if holder else ""
            raise WarehouseLocked(
                f"another nianbao ingest or crawl is writing {db}{who}; wait for it to finish, then try "
                f"again (lock file: {lock})") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield lock
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def check_db_path(db: Path) -> None:
    if db.is_dir():
        raise WarehouseError(f"{db} is a folder; give the path of a .duckdb file (e.g. data/nianbao.duckdb)")
