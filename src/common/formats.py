"""Format sniffing: what a file or a download is (pdf, docx, doc, wps, image, html, txt…), decided by
its bytes first and its name's extension second. Used by the crawler and by the readers' dispatch."""

from __future__ import annotations

import io
import re
import zipfile

from nianbao.common.encoding import looks_binary

# Bytes that are neither a known binary format nor text.
UNKNOWN_FORMAT = "unknown"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
# Zip-based formats, told apart by a member only they have.
_ZIP_MEMBERS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
    "OFD.xml": "ofd",
}
_EXTENSION_FORMATS = {
    "pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps", "ofd": "ofd", "rtf": "rtf",
    "htm": "html", "html": "html", "shtml": "html", "xhtml": "html", "mht": "mht", "mhtml": "mht",
    "txt": "txt", "text": "txt",
    "png": "image", "jpg": "image", "jpeg": "image", "gif": "image", "tif": "image", "tiff": "image",
    "bmp": "image", "webp": "image",
}
# Formats whose files are never plain text.
_BINARY_FORMATS = frozenset({"pdf", "docx", "doc", "wps", "ofd", "image"})
# Tags that make a text HTML wherever they appear near the top ...
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|br)[\s>/]", re.IGNORECASE)
# ... and tags that do when the text starts with markup.
_LEADING_MARKUP = re.compile(
    rb"\s*(?:<!--|<\?xml|<(?:span|font|h[1-6]|tr|td|center|style|script|a|strong|b|img|link)[\s>/])",
    re.IGNORECASE,
)
_MIME_ARCHIVE = re.compile(rb"\s*mime-version\s*:|content-type\s*:\s*multipart/related", re.IGNORECASE)
_SNIFF_BYTES = 4096


def detect_format(name: str, data: bytes) -> str:
    """Format of a file: pdf, docx, doc, wps, image, html, txt (and a few more without readers yet).

    Content decides first (magic bytes, markup), the file name's extension second; bytes that
    are neither are "unknown".
    """
    head = data[:_SNIFF_BYTES]
    extension = _extension(name)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data, extension)
    if head.startswith(_OLE_MAGIC):
        return "wps" if extension == "wps" else "doc"
    if _is_image(head):
        return "image"
    if data:
        text_head = _text_head(head)
        if _MIME_ARCHIVE.match(text_head):
            return "mht"
        if text_head.lstrip().startswith(b"{\\rtf"):
            return "rtf"
        if _MARKUP.search(text_head) or _LEADING_MARKUP.match(text_head):
            return "html"
    if extension in _EXTENSION_FORMATS:
        named = _EXTENSION_FORMATS[extension]
        # A text file named .pdf (.docx, .png…) is read by its content: the bytes are not the
        # binary format the name claims, and they are text.
        if named in _BINARY_FORMATS and data and not looks_binary(data):
            return "txt"
        return named
    if not data:
        return "txt"
    return UNKNOWN_FORMAT if looks_binary(data) else "txt"


def _extension(name: str) -> str:
    base = re.split(r"[\\/]", name.split("?", 1)[0].split("#", 1)[0])[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _zip_format(data: bytes, extension: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A truncated archive has no central directory; member names still sit in the local headers.
        names = {member for member in _ZIP_MEMBERS if member.encode() in data}
    for member, fmt in _ZIP_MEMBERS.items():
        if member in names:
            return fmt
    return "docx" if extension == "docx" else "zip"


def _is_image(head: bytes) -> bool:
    if head.startswith(_IMAGE_MAGICS):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    # "BM" alone is too common a start of text; a BMP header also has four reserved zero bytes.
    return head[:2] == b"BM" and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00"


def _text_head(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible text, so markup can be sniffed in UTF-16 files too."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, "ignore").encode("utf-8", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf")
