"""What a download is, from its bytes first: never from the URL's extension alone."""

from __future__ import annotations

import pytest

from nianbao.fetch.replay import generated_body
from nianbao.fetch.sniff import disposition_filename, response_kind

HTML = "<html><body><h1>文件不存在</h1></body></html>".encode()


@pytest.mark.parametrize(("body", "ctype", "disposition", "url", "kind"), [
    (generated_body("pdf", "x"), "application/octet-stream", None, "/module/download/downfile.jsp?id=1", "pdf"),
    (generated_body("docx", "x"), None, 'attachment; filename="report.docx"', "/getfile?id=2", "docx"),
    (generated_body("doc", "x"), "application/msword", None, "/a/W0201.doc", "doc"),
    (generated_body("wps", "x"), "application/octet-stream", None, "/a/W0201.wps", "wps"),
    (generated_body("wps", "x"), None, 'attachment; filename="2022nb.wps"', "/download.jsp?id=3", "wps"),
    (HTML, "application/pdf", None, "/files/report.pdf", "html"),     # an error page under a .pdf name
    (b"\x00\x01garbage", "application/pdf", None, "/files/report.pdf", "unknown"),
    (b'{"total": 0, "articles": []}', "text/html", None, "/gkmlpt/api/all/1", "json"),
    (b"<?xml version='1.0'?><datastore><recordset/></datastore>", "text/html", None, "/dataproxy.jsp", "xml"),
])
def test_the_bytes_decide(body, ctype, disposition, url, kind):
    assert response_kind(body, ctype, disposition, url) == kind


@pytest.mark.parametrize(("header", "name"), [
    ('attachment; filename="2022nb.pdf"', "2022nb.pdf"),
    ("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
    ('attachment; filename="%E5%B9%B4%E6%8A%A5.docx"', "年报.docx"),
    ('attachment; filename="' + "年报.doc".encode("gbk").decode("latin-1") + '"', "年报.doc"),  # raw GBK bytes
    ("inline", None),
    (None, None),
])
def test_content_disposition_file_names(header, name):
    assert disposition_filename(header) == name
