"""Character set decoding: BOM, declared charset (GB labels widened), UTF-8, charset-normalizer."""

from __future__ import annotations

import codecs

import pytest

from nianbao.common.encoding import (
    UndecodableError,
    declared_charsets,
    decode_bytes,
    looks_binary,
    normalize_charset,
)
from tests.paths import EXTRACT_FILES

FILES = EXTRACT_FILES
REPORT = "测试县商务局2022年政府信息公开工作年度报告，联系人王堃。"


@pytest.mark.parametrize(("label", "codec"), [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
    ("GB18030", "gb18030"), ("UTF8", "utf-8"), ("big5", "big5hkscs"), (" 'utf-8' ", "utf-8"),
    ("no-such-charset", None), ("base64", None), ("", None), (None, None),
])
def test_normalize_charset(label: str | None, codec: str | None) -> None:
    assert normalize_charset(label) == codec


@pytest.mark.parametrize(("bom", "encoding"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_decides(bom: bytes, encoding: str) -> None:
    data = bom + REPORT.encode(encoding)
    assert decode_bytes(data) == (REPORT, encoding)


def test_meta_charset_gb2312_decodes_gbk_characters() -> None:
    data = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>' \
           f"<body>{REPORT}</body></html>".encode("gbk")
    text, encoding = decode_bytes(data)
    assert encoding == "gb18030" and REPORT in text


def test_declarations_are_found_in_order() -> None:
    data = b'<?xml version="1.0" encoding="GBK"?>\n<html><head><meta charset=\'utf-8\'>'
    assert declared_charsets(data) == ["gb18030", "utf-8"]


def test_gb2312_page_without_declaration() -> None:
    text, encoding = decode_bytes((FILES / "gb2312_no_meta.html").read_bytes())
    assert encoding == "gb18030"
    assert "<p>一、总体情况</p>" in text


def test_utf8_bytes_win_over_a_stale_gb_declaration() -> None:
    data = f"<meta charset=gb2312><p>{REPORT}</p>".encode()
    assert decode_bytes(data) == (f"<meta charset=gb2312><p>{REPORT}</p>", "utf-8")


def test_outside_hint_is_used() -> None:
    data = REPORT.encode("big5hkscs", errors="ignore")
    text, encoding = decode_bytes(data, declared="big5")
    assert encoding == "big5hkscs" and text == data.decode("big5hkscs")


def test_latin1_declaration_on_a_chinese_page_is_ignored() -> None:
    body = "一、总体情况。本年度我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息120条。" * 3
    data = f"<meta charset=iso-8859-1><p>{body}</p>".encode("gbk")
    text, encoding = decode_bytes(data)
    assert encoding == "gb18030" and body in text


def test_one_damaged_byte_does_not_lose_a_declared_page() -> None:
    head, tail = "<meta charset=gbk><p>" + REPORT * 3, REPORT * 37 + "</p>"
    text, encoding = decode_bytes(head.encode("gbk") + b"\xff" + tail.encode("gbk"))
    assert (text, encoding) == (head + "\ufffd" + tail, "gb18030")


def test_one_damaged_byte_in_utf8() -> None:
    head, tail = REPORT * 10, REPORT * 30
    text, encoding = decode_bytes(head.encode() + b"\xff" + tail.encode())
    assert (text, encoding) == (head + "\ufffd" + tail, "utf-8")


@pytest.mark.parametrize(("encoding", "expected", "body"), [
    ("gbk", "gb18030", "<p>一、总体情况</p><p>本年度共收到申请3件。</p>"),
    ("big5", "big5hkscs", "<p>一、總體情況</p><p>本年度共收到申請3件。</p>"),  # a traditional mirror site
])
def test_undeclared_page_of_mostly_ascii_markup(encoding: str, expected: str, body: str) -> None:
    # ~90 KB of style and script around two short paragraphs: sampling the whole page would miss
    # the Chinese text (charset-normalizer alone says cp1250 here).
    style = "<style>" + "".join(f".c{i} {{ margin: 0 {i}px; font-family: Arial; }}\n" for i in range(1500))
    page = (f"<html><head>{style}</style></head><body>{body}"
            f"<script>{'var a = 1;' * 3000}</script></body></html>")
    data = page.encode(encoding)
    assert decode_bytes(data) == (page, expected)


def test_binary_data_is_refused() -> None:
    blob = bytes(range(256)) * 20
    assert looks_binary(blob)
    with pytest.raises(UndecodableError):
        decode_bytes(blob)
    assert not looks_binary(REPORT.encode("utf-16"))
    assert not looks_binary(REPORT.encode("gbk"))


def test_empty() -> None:
    assert decode_bytes(b"") == ("", "utf-8")
