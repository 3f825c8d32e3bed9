"""What a downloaded body is (a report file, a web page, a JSON or XML answer), decided from its
first bytes, then its Content-Disposition file name and Content-Type, and the URL's extension
last: portals serve PDFs from download.jsp?id=… and HTML error pages under .pdf names.
"""

from __future__ import annotations

import re
import zipfile
from email.message import Message
from io import BytesIO
from urllib.parse import unquote

from nianbao.fetch.guard import safe_filename, url_extension

DOCUMENT_KINDS = ("pdf", "docx", "doc", "wps", "ofd", "image")
"""Kinds that are a report file (an attachment), not a page to read links from."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|ul|li|a|script|iframe)[\s>/]",
                     re.IGNORECASE)
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
_EXTENSIONS = {"pdf": "pdf", "doc": "doc", "docx": "docx", "wps": "wps", "ofd": "ofd", "html": "html",
               "htm": "html", "shtml": "html", "jsp": "html", "json": "json", "xml": "xml", "txt": "txt",
               "png": "image", "jpg": "image", "jpeg": "image", "gif": "image", "tif": "image", "tiff": "image"}


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


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "unknown"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    return "unknown"


def response_kind(body: bytes, content_type: str | None = None, content_disposition: str | None = None,
                  url: str = "") -> str:
    """pdf / docx / doc / wps / ofd / image (a report file) or html / json / xml / txt / unknown."""
    head = body[:2048]
    stripped = head.lstrip()
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    named = disposition_filename(content_disposition)
    hinted = _EXTENSIONS.get(url_extension("/" + named) if named else "", "") or _EXTENSIONS.get(url_extension(url), "")
    if head.startswith(_OLE):
        return "wps" if hinted == "wps" or "wps" in (content_type or "") else "doc"
    if head.startswith(_IMAGE):
        return "image"
    if stripped[:1] in (b"{", b"[") and b"<" not in stripped[:1]:
        return "json"
    if stripped.startswith(b"<?xml") or stripped.lower().startswith(b"<datastore"):
        return "html" if _MARKUP.search(stripped[:400].split(b"?>", 1)[-1]) and b"<datastore" not in head.lower() \
            else "xml"
    if _MARKUP.search(head):
        return "html"
    declared = _TYPES.get((content_type or "").split(";")[0].strip().lower())
    if declared in ("json", "xml", "txt"):
        return declared
    return hinted if hinted and hinted not in DOCUMENT_KINDS else ("txt" if body and not _binary(head) else "unknown")


def _binary(head: bytes) -> bool:
    return b"\x00" in head


def is_document(kind: str) -> bool:
    return kind in DOCUMENT_KINDS
