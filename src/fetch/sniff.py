"""What a downloaded body is (a report file, a web page, a JSON or XML answer), decided from its
first bytes, then its Content-Disposition file name and Content-Type, and the URL's extension
last: portals serve PDFs from download.jsp?id=… and HTML error pages under .pdf names.
"""

from __future__ import annotations

import re
from email.message import Message
from urllib.parse import unquote, urlsplit

from nianbao.common.formats import detect_format
from nianbao.fetch.guard import safe_filename

DOCUMENT_KINDS = ("pdf", "docx", "doc", "wps", "ofd", "image")
"""Kinds that are a report file (an attachment), not a page to read links from."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|ul|li|a)[\s>/]", re.IGNORECASE)
_TYPES = {
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/msword": "doc", "application/vnd.ms-works": "wps", "application/kswps": "wps",
    "application/wps-office.wps": "wps", "application/vnd.ms-word": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/ofd": "ofd",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/json": "json", "text/json": "json", "application/javascript": "json",
    "text/xml": "xml", "application/xml": "xml", "text/plain": "txt",
}

def disposition_filename(header: str | None) -> str | None:
    """The file name of a Content-Disposition header (RFC 6266 filename*= first), unquoted.
    Chinese servers often send raw GBK or percent-encoded UTF-8; both are handled."""
    if not header:
        return None
    message = Message()
    message["Content-Disposition"] = header.encode("latin-1", "replace").decode("latin-1")
    name = message.get_filename()
    if not name:
        m = re.search(r"filename\s*=\s*\"?([^\";]+)", header, re.IGNORECASE)
        name = m.group(1) if m else None
    if not name:
        return None
    if "%" in name:
        name = unquote(name)
    try:  # a raw byte name that came through as latin-1
        name = name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            name = name.encode("latin-1").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return safe_filename(name)


def _signed(body: bytes) -> bool:
    """The bytes carry a file signature (PDF, zip, OLE, image): not guessed from a name."""
    head = body[:16]
    return b"%PDF-" in body[:1024] or head.startswith((b"PK\x03\x04", _OLE, *_IMAGE))


def response_kind(body: bytes, content_type: str | None = None, content_disposition: str | None = None,
                  url: str = "") -> str:
    """pdf / docx / doc / wps / ofd / image (a report file) or html / json / xml / txt / unknown.
    The bytes decide (common.formats.detect_format, with the served file name as its hint); a
    document kind is only believed when the bytes carry its signature."""
    stripped = body[:2048].lstrip()
    if stripped[:1] in (b"{", b"["):
        return "json"
    if stripped.lower().startswith(b"<datastore") or (
            stripped.startswith(b"<?xml") and not _MARKUP.search(stripped[:400].split(b"?>", 1)[-1])):
        return "xml"
    name = disposition_filename(content_disposition) or safe_filename(urlsplit(url).path.rsplit("/", 1)[-1])
    fmt = detect_format(name, body)
    if fmt == "doc" and "wps" in (content_type or "").lower():
        fmt = "wps"
    if fmt in DOCUMENT_KINDS and not _signed(body):
        fmt = "unknown"  # a name or extension alone (an HTML error page saved as .pdf is html)
    if fmt in ("html", *DOCUMENT_KINDS):
        return fmt
    declared = _TYPES.get((content_type or "").split(";")[0].strip().lower())
    if declared in ("json", "xml", "html") and not _signed(body):
        return declared
    return "txt" if fmt in ("txt", "rtf", "mht") else "unknown"


def is_document(kind: str) -> bool:
    return kind in DOCUMENT_KINDS
