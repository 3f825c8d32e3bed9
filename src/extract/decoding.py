"""The text of a text-like file (plain text, HTML) for its reader, or the ReaderError saying why
there is none: one prologue for the readers that start from decoded text."""

from __future__ import annotations

from nianbao.common.encoding import UndecodableError, decode_bytes

from .model import ReaderError


def decode_document(data: bytes, name: str) -> tuple[str, str]:
    """The text of a text or HTML file and its encoding; raises ReaderError (failed) for an empty
    file, bytes no encoding decodes, or nothing but blank space."""
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as exc:
        raise ReaderError(f"{name}: not a readable text or HTML document ({exc})", "failed") from exc
    if not text.strip():
        raise ReaderError(f"{name}: the file holds only blank space, no text", "failed")
    return text, encoding
