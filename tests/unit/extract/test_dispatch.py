"""Format sniffing and reader dispatch: magic bytes first, extension second, clear errors otherwise."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from nianbao import extract
from nianbao.extract import READERS, UNKNOWN_FORMAT, detect_format, read_document
from nianbao.extract.model import Document, ReaderError

GARBAGE = random.Random(7).randbytes(4000)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_with(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


DOCX = zip_with("[Content_Types].xml", "word/document.xml", "word/styles.xml")


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    ("report", b"\r\n\r\n%PDF-1.4\n", "pdf"),  # junk before the header is allowed
    ("attachment.html", b"%PDF-1.5\n", "pdf"),  # content wins over the name
    ("report.docx", DOCX, "docx"),
    ("download.do?id=3", DOCX, "docx"),
    ("tables.xlsx", zip_with("xl/workbook.xml"), "xlsx"),
    ("archive.zip", zip_with("a.txt"), "zip"),
    ("report.ofd", zip_with("OFD.xml", "Doc_0/Document.xml"), "ofd"),
    ("report.doc", OLE, "doc"),
    ("report.WPS", OLE, "wps"),
    ("noext", OLE, "doc"),
    ("p1.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
    ("p1", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
    ("p1", b"GIF89a\x01\x00", "image"),
    ("p1", b"II*\x00\x08\x00\x00\x00", "image"),
    ("p1", b"MM\x00*\x00\x00\x00\x08", "image"),
    ("p1", b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00" + b"\x00" * 20, "image"),
    ("p1", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image"),
    ("page", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    ("page.txt", b"\xef\xbb\xbf<html><body>x</body></html>", "html"),
    ("fragment", "<table><tr><td>规章</td></tr></table>".encode(), "html"),
    ("fragment", "  <p>一、总体情况</p>".encode("gbk"), "html"),
    ("fragment", "标题\n<div class=TRS_Editor>正文</div>".encode(), "html"),
    ("word.doc", b'<html xmlns:o="urn:schemas-microsoft-com:office:office">\r\n<head>\r\n<title>', "html"),
    ("word", b'<meta name=Generator content="Microsoft Word 15">', "html"),
    ("page", "<html><body>UTF-16 页面</body></html>".encode("utf-16"), "html"),
    ("saved.mht", b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n<html>", "mht"),
    ("report.doc", b"{\\rtf1\\ansi\\ansicpg936 ", "rtf"),
    ("report.txt", "一、总体情况\n信息内容\t本年制发件数\n".encode(), "txt"),
    ("report", "一、总体情况\n<pre>不是标签开头".encode("gb18030"), "txt"),
    ("BMW.txt", b"BMW annual report", "txt"),
    ("a.htm", "正文没有标签".encode(), "html"),
    ("broken.pdf", b"not really a pdf", "pdf"),
    ("garbage.bin", GARBAGE, UNKNOWN_FORMAT),
    ("garbage.txt", GARBAGE, "txt"),  # the name says text; the text reader will refuse it
    ("empty.pdf", b"", "pdf"),
    ("empty", b"", "txt"),
])
def test_detect_format(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(name, data) == fmt


def test_truncated_docx_is_still_docx() -> None:
    assert detect_format("cut.docx", DOCX[: len(DOCX) // 2]) == "docx"
    assert detect_format("cut", DOCX[: len(DOCX) // 2]) == "docx"


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("archive.zip", zip_with("a.txt"), "zip"),
])
def test_formats_without_a_reader_are_unsupported(name: str, data: bytes, fmt: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_document(data, name)
    assert info.value.status == "unsupported"
    assert str(info.value) == f"{name}: {fmt} documents are not supported yet"


@pytest.mark.parametrize("name", ["blob", "blob.txt", "blob.html"])
def test_binary_garbage_fails_as_unreadable(name: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_document(GARBAGE, name)
    assert info.value.status == "failed"
    assert str(info.value).startswith(f"{name}: not a readable text or HTML document")


def test_mostly_nul_bytes_fail_as_unreadable() -> None:
    with pytest.raises(ReaderError) as info:
        read_document(b"\x00" * 900 + "一、总体情况".encode(), "nul.txt")
    assert info.value.status == "failed"
    assert "not a readable text or HTML document" in str(info.value)


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.pdf", "empty"])
def test_empty_input_fails(name: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_document(b"", name)
    assert str(info.value) == f"{name}: the file is empty"
    assert info.value.status == "failed"


def test_dispatch_by_detected_or_given_format() -> None:
    page = "<html><body><p>一、总体情况</p></body></html>".encode()
    assert read_document(page, "a.html").format == "html"
    forced = read_document(page, "a.html", fmt="txt")
    assert forced.format == "txt" and forced.text_blocks[0].text == "<html><body><p>一、总体情况</p></body></html>"


def test_a_new_reader_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_pdf(data: bytes, name: str) -> Document:
        return Document(path=name, format="pdf", blocks=())

    monkeypatch.setitem(READERS, "pdf", fake_pdf)
    assert extract.read_document(b"%PDF-1.7\n", "r.pdf").format == "pdf"
