"""Find the files an ingest reads, surviving what a file system can hold: symbolic-link loops,
dangling links, links leaving the input folder, FIFOs and devices, unreadable folders, names
that are not UTF-8, very deep trees. Every item left out is returned with its reason."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.common.names import storable
from nianbao.config import limits

# Files in a folder that are never documents: sidecars, the warehouse itself, its lock.
SKIP_SUFFIXES = (".json", ".lock")
SKIP_NAME_PARTS = (".duckdb",)
class DiscoveryError(Exception):
    """A path given on the command line does not exist."""


@dataclass(frozen=True)
class Skipped:
    """Something found that is not read, and why (recorded in the run with status `skipped`)."""

    path: str  # printable (names not in UTF-8 escaped)
    reason: str


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def printable_path(path: str | os.PathLike[str]) -> str:
    """The path as stored and shown: bytes that are not UTF-8 written \\xNN (see common.names)."""
    return storable(os.fspath(path)) or ""


def is_ignored(name: str) -> bool:
    """Dotfiles, *.json sidecars (the .expected.json of the sample corpus), *.duckdb* and *.lock."""
    lower = name.lower()
    return name.startswith(".") or lower.endswith(SKIP_SUFFIXES) or any(p in lower for p in SKIP_NAME_PARTS)


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def discover(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False,
             max_depth: int | None = None) -> Discovery:
    """Files to ingest, in a stable order: each file given, and every file under each folder
    given (recursively), leaving out dotfiles, hidden folders and `is_ignored` names. A README in
    a folder is kept: it is a document that is not a report.

    A symbolic link is followed when its target is inside a folder given (each file is read
    once) or `follow_links`; links leaving the input, dangling links, loops, FIFOs, devices and
    folders that cannot be listed or are deeper than `max_depth` (Limits.tree_depth) are skipped."""
    max_depth = limits().tree_depth if max_depth is None else max_depth
    given = [Path(p) for p in paths]
    for p in given:
        if not os.path.lexists(p):
            raise DiscoveryError(f"{printable_path(p)}: no such file or folder")
    roots = [os.path.realpath(p) for p in given if os.path.isdir(p)]
    found = Discovery()
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def skip(p: Path, reason: str) -> None:
        found.skipped.append(Skipped(printable_path(p), f"{printable_path(p)}: {reason}"))

    def visit(p: Path, depth: int, top: bool) -> None:
        is_link = os.path.islink(p)
        if is_link:
            try:
                target = os.readlink(p)
            except OSError:
                target = "?"
            try:
                st = os.stat(p)
            except OSError as exc:
                if exc.errno == 40:  # ELOOP
                    skip(p, f"symbolic link loop (→ {storable(target)}); not followed")
                else:
                    skip(p, f"dangling symbolic link (→ {storable(target)}: {exc.strerror})")
                return
            real = os.path.realpath(p)
            if not top and not follow_links and not _inside(real, roots):
                skip(p, f"symbolic link leaving the input folder (→ {storable(real)}); "
                        "not followed (use --follow-links to read it)")
                return
        else:
            try:
                st = os.stat(p)
            except OSError as exc:
                skip(p, f"cannot be examined ({exc.strerror or exc})")
                return
        key = (st.st_dev, st.st_ino)
        if stat.S_ISDIR(st.st_mode):
            if key in seen_dirs:
                if is_link:
                    skip(p, "symbolic link loop (a folder that contains itself); not followed")
                return
            if depth > max_depth:
                skip(p, f"folder more than {max_depth} levels deep (setting NIANBAO_TREE_DEPTH); "
                        "not read")
                return
            seen_dirs.add(key)
            try:
                with os.scandir(p) as it:
                    names = sorted((e.name for e in it), key=os.fsencode)
            except OSError as exc:
                skip(p, f"the folder cannot be listed ({exc.strerror or exc})")
                return
            # Files first, then sub-folders (the order os.walk gives).
            names = [n for n in names if not n.startswith(".")]
            folders = {n for n in names if os.path.isdir(p / n)}
            for name in names:
                if name not in folders and not is_ignored(name):
                    visit(p / name, depth + 1, False)
            for name in names:
                if name in folders:
                    visit(p / name, depth + 1, False)
            return
        if not stat.S_ISREG(st.st_mode):
            skip(p, f"{_kind(st.st_mode)}, not a file; not read")
            return
        if top and is_ignored(p.name):
            return
        if key in seen_files:
            return  # the same file reached twice (a link to a file already found)
        seen_files.add(key)
        found.files.append(p)

    for p in given:
        visit(p, 0, True)
    return found


def discover_documents(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> list[Path]:
    """The files of `discover` (what it skipped left out)."""
    return discover(paths, follow_links=follow_links).files
