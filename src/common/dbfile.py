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


def nianbao_writer_running(db: Path) -> bool:
    """True when a nianbao ingest or crawl holds the warehouse's write lock (`<db>.lock`)."""
    try:
        fd = os.open(lock_path_for(db), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def connect_file(db: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            if read_only:
                who = ("a running `nianbao ingest` or crawl is writing it" if nianbao_writer_running(db)
                       else "another program is writing it (a notebook or a duckdb shell)")
                raise WarehouseLocked(
                    f"cannot read {db}: {who}, and DuckDB lets no other process open a file while one "
                    f"writes. Wait for it to finish, or close it, and try again. DuckDB said: {text}") from exc
            raise WarehouseLocked(
                f"cannot write {db}: another program has it open (a notebook, a duckdb shell or a "
                f"viewer, reading or writing it); DuckDB lets one process write only while no other "
                f"has the file open. Close it and try again. DuckDB said: {text}") from exc
        if "permission denied" in text.lower() and not read_only:
            raise WarehouseError(_read_only_folder_message(db, text)) from exc
        raise WarehouseError(f"cannot open the warehouse {db}: {text}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the warehouse {db}: {exc}") from exc


def _read_only_folder_message(db: Path, detail: str) -> str:
    return (f"cannot write the warehouse {db}: its folder {db.parent} is not writable, and writing "
            f"needs new files next to it ({db.name}.wal, {db.name}.lock). Copy the warehouse to a "
            f"writable folder and give that path with --db; reading it (nianbao show, compare) still "
            f"works here. ({detail})")


def check_writable(db: Path) -> None:
    """Refuse, in words, to write a warehouse whose folder is read-only (DuckDB would fail later
    with '<db>.wal: Permission denied')."""
    folder = db.parent if str(db.parent) else Path(".")
    if folder.is_dir() and not os.access(folder, os.W_OK):
        raise WarehouseError(_read_only_folder_message(db, "the folder is read-only"))
    if db.exists() and not os.access(db, os.W_OK):
        raise WarehouseError(f"cannot write the warehouse {db}: the file is read-only; make it "
                             "writable or give another --db")


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
