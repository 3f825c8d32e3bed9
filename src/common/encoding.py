"""Bytes -> str for the text and HTML readers: BOM, UTF-8, declared charset, then charset-normalizer.

Chinese pages declare gb2312 but use GBK characters, so every GB label decodes as GB18030.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Candidates charset-normalizer weighs first (charset-normalizer's codec names).
CHINESE_CAPABLE = ["gb18030", "big5hkscs", "utf_8", "utf_16", "utf_32"]
# Declarations are looked for in this much of the file (Word-exported pages put a long <head> first).
DECLARATION_SCAN_BYTES = 16 * 1024
# A text may carry a few stray control characters; binary data carries them by the thousand.
MAX_CONTROL_RATIO = 0.01
# A charset that leaves at most this many characters undecodable is trusted anyway (a truncated
# download or one damaged character should not lose the whole page; one bad byte can spoil 4).
DAMAGE_ALLOWANCE = 8
MAX_DAMAGED_RATIO = 0.001

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_SEGMENT_BOUNDARY = re.compile(rb"[<>\n]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# C0 controls other than tab, line ends, form feed and escape, plus DEL. In every ASCII-compatible
# charset (UTF-8, GB18030, Big5) these bytes only ever stand for themselves.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_CHARS.match(chr(b)))

# Supersets decode everything their subsets do, and real pages labelled with the subset use them.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}
# Labels browsers accept that Python's codec registry does not know.
_EXTRA_LABELS = {"x-gbk": "gb18030", "gb_2312": "gb18030", "x-euc-cn": "gb18030", "x-cp936": "gb18030"}
# Single-byte Western charsets decode any bytes at all, so a declaration of one proves nothing;
# Chinese pages declaring iso-8859-1 are common enough to ignore such a declaration.
_UNINFORMATIVE = {"latin-1", "iso8859-1", "ascii", "cp1252"}
# A page whose bytes are ASCII-compatible cannot be UTF-16/32 whatever its <meta> says; those
# encodings are only believed from a BOM.
_WIDE = ("utf-16", "utf-32")


class UndecodableError(ValueError):
    """The bytes are not text in any character set we can identify."""


def normalize_charset(label: str | None) -> str | None:
    """Python codec name for a charset label, with GB/Big5 labels widened; None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _EXTRA_LABELS:
        return _EXTRA_LABELS[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13 and the like
        return None
    return _SUPERSETS.get(info.name, info.name)


def declared_charsets(data: bytes) -> list[str]:
    """Charsets named by <meta charset>, http-equiv Content-Type or an XML declaration, in order."""
    head = data[:DECLARATION_SCAN_BYTES]
    found: list[str] = []
    for pattern in (_XML_ENCODING, _META_CHARSET):
        for match in pattern.finditer(head):
            name = normalize_charset(match.group(1).decode("ascii", "ignore"))
            if name and name not in found:
                found.append(name)
    return found


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """Cheap sniff used before any decoding: many control bytes mean the data is not text.

    UTF-16/32 text (full of NUL bytes) only counts as text when it starts with a BOM.
    """
    head = data[:sample]
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return _is_binary(head)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data`, returning (text, Python codec used). `declared` is an outside hint (HTTP header).

    In order: a BOM; strict UTF-8; a declared charset (`declared`, <meta>, <?xml?>); the same with
    a few damaged bytes replaced; charset-normalizer. Raises UndecodableError for binary data or
    when detection fails.
    """
    if not data:
        return "", "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let detection decide
            if len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_RATIO * len(text):
                raise UndecodableError("the bytes decode to binary data, not text")
            return text, encoding
    # Binary files decode "successfully" in permissive charsets; their control bytes give them away.
    if _is_binary(data):
        raise UndecodableError("the bytes are binary data, not text")

    # Valid UTF-8 with non-ASCII bytes is almost never an accident in a document of any length, so it
    # wins over a declaration: scrapers re-save GBK pages as UTF-8 and leave the old <meta>.
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    hints = [normalize_charset(declared)] + declared_charsets(data)
    hints = [h for h in dict.fromkeys(hints) if h and h not in _UNINFORMATIVE and not h.startswith(_WIDE)]
    for encoding in hints:
        if encoding == "utf-8":
            continue  # tried above
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    # Nearly valid UTF-8 is as telling as valid UTF-8 (and charset-normalizer gives up on it).
    damaged = _decode_damaged(data, "utf-8")
    if damaged is not None:
        return damaged, "utf-8"
    for encoding in hints:
        damaged = _decode_damaged(data, encoding)
        if damaged is not None:
            return damaged, encoding

    encoding = _detect(data)
    if encoding is None:
        raise UndecodableError("no character set decodes these bytes as text")
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), encoding


def _detect(data: bytes) -> str | None:
    """charset-normalizer's verdict on the parts of `data` that hold non-ASCII bytes.

    It samples a few 512-byte chunks, which in a page of ASCII markup and script miss the Chinese
    text entirely (a GBK page then reads as cp1250), so it is given only the segments between
    markup and line breaks that contain non-ASCII bytes. No byte of a GBK, GB18030 or Big5
    character is '<', '>' or a line feed, so no character is cut. Encodings able to write
    Chinese are asked first: on short samples the open field yields guesses like UTF-16-BE.
    """
    segments = [seg for seg in _SEGMENT_BOUNDARY.split(data) if _NON_ASCII.search(seg)]
    sample = b"\n".join(segments) if segments else data
    for isolation in (CHINESE_CAPABLE, None):
        best = charset_normalizer.from_bytes(sample, cp_isolation=isolation).best()
        if best is not None:
            return normalize_charset(best.encoding) or best.encoding
    return None


def _decode_damaged(data: bytes, encoding: str) -> str | None:
    """`data` decoded with a few bad characters replaced, or None when there are more than a few."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    if bad > DAMAGE_ALLOWANCE + MAX_DAMAGED_RATIO * len(data):
        return None
    if encoding == "utf-8":
        # Legacy bytes give almost no valid multi-byte sequences: demand many per bad one.
        decoded_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
        if decoded_non_ascii < 10 * bad:
            return None
    return text


def _is_binary(data: bytes) -> bool:
    return len(data.translate(None, _NOT_CONTROL_BYTES)) > MAX_CONTROL_RATIO * len(data)
