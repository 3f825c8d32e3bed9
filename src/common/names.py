"""File names that are not valid UTF-8: Python holds them as str with lone surrogates (the
lossless `surrogateescape` form of os.fsdecode); DuckDB and JSON cannot store those. `storable`
gives the printable escaped form (each undecodable byte as \\xNN), `name_bytes` the raw bytes."""

from __future__ import annotations

import os


def has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def storable(text: str | None) -> str | None:
    """`text` with every byte that is not UTF-8 (a lone surrogate) written as \\xNN, so it can be
    stored and printed; unchanged when it is valid."""
    if text is None or not has_surrogates(text):
        return text
    raw = text.encode("utf-8", "surrogateescape") if _only_escapes(text) else text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def _only_escapes(text: str) -> bool:
    return all(not (0xD800 <= ord(c) <= 0xDFFF) or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def name_bytes(path: str | os.PathLike[str]) -> bytes | None:
    """The raw bytes of a path whose name is not valid UTF-8 (None when it is): what the file
    system holds, kept next to the escaped form so nothing is lost."""
    text = os.fspath(path)
    if not has_surrogates(text):
        return None
    return text.encode("utf-8", "surrogateescape") if _only_escapes(text) else text.encode("utf-8", "surrogatepass")
